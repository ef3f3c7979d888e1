"""Xuất báo cáo: số/ký hiệu and ngày belong to one inspection, never carried to another."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.ui.exports.dialog import DocumentChoice, ExportController, ReportOptionsDialog
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

A, B = "Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch"  # visits on 08/06/2021 and 15/06/2021


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Patch the options dialog (records what it was pre-filled with) and the file dialogs."""
    seen: dict[str, Any] = {"prefill": [], "answers": []}

    def ask(
        cls: Any, parent: Any, title: str, number: str, date: dt.date, signer: str, kind: str = ""
    ) -> Any:
        seen["prefill"].append((number, date, signer))
        return seen["answers"].pop(0)

    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(ask))
    monkeypatch.setattr(
        ExportController, "ask_save_path", staticmethod(lambda _p, _c, s, _f: tmp_path / s.name)
    )
    monkeypatch.setattr(ExportController, "ask_open_file", staticmethod(lambda *a: False))
    monkeypatch.setattr(ExportController, "ask_mark_concluded", staticmethod(lambda *a: False))
    return seen


def export(qtbot: Any, host: QWidget, store: Store, unit: str, kind: str = "bien-ban") -> Path:
    adapter = StoreAdapter(store, host)
    target = inspection_id(store, unit)
    controller = ExportController(adapter, host, lambda: None, lambda: target)
    with qtbot.waitSignal(controller.exported, timeout=30000) as blocker:
        task = controller.export_inspection(kind, "docx")
    assert task is not None and task.outcome == "succeeded"
    return Path(blocker.args[0])


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_number_and_date_remembered_per_inspection(
    qtbot: Any, demo_store: Store, asked: dict[str, Any]
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    asked["answers"] = [
        DocumentChoice("12/BB-ĐKT", dt.date(2021, 6, 9), "Nguyễn Thị Hòa"),  # A
        DocumentChoice("", dt.date(2021, 6, 15), ""),  # B, number left blank
        DocumentChoice("12/BB-ĐKT", dt.date(2021, 6, 9), "Nguyễn Thị Hòa"),  # A again
    ]
    first = export(qtbot, host, demo_store, A)
    assert "12/BB-ĐKT" in docx_text(first)
    # B is new: a blank number (no "12" carried over), its own visit day, the same signer.
    second = export(qtbot, host, demo_store, B)
    assert asked["prefill"][1] == ("", dt.date(2021, 6, 15), "Nguyễn Thị Hòa")
    assert "12/BB-ĐKT" not in docx_text(second)
    # Back to A: its number and date, although B was exported in between.
    export(qtbot, host, demo_store, A)
    assert asked["prefill"][2] == ("12/BB-ĐKT", dt.date(2021, 6, 9), "Nguyễn Thị Hòa")
    # The very first dialog for A: nothing remembered, dated the visit day.
    assert asked["prefill"][0] == ("", dt.date(2021, 6, 8), "")


def test_notice_of_a_new_inspection_starts_blank(
    qtbot: Any, demo_store: Store, asked: dict[str, Any]
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    asked["answers"] = [
        DocumentChoice("30/TB-SNV", dt.date(2021, 7, 1), ""),
        DocumentChoice("", dt.date(2021, 7, 2), ""),
    ]
    export(qtbot, host, demo_store, A, "ket-luan")
    export(qtbot, host, demo_store, B, "ket-luan")
    number, date, _ = asked["prefill"][1]
    assert number == "" and date != dt.date(2021, 7, 1)
