"""Xuất báo cáo from the window: options asked and remembered, files written by a worker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget

from db import Store
from desktop.ui.common import dialogs_vi
from desktop.ui.common.workers import Task
from desktop.ui.exports.dialog import DocumentChoice, ExportController, ReportOptionsDialog
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize or raise native windows; it says so.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

UNIT = "Sở Y tế"


@pytest.fixture
def host(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Patch every dialog: options, save path, "open the file?", the system viewer."""
    seen: dict[str, Any] = {"options": [], "opened": [], "errors": [], "targets": []}
    choice = DocumentChoice("15/BB-ĐKT", dt.date(2025, 7, 9), "Nguyễn Thị Hòa")

    def ask_options(
        parent: Any, title: str, number: str, date: dt.date, signer: str, kind: str = ""
    ) -> Any:
        seen["options"].append((title, number, date, signer))
        return seen.get("choice", choice)

    def ask_save(parent: Any, caption: str, suggested: Path, file_filter: str) -> Path:
        seen["targets"].append(suggested)
        return seen.get("target") or tmp_path / "out" / suggested.name

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, *a: ask_options(*a)))
    monkeypatch.setattr(ExportController, "ask_save_path", staticmethod(ask_save))
    monkeypatch.setattr(ExportController, "ask_open_file", staticmethod(lambda *a: True))
    monkeypatch.setattr(
        ExportController, "open_file", staticmethod(lambda p: seen["opened"].append(p) or True)
    )
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: seen["errors"].append(text))
    seen["conclude_asked"] = []
    monkeypatch.setattr(
        ExportController,
        "ask_mark_concluded",
        staticmethod(
            lambda _p, unit, *_counts: seen["conclude_asked"].append(unit) or seen.get("conclude")
        ),
    )
    return seen


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def controller_for(host: QWidget, store: Store) -> ExportController:
    adapter = StoreAdapter(store, host)
    plan_id = store.planning.plans()[0]["id"]
    insp = inspection_id(store, UNIT)
    return ExportController(adapter, host, lambda: plan_id, lambda: insp)


def wait_done(qtbot: Any, controller: ExportController, start: Any) -> Task:
    with qtbot.waitSignal(controller.exported, timeout=30000) as blocker:
        task = start()
    assert task is not None and task.outcome == "succeeded"
    assert Path(blocker.args[0]).is_file()
    return task


@pytest.mark.parametrize("kind", ["bien-ban", "ket-luan"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_inspection_documents(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], kind: str, fmt: str
) -> None:
    controller = controller_for(host, demo_store)
    task = wait_done(qtbot, controller, lambda: controller.export_inspection(kind, fmt))
    path = Path(task.result)
    assert path.suffix == f".{fmt}" and UNIT in path.name
    assert seams["opened"] == [path]
    if fmt == "pdf":
        assert path.read_bytes().startswith(b"%PDF")
    else:
        assert "15/BB-ĐKT" in docx_text(path)
    # Remembered for next time, per kind.
    assert demo_store.settings.setting(f"report.{kind}.number") == "15/BB-ĐKT"
    assert demo_store.settings.setting(f"report.{kind}.signer") == "Nguyễn Thị Hòa"
    assert demo_store.settings.setting(f"report.{kind}.date") == "2025-07-09"
    assert not list(path.parent.glob(".*.tmp"))


def test_options_prefilled_from_remembered_values(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any]
) -> None:
    controller = controller_for(host, demo_store)
    wait_done(qtbot, controller, lambda: controller.export_inspection("ket-luan", "pdf"))
    wait_done(qtbot, controller, lambda: controller.export_inspection("ket-luan", "pdf"))
    first, second = seams["options"]
    assert first[1] == "" and first[3] == ""
    assert second[1:] == ("15/BB-ĐKT", dt.date(2025, 7, 9), "Nguyễn Thị Hòa")


def test_plan_report_and_summary(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any]
) -> None:
    import openpyxl

    controller = controller_for(host, demo_store)
    pdf = Path(wait_done(qtbot, controller, lambda: controller.export_plan_report("pdf")).result)
    assert pdf.read_bytes().startswith(b"%PDF")
    word = Path(wait_done(qtbot, controller, lambda: controller.export_plan_report("docx")).result)
    assert "15/BB-ĐKT" in docx_text(word)
    xlsx = Path(wait_done(qtbot, controller, controller.export_summary).result)
    book = openpyxl.load_workbook(xlsx)
    assert "Tổng hợp" in book.sheetnames and len(book.sheetnames) > 1
    assert len(seams["options"]) == 2  # the workbook has no number, date or signer


def test_typed_name_gets_the_extension(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], tmp_path: Path
) -> None:
    seams["target"] = tmp_path / "out" / "bien-ban-so-y-te"
    controller = controller_for(host, demo_store)
    task = wait_done(qtbot, controller, lambda: controller.export_inspection("bien-ban", "pdf"))
    assert Path(task.result) == tmp_path / "out" / "bien-ban-so-y-te.pdf"


def test_cancel_half_way_leaves_no_file(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], tmp_path: Path
) -> None:
    controller = controller_for(host, demo_store)

    def hook(task: Task) -> None:
        # In the worker thread, at the first progress report: as if "Hủy" were pressed then.
        task.progress_direct.connect(
            lambda _done, _total: task.cancel(), Qt.ConnectionType.DirectConnection
        )

    controller.taskCreated.connect(hook)
    with qtbot.waitSignal(controller.cancelled, timeout=30000):
        task = controller.export_plan_report("pdf")
    assert task is not None and task.outcome == "cancelled"
    assert list((tmp_path / "out").iterdir()) == []
    assert seams["opened"] == [] and seams["errors"] == []


def test_cancel_button_of_the_progress_dialog(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], tmp_path: Path
) -> None:
    controller = controller_for(host, demo_store)
    controller.taskCreated.connect(
        lambda task: task.progress_direct.connect(
            lambda *_: task.dialog.canceled.emit(), Qt.ConnectionType.BlockingQueuedConnection
        )
    )
    with qtbot.waitSignal(controller.cancelled, timeout=30000):
        controller.export_inspection("bien-ban", "docx")
    assert list((tmp_path / "out").iterdir()) == []


def test_failure_is_shown_and_leaves_no_file(
    qtbot: Any,
    host: QWidget,
    demo_store: Store,
    seams: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import desktop.reports.layout_pdf as layout_pdf

    def broken(doc: Any, path: Path) -> None:
        Path(path).write_bytes(b"%PDF half")
        raise RuntimeError("font table exploded")

    monkeypatch.setattr(layout_pdf, "write_pdf", broken)
    controller = controller_for(host, demo_store)
    with qtbot.waitSignal(controller.failed, timeout=30000) as blocker:
        controller.export_inspection("bien-ban", "pdf")
    assert "font table exploded" in blocker.args[0]
    assert seams["errors"] and "lỗi ngoài dự kiến" in seams["errors"][0]
    assert "Traceback" in caplog.text  # our bug: the traceback is logged
    assert list((tmp_path / "out").iterdir()) == []
    assert seams["opened"] == []


def test_user_error_is_one_friendly_line(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], tmp_path: Path
) -> None:
    seams["target"] = tmp_path / "missing-folder" / "x.pdf"
    controller = controller_for(host, demo_store)
    with qtbot.waitSignal(controller.failed, timeout=30000) as blocker:
        controller.export_inspection("bien-ban", "pdf")
    assert blocker.args[0].startswith("Không có thư mục")
    assert seams["errors"] == [blocker.args[0]]


def test_cancelled_options_dialog_writes_nothing(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], tmp_path: Path
) -> None:
    seams["choice"] = None
    controller = controller_for(host, demo_store)
    assert controller.export_inspection("bien-ban", "pdf") is None
    assert seams["targets"] == []
    assert demo_store.settings.setting("report.bien-ban.number") is None


def test_options_dialog_returns_plain_values(qtbot: Any) -> None:
    dialog = ReportOptionsDialog(None, "Biên bản kiểm tra — Sở Y tế", "", dt.date(2025, 7, 1), "")
    qtbot.addWidget(dialog)
    assert dialog.date_edit.displayFormat() == "dd/MM/yyyy"
    assert dialog.date_edit.text() == "01/07/2025"
    dialog.number_edit.setText("7/BB-ĐKT")
    dialog.signer_edit.setText("Trần Văn Bình")
    assert dialog.choice() == DocumentChoice("7/BB-ĐKT", dt.date(2025, 7, 1), "Trần Văn Bình")


def test_window_menu_exports_the_open_visit(qtbot: Any, window: Any, seams: dict[str, Any]) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Xuất báo cáo" in titles and "Đồ&ng bộ" in titles
    window.select_inspection(inspection_id(window.adapter.store, UNIT))
    window.feature("exports").menu.aboutToShow.emit()
    menu = window.feature("exports").menu
    actions = {a.text().replace("&", ""): a for a in menu.actions() if a.text()}
    assert list(actions) == [
        "Biên bản kiểm tra (PDF)…",
        "Biên bản kiểm tra (DOCX)…",
        "Thông báo kết luận (PDF)…",
        "Thông báo kết luận (DOCX)…",
        "Báo cáo kết quả kiểm tra (PDF)…",
        "Báo cáo kết quả kiểm tra (DOCX)…",
        "Bảng tổng hợp (XLSX)…",
    ]
    assert all(a.isEnabled() for a in actions.values())
    seams["conclude"] = True  # "Đánh dấu đã kết luận?" — Có
    with qtbot.waitSignal(window.feature("exports").controller.exported, timeout=30000) as blocker:
        actions["Thông báo kết luận (PDF)…"].trigger()
    path = Path(blocker.args[0])
    assert path.name == f"Thông báo kết luận - {UNIT}.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    # The conclusion notice is out: the visit is marked concluded, navigator and header follow.
    insp = inspection_id(window.adapter.store, UNIT)
    assert seams["conclude_asked"] == [UNIT]
    assert window.adapter.store.planning.inspection(insp)["status"] == "da-ket-luan"
    status = window.tree_model.index_for(insp).siblingAtColumn(2).data()
    assert status == "Đã kết luận"
    assert "Đã kết luận" in window.pane.header_label.text()
    assert (
        window.pane.visit_bar.reopen_action.isEnabled()
        and not window.pane.visit_bar.conclude_action.isEnabled()
    )
    # A second notice does not ask again.
    with qtbot.waitSignal(window.feature("exports").controller.exported, timeout=30000):
        actions["Thông báo kết luận (DOCX)…"].trigger()
    assert seams["conclude_asked"] == [UNIT]
    # "Sao lưu và khôi phục…" sits in the Tệp menu, before Thoát.
    file_menu = next(m for m in window.findChildren(QMenu) if window.quit_action in m.actions())
    texts = [a.text().replace("&", "") for a in file_menu.actions()]
    assert texts.index("Sao lưu và khôi phục…") < texts.index("Thoát")
