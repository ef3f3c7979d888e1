"""The export dialog protects a package by default (issue 15, finding 10): encryption on, a
passphrase of at least desktop.sync.export.MIN_PASSPHRASE characters checked before export."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.sync.export import MIN_PASSPHRASE
from desktop.ui.sync.dialogs import SyncExportChoice, SyncExportDialog

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

FP1 = "-".join(["abab"] * 16)
FP2 = "-".join(["cdcd"] * 16)


def _dialog(qtbot: Any, recipients: list[tuple[str, str]], **kw: Any) -> SyncExportDialog:
    dialog = SyncExportDialog(None, "21/KH-UBND", recipients, **kw)
    qtbot.addWidget(dialog)
    return dialog


def test_no_known_device_defaults_to_a_passphrase(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [])
    assert dialog.passphrase_radio.isChecked() and not dialog.plain_radio.isChecked()
    assert dialog.passphrase_edit.isEnabled()


def test_several_devices_and_none_chosen_defaults_to_a_passphrase(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [(FP1, "may-1"), (FP2, "may-2")])
    assert dialog.passphrase_radio.isChecked()
    assert dialog.recipient_combo.currentIndex() == -1


def test_the_one_known_device_is_the_default(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [(FP1, "may-1")])
    assert dialog.device_radio.isChecked()
    assert dialog.validate() is None
    assert dialog.choice() == SyncExportChoice(True, False, None, FP1)


def test_the_device_chosen_last_time_is_the_default(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [(FP1, "may-1"), (FP2, "may-2")], last_recipient=FP2)
    assert dialog.device_radio.isChecked()
    assert dialog.choice().recipient == FP2
    # A device no longer known is not chosen: a passphrase then.
    gone = _dialog(qtbot, [(FP1, "may-1"), (FP2, "may-2")], last_recipient="ef" * 32)
    assert gone.passphrase_radio.isChecked()


def test_a_short_passphrase_is_refused_in_the_dialog(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [])
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    short = "á" * (MIN_PASSPHRASE - 1)
    dialog.passphrase_edit.setText(short)
    dialog.passphrase_again.setText(short)
    dialog.all_radio.setFocus()
    assert QApplication.focusWidget() is dialog.all_radio
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0  # not accepted
    message = dialog.error_label.text()
    assert message == f"Mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự (mật khẩu đã nhập có 11)."
    assert QApplication.focusWidget() is dialog.passphrase_edit
    long_enough = "á" * MIN_PASSPHRASE
    dialog.passphrase_edit.setText(long_enough)
    dialog.passphrase_again.setText(long_enough)
    assert dialog.validate() is None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert dialog.choice().passphrase == long_enough


def test_the_length_counts_composed_characters(qtbot: Any) -> None:
    """The service counts NFC characters; so does the dialog ("ế" typed decomposed is one)."""
    dialog = _dialog(qtbot, [])
    decomposed = "e\u0302\u0301" * MIN_PASSPHRASE  # 3 code points each, 1 character in NFC
    dialog.passphrase_edit.setText(decomposed)
    dialog.passphrase_again.setText(decomposed)
    assert dialog.validate() is None
    dialog.passphrase_edit.setText(decomposed[: 3 * (MIN_PASSPHRASE - 1)])
    dialog.passphrase_again.setText(decomposed[: 3 * (MIN_PASSPHRASE - 1)])
    assert dialog.validate() is not None


def test_plain_stays_possible_when_chosen(qtbot: Any) -> None:
    dialog = _dialog(qtbot, [])
    dialog.plain_radio.setChecked(True)
    assert dialog.validate() is None
    assert dialog.choice() == SyncExportChoice(True, False, None, None)


def test_the_controller_offers_the_device_chosen_last_time(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from PySide6.QtWidgets import QWidget

    from db import Store
    from desktop.ui.store_adapter import StoreAdapter
    from desktop.ui.sync.controller import SyncController

    host = QWidget()
    qtbot.addWidget(host)
    adapter = StoreAdapter(Store.open(tmp_path / "kiemtra.sqlite"), host)
    controller = SyncController(adapter, host, current_plan=lambda: None, reopen=lambda p: None)
    asked: list[Any] = []
    choices = [SyncExportChoice(False, False, None, FP2), SyncExportChoice(False, False, "x" * 12)]

    def ask(cls: Any, parent: Any, plan: Any, recipients: Any, last: Any = None) -> Any:
        asked.append(last)
        return choices.pop(0)

    monkeypatch.setattr(SyncExportDialog, "ask", classmethod(ask))
    monkeypatch.setattr(SyncController, "ask_save_path", staticmethod(lambda *a: None))
    try:
        for _ in range(3):
            choices.append(SyncExportChoice(False, False, "y" * 12))
            controller.export_package()  # the save dialog is cancelled each time
    finally:
        adapter.close()
    assert asked == [None, FP2, None]
