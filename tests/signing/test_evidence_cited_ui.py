"""The window's export cites a signed PDF attached as evidence, like `kiemtra report`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.ui.exports.dialog import DocumentChoice, ExportController, ReportOptionsDialog
from desktop.ui.store_adapter import StoreAdapter
from tests.signing import pki
from tests.signing.conftest import Pki
from tests.signing.test_evidence_cited_signed import _attach, _docx_text, _signed

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


def test_the_exported_notice_cites_the_signed_evidence(
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    demo_store: Store,
    db_path: Path,
    test_pki: Pki,
    tmp_path: Path,
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    inspection, _ = _attach(demo_store, db_path, _signed(test_pki, tmp_path))
    choice = DocumentChoice("15/TB-SNV", dt.date(2025, 7, 9), "Nguyễn Thị Hòa")
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, *a: choice))
    monkeypatch.setattr(
        ExportController,
        "ask_save_path",
        staticmethod(lambda _p, _c, suggested, _f: tmp_path / suggested.name),
    )
    monkeypatch.setattr(ExportController, "ask_open_file", staticmethod(lambda *a: False))
    monkeypatch.setattr(ExportController, "ask_mark_concluded", staticmethod(lambda *a: False))
    plan_id = demo_store.planning.plans()[0]["id"]
    controller = ExportController(
        StoreAdapter(demo_store, host), host, lambda: plan_id, lambda: inspection
    )
    with qtbot.waitSignal(controller.exported, timeout=60000) as blocker:
        controller.export_inspection("ket-luan", "docx")
    text = _docx_text(Path(blocker.args[0]))
    assert f"(văn bản điện tử có ký số của {pki.SIGNER}, ngày " in text
