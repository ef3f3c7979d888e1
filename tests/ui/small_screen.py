"""Every window and dialog of the app on a 1024×600 screen: what fits, what is cut.

Run by tests/ui/test_small_screen_ui.py in a process of its own, because the screen size of
Qt's offscreen platform is fixed when the application starts:

    QT_QPA_PLATFORM=offscreen:configfile=screen.json python -m tests.ui.small_screen OUT.json

`discover()` finds the windows in the code (every QDialog and QMainWindow subclass of
desktop.ui, and every QWidget subclass made as a top-level Qt.WindowType.Window), so a new
dialog is measured too: `FACTORIES` builds the ones whose constructor needs data; the others
are tried with (adapter), (None) and ().
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SMALL = (1024, 600)
FRAME = (16, 48)  # a window manager's frame and title bar (offscreen draws none)


def discover() -> dict[str, type]:
    """ "module.Class" → class, for every top-level window class of desktop.ui."""
    from PySide6.QtWidgets import QDialog, QMainWindow, QWidget

    import desktop.ui

    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(desktop.ui.__path__, "desktop.ui."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if not inspect.isclass(cls) or cls.__module__ != info.name:
                continue
            if not issubclass(cls, QWidget):
                continue
            top = issubclass(cls, (QDialog, QMainWindow))
            if not top:
                try:
                    top = "WindowType.Window" in inspect.getsource(cls.__init__)
                except (OSError, TypeError):
                    top = False
            if top:
                found[f"{info.name}.{name}"] = cls
    return found


class Demo:
    """A demo database and what the factories need from it."""

    def __init__(self, folder: Path) -> None:
        from db import Store
        from desktop.services import conclusions
        from desktop.services.demo import build_demo
        from desktop.services.followup import register
        from desktop.ui.store_adapter import StoreAdapter

        self.store = Store.open(folder / "demo.sqlite")
        build_demo(self.store)
        self.adapter = StoreAdapter(self.store)
        self.insp = next(
            i["id"] for i in self.store.planning.inspections() if i["unit"] == "Sở Y tế"
        )
        self.item = self.store.findings.item_id_for_code(self.insp, "A1.1.1") or ""
        conclusions.add_recommendation(
            self.store, self.insp, "Niêm yết đầy đủ thủ tục hành chính", deadline=dt.date.today()
        )
        self.recs = register(self.store)


def _preview() -> dict[str, Any]:
    return {
        "file": "/tmp/thay-doi.kiemtra",
        "source": {"id": "d2", "name": "Máy của đoàn kiểm tra số 2", "fingerprint": "AB12" * 16},
        "keys_to_trust": [
            {
                "id": "d2",
                "name": "Máy của đoàn kiểm tra số 2",
                "fingerprint": "AB12" * 16,
                "introduced_by": None,
            },
            {
                "id": "d3",
                "name": "Máy thư ký đoàn",
                "fingerprint": "CD34" * 16,
                "introduced_by": "d2",
            },
        ],
        "inserted": 12000,
        "updated": 300,
        "unchanged": 45,
        "conflicts": 0,
        "trust": "unknown",
        "scope": {"plan": "21/KH-UBND — năm 2025", "plan_id": "p", "full": False},
        "created": "2025-07-09T10:12:00+07:00",
        "encryption": "none",
        "rows": 12345,
        "attachments": 12,
        "tables": {"findings": 9000, "evidence_docs": 3000, "recommendations": 345},
    }


FACTORIES: dict[str, Callable[[Demo], Any]] = {
    "desktop.ui.main_window.MainWindow": lambda d: _main_window(d),
    "desktop.ui.plans.dialog.AddInspectionDialog": lambda d: _import(
        "desktop.ui.plans.dialog", "AddInspectionDialog"
    )(d.adapter, d.store.planning.inspection(d.insp)["plan_id"]),
    "desktop.ui.exports.signing.SignDialog": lambda d: _import(
        "desktop.ui.exports.signing", "SignDialog"
    )(None, Path("/tmp/Thong-bao-ket-luan-So-Y-te.pdf")),
    "desktop.ui.backups.dialog.BackupsDialog": lambda d: _import(
        "desktop.ui.backups.dialog", "BackupsDialog"
    )(d.adapter, lambda _p: None),
    "desktop.ui.exports.dialog.ReportOptionsDialog": lambda d: _import(
        "desktop.ui.exports.dialog", "ReportOptionsDialog"
    )(None, "Thông báo kết luận kiểm tra — Sở Y tế", "12/TB-SNV", dt.date(2025, 7, 1), ""),
    "desktop.ui.common.dialogs_vi.TextDialog": lambda d: _import(
        "desktop.ui.common.dialogs_vi", "TextDialog"
    )(None, "Chi tiết lỗi", "Không ghi được tệp.", "Dòng 1\nDòng 2\n" * 40),
    "desktop.ui.recording.recommendation_dialog.RecommendationDialog": lambda d: _import(
        "desktop.ui.recording.recommendation_dialog", "RecommendationDialog"
    )([("A3.1.3", "Niêm yết thủ tục hành chính")], None, dt.date(2025, 9, 1)),
    "desktop.ui.recording.conclusion_editor.ConclusionDialog": lambda d: _import(
        "desktop.ui.recording.conclusion_editor", "ConclusionDialog"
    )(d.adapter, d.insp),
    "desktop.ui.followup.dialogs.ReportDialog": lambda d: _import(
        "desktop.ui.followup.dialogs", "ReportDialog"
    )(d.recs[:8], dt.date.today()),
    "desktop.ui.followup.dialogs.VerifyDialog": lambda d: _import(
        "desktop.ui.followup.dialogs", "VerifyDialog"
    )({**d.recs[0], "remediations": []}),
    "desktop.ui.sync.dialogs.SyncExportDialog": lambda d: _import(
        "desktop.ui.sync.dialogs", "SyncExportDialog"
    )(None, "21/KH-UBND", [("AB12" * 16, "may-thu-ky")]),
    "desktop.ui.sync.dialogs.ImportPreviewDialog": lambda d: _import(
        "desktop.ui.sync.dialogs", "ImportPreviewDialog"
    )(None, _preview()),
    "desktop.ui.common.workers._ProgressDialog": lambda d: _import(
        "desktop.ui.common.workers", "_ProgressDialog"
    )("Đang xuất báo cáo tổng hợp của 200 đơn vị…", True, None),
    "desktop.ui.history_dialog.HistoryDialog": lambda d: _import(
        "desktop.ui.history_dialog", "HistoryDialog"
    )(d.store, d.insp, d.item, "A1.1.1"),
}


def _import(module: str, name: str) -> Any:
    return getattr(importlib.import_module(module), name)


def _main_window(d: Demo) -> Any:
    from desktop.ui.main_window import MainWindow

    return MainWindow(d.adapter)


def build(name: str, cls: type, demo: Demo) -> Any:
    """One window of class `cls`, with demo data."""
    if name in FACTORIES:
        return FACTORIES[name](demo)
    errors = []
    for args in ((demo.adapter,), (None,), ()):
        try:
            return cls(*args)
        except TypeError as exc:
            errors.append(str(exc))
    raise TypeError(f"add a factory to tests/ui/small_screen.py: {errors[-1]}")


def measure(window: Any) -> dict[str, Any]:
    """Where the window is and which of its buttons are cut or outside it."""
    from PySide6.QtCore import QPoint, QRect, Qt
    from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QScrollArea

    window.show()
    for _ in range(5):
        QApplication.processEvents()
    frame = window.frameGeometry()
    inside = window.rect()
    cut = []
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        parent, scrolled = button.parentWidget(), False
        while parent is not None and parent is not window:
            if isinstance(parent, QAbstractScrollArea):
                scrolled = True  # reachable by scrolling: not cut by the window
            parent = parent.parentWidget()
        if scrolled:
            continue
        rect = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        hint = button.minimumSizeHint()
        if not inside.contains(rect) or button.width() < hint.width():
            cut.append(f"{button.text()} {rect.getRect()} hint {hint.width()}")
    # A panel that scrolls only up and down must not be wider than its window: what passes
    # the right edge is cut off with no way to see it.
    for area in window.findChildren(QScrollArea):
        body = area.widget()
        if (
            body is None
            or not area.isVisibleTo(window)
            or not area.widgetResizable()
            or area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        ):
            continue
        needed, shown = body.minimumSizeHint().width(), area.viewport().width()
        if needed > shown:
            cut.append(f"panel {type(area.parentWidget()).__name__} {needed} > {shown}")
    size = window.geometry().size()
    return {"frame": list(frame.getRect()), "size": [size.width(), size.height()], "cut": cut}


def main(out: Path) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from desktop.ui.app import use_vietnamese_locale

    use_vietnamese_locale()
    screen = app.primaryScreen().availableGeometry()
    results: dict[str, Any] = {"screen": list(screen.getRect()), "windows": {}}
    with tempfile.TemporaryDirectory() as folder:
        demo = Demo(Path(folder))
        for name, cls in sorted(discover().items()):
            try:
                window = build(name, cls, demo)
                results["windows"][name] = measure(window)
                window.close()
                window.deleteLater()
            except Exception as exc:  # reported per window by the test
                results["windows"][name] = {"error": f"{type(exc).__name__}: {exc}"}
        app.processEvents()
        demo.store.close()
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
