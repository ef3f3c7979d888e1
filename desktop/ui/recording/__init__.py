"""On-site recording parts of the main window, plugged in by `install(window)`.

Adds to the finding editor the sections "Tài liệu kiểm chứng", "Tệp đính kèm" and "Kiến nghị";
to the "Ghi nhận" menu the history of the current finding (Ctrl+H); and the menu "Kết luận"
with "Soạn kết luận…" (Ctrl+K).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop.ui.common import keyboard
from desktop.ui.recording.attachments_section import AttachmentsSection
from desktop.ui.recording.evidence_section import EvidenceSection
from desktop.ui.recording.recommendation_section import RecommendationSection
from desktop.ui.shell import ActionId, MenuId

if TYPE_CHECKING:
    from desktop.ui.shell import Shell

# Strings the user sees.
T_MENU_CONCLUSION = "&Kết luận"
T_COMPOSE = "Soạn kết luận…"
T_COMPOSE_KEY = "Ctrl+K"


@dataclass
class Recording:
    """What `install` added, for tests and for other parts of the window."""

    evidence: EvidenceSection
    attachments: AttachmentsSection
    recommendation: RecommendationSection
    conclusion_action: QAction


def install(shell: Shell) -> Recording:
    """Add the recording sections, the history action and the "Kết luận" menu."""
    adapter = shell.adapter
    evidence = EvidenceSection(adapter)
    attachments = AttachmentsSection(adapter)
    recommendation = RecommendationSection(adapter)
    shell.add_editor_section(recommendation)
    shell.add_editor_section(evidence)
    shell.add_editor_section(attachments)

    def use_signing_date(text: str) -> None:
        # A signed PDF's date becomes the date of the evidence document being added.
        evidence.date_edit.setText(text)
        evidence.number_edit.setFocus()

    attachments.signatures.signedOn.connect(use_signing_date)
    # Ctrl+E from any text field of the window too (X11 text fields take it: end of line).
    keyboard.keep_shortcuts(shell.widget, evidence.add_action)

    record_menu = shell.menu(MenuId.RECORD)
    record_menu.addSeparator()
    record_menu.addAction(evidence.add_action)
    record_menu.addAction(shell.action(ActionId.HISTORY))
    record_menu.addAction(attachments.limit_action)

    compose = QAction(T_COMPOSE, shell.widget)
    compose.setShortcut(QKeySequence(T_COMPOSE_KEY))
    compose.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    compose.setToolTip(f"{T_COMPOSE.rstrip('…')} ({T_COMPOSE_KEY})")

    def compose_conclusion() -> None:
        inspection_id = shell.selection.inspection_id
        if inspection_id:
            from desktop.ui.recording.conclusion_editor import (
                ConclusionDialog,  # built when first asked
            )

            shell.flush()
            ConclusionDialog.ask(shell.widget, adapter, inspection_id)

    compose.triggered.connect(compose_conclusion)
    menu = shell.add_menu(MenuId.CONCLUSION, T_MENU_CONCLUSION)
    menu.addAction(compose)
    shell.add_shortcut(compose)
    recording = Recording(evidence, attachments, recommendation, compose)
    shell.register_feature("recording", recording)
    return recording
