"""On-site recording parts of the main window, plugged in by `install(window)`.

Adds to the finding editor the sections "Tài liệu kiểm chứng", "Tệp đính kèm" and "Kiến nghị";
to the "Ghi nhận" menu the history of the current finding (Ctrl+H) and the self-assessment
form (desktop/ui/selfassessment_ui.py); and the menu "Kết luận" with "Soạn kết luận…" (Ctrl+K).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop.ui.attachments_section import AttachmentsSection
from desktop.ui.evidence_section import EvidenceSection
from desktop.ui.recommendation_section import RecommendationSection

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

# Strings the user sees.
T_MENU_CONCLUSION = "&Kết luận"
T_COMPOSE = "Soạn kết luận…"
T_COMPOSE_KEY = "Ctrl+K"
T_MENU_RECORD = "Ghi nhận"


@dataclass
class Recording:
    """What `install` added, for tests and for other parts of the window."""

    evidence: EvidenceSection
    attachments: AttachmentsSection
    recommendation: RecommendationSection
    conclusion_action: QAction


def install(window: MainWindow) -> Recording:
    """Add the recording sections, the history action and the "Kết luận" menu."""
    editor = window.editor
    evidence = EvidenceSection(window.adapter)
    attachments = AttachmentsSection(window.adapter)
    recommendation = RecommendationSection(window.adapter)
    editor.add_section(recommendation)
    editor.add_section(evidence)
    editor.add_section(attachments)

    bar = window.menuBar()
    record_menu = next(
        (a.menu() for a in bar.actions() if a.text().replace("&", "") == T_MENU_RECORD), None
    )
    if record_menu is not None:
        record_menu.addSeparator()
        record_menu.addAction(evidence.add_action)
        record_menu.addAction(editor.history_action)
    # The self-assessment form (Xuất phiếu / Nhập phiếu …) at the end of "Ghi nhận".
    from desktop.ui import selfassessment_ui

    selfassessment_ui.install(window)

    compose = QAction(T_COMPOSE, window)
    compose.setShortcut(QKeySequence(T_COMPOSE_KEY))
    compose.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    compose.setToolTip(f"{T_COMPOSE.rstrip('…')} ({T_COMPOSE_KEY})")

    def compose_conclusion() -> None:
        inspection_id = editor.inspection_id or getattr(window, "_inspection_id", None)
        if inspection_id:
            from desktop.ui.conclusion_editor import ConclusionDialog  # built when first asked

            editor.flush()
            ConclusionDialog.ask(window, window.adapter, inspection_id)

    compose.triggered.connect(compose_conclusion)
    menu = bar.addMenu(T_MENU_CONCLUSION)
    menu.addAction(compose)
    window.addAction(compose)
    return Recording(evidence, attachments, recommendation, compose)
