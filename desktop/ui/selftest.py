"""The window part of `kiemtra --selftest`: open the main window, record one finding."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.domain import JudgingType, Result
from desktop.ui.app import create_window


def exercise_window(db_path: Path) -> str:
    """Show the main window on `db_path`, record a finding through it; the inspection id.

    Raises RuntimeError with a message when any step does not behave.
    """
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(db_path)
    try:
        window.show()
        app.processEvents()
        if not window.isVisible():
            raise RuntimeError("cửa sổ chính không hiện")
        inspection_id = window.selection.inspection_id  # the visit the window opened
        if not inspection_id:
            inspections = window.adapter.inspections(window.selection.plan_id or "")
            if not inspections:
                raise RuntimeError("cửa sổ chính không có cuộc kiểm tra nào")
            inspection_id = inspections[0]["id"]
            window.select_inspection(inspection_id)
            app.processEvents()
        rows = window.adapter.inspection_items(inspection_id)
        items = [r for r in rows if r["type"] == JudgingType.YES_NO] or [
            r for r in rows if r["type"] != JudgingType.TEXT
        ]
        if not items:
            raise RuntimeError("cuộc kiểm tra không có nội dung nào")
        item = items[-1]
        if not window.select_item(item["item_id"]):
            raise RuntimeError(f"không chọn được nội dung {item['code']}")
        row = window.adapter.record(
            inspection_id,
            item,
            {"result": Result.DAT.value, "note": "Tự kiểm tra: đã niêm yết đầy đủ."},
        )
        app.processEvents()
        if row is None:
            raise RuntimeError(f"không ghi được kết quả cho nội dung {item['code']}")
        stored = window.adapter.finding(inspection_id, item["item_id"])
        if not stored or stored["result"] != Result.DAT.value:
            raise RuntimeError("kết quả vừa ghi không đọc lại được")
        window.close()
        app.processEvents()
        return str(inspection_id)
    finally:
        window.adapter.close()
        window.deleteLater()
        app.processEvents()
