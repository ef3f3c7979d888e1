"""Evidence documents in the finding editor: add, edit in place, delete — saved at once."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.services.evidence import add_evidence, list_evidence
from desktop.ui.common import dialogs_vi
from desktop.ui.main_window import MainWindow
from desktop.ui.recording.evidence_section import EvidenceTableModel
from tests.ui.conftest import inspection_id, open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"  # nothing recorded yet in the demo


def _docs(window: MainWindow, code: str) -> list[dict[str, Any]]:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item_id = store.findings.item_id_for_code(insp, code)
    assert item_id
    return list_evidence(store, insp, item_id)


def test_add_edit_delete_persist(
    qtbot: Any, qtmodeltester: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    section = window.feature("recording").evidence
    assert section.isVisibleTo(window.editor)
    assert section.add_action.toolTip() == "Thêm tài liệu kiểm chứng (Ctrl+E)"
    assert section.add_action.shortcut().toString() == "Ctrl+E"
    assert section.model.rowCount() == 0 and section.empty_label.isVisibleTo(section)

    section.number_edit.setText("12/KH-UBND")
    section.date_edit.setText("05/01/2021")
    section.summary_edit.setText("Kế hoạch cải cách hành chính năm 2021")
    with qtbot.waitSignal(window.adapter.findingChanged, timeout=2000):
        section.add_action.trigger()
    docs = _docs(window, "A1.1.2")
    assert [(d["number"], d["issued_on"], d["summary"]) for d in docs] == [
        ("12/KH-UBND", "2021-01-05", "Kế hoạch cải cách hành chính năm 2021")
    ]
    assert section.number_edit.text() == ""  # the form is ready for the next document
    # Adding the first document created the finding; the table row knows it now.
    assert window.editor.current_row["finding_id"] is not None
    assert section.model.rowCount() == 1
    assert section.model.index(0, EvidenceTableModel.COL_DATE).data() == "05/01/2021"
    qtmodeltester.check(section.model)

    # Edit in place: the summary, then a bad date (refused, said why), then the date.
    summary = section.model.index(0, EvidenceTableModel.COL_SUMMARY)
    assert summary.flags() & Qt.ItemFlag.ItemIsEditable
    assert section.model.setData(summary, "Kế hoạch CCHC năm 2021 (bản sửa)")
    assert _docs(window, "A1.1.2")[0]["summary"] == "Kế hoạch CCHC năm 2021 (bản sửa)"
    date = section.model.index(0, EvidenceTableModel.COL_DATE)
    assert not section.model.setData(date, "31/02/2021")
    assert section.error_label.isVisibleTo(section)
    assert "31/02/2021" in section.error_label.text()
    assert _docs(window, "A1.1.2")[0]["issued_on"] == "2021-01-05"
    assert section.model.setData(date, "10/01/2021")
    assert not section.error_label.isVisibleTo(section)
    assert _docs(window, "A1.1.2")[0]["issued_on"] == "2021-01-10"

    # Another item shows its own (no) documents; coming back shows the saved one.
    open_item(window, SO_KHCN, "A1.1.3")
    assert section.model.rowCount() == 0
    open_item(window, SO_KHCN, "A1.1.2")
    assert section.model.index(0, EvidenceTableModel.COL_SUMMARY).data() == (
        "Kế hoạch CCHC năm 2021 (bản sửa)"
    )

    section.table.setCurrentIndex(section.model.index(0, 0))
    asked: list[str] = []

    def answer(reply: bool) -> None:
        monkeypatch.setattr(
            dialogs_vi, "confirm_delete", lambda _p, _t, text, **_k: asked.append(text) or reply
        )

    answer(False)  # "Hủy": nothing removed
    section.delete_action.trigger()
    assert "Kế hoạch CCHC năm 2021 (bản sửa)" in asked[-1]
    assert len(_docs(window, "A1.1.2")) == 1
    assert section.model.rowCount() == 1
    answer(True)
    section.delete_action.trigger()
    assert _docs(window, "A1.1.2") == []
    assert section.model.rowCount() == 0
    qtmodeltester.check(section.model)


def test_empty_document_is_refused(window: MainWindow) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    section = window.feature("recording").evidence
    section.date_edit.setText("05/01/2021")
    assert section.add_from_form() is None
    assert section.error_label.isVisibleTo(section)
    assert _docs(window, "A1.1.2") == []


def test_ctrl_e_goes_to_the_form(qtbot: Any, window: MainWindow) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    section = window.feature("recording").evidence
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(section.number_edit.hasFocus)
    qtbot.keyClicks(section.number_edit, "01/BC-SKHCN")
    qtbot.keyClick(section.number_edit, Qt.Key.Key_Return)
    assert [d["number"] for d in _docs(window, "A1.1.2")] == ["01/BC-SKHCN"]


def test_documents_added_elsewhere_are_shown(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item_id = store.findings.item_id_for_code(insp, "A1.2.1")
    assert item_id
    add_evidence(store, insp, item_id, "7/QĐ-SKHCN", "02/02/2021", "Quyết định kiện toàn")
    open_item(window, SO_KHCN, "A1.2.1")
    model = window.feature("recording").evidence.model
    assert [model.index(0, c).data() for c in range(3)] == [
        "7/QĐ-SKHCN",
        "02/02/2021",
        "Quyết định kiện toàn",
    ]
