"""Widgets and helpers shared by the window and the features: message boxes (dialogs_vi),
workers off the GUI thread (workers), the table-model base (rows_model), the autosave timer
(autosave) and icons."""
