"""The Qt user interface: the only package that imports PySide6.

The house (tests/ui/test_seams.py and tests/ui/test_write_path.py keep it so):

  app.py, selftest.py      start the program; build the window on a StoreAdapter
  store_adapter.py         the one write path: reads, write methods that announce themselves
  read_only_store.py       the Store as widgets see it (`adapter.reads`): writes refused
  shell.py                 what a feature may use: Selection, menus by id, sections, banners
  main_window.py           the shell: layout and wiring; installs the features in order
  navigator.py, navigation.py, checklist_pane.py, visit_bar.py
                           the parts of the window: plan bar and tree, keeping them in step,
                           the checklist with its filters, the visit row
  finding_editor.py, judging_controls.py, history_dialog.py
                           the editor of one finding, its choices and measures, its history
  models.py, checklist_model.py   the navigator's and the checklist's Qt models
  strings.py               texts shared by several windows
  common/                  shared widgets: message boxes, workers, autosave, table base, icons

Features, each a package with `install(shell)`, importing nothing of the window:
  recording/               evidence, attachments, recommendation sections; Kết luận
  selfassessment/          the self-assessment form in the Ghi nhận menu
  followup/                Theo dõi: the remediation register, the dashboard, the banner
  exports/                 Xuất báo cáo
  sync/                    Đồng bộ: packages, conflicts, this laptop's key
  backups/                 Tệp ▸ Sao lưu và khôi phục
"""
