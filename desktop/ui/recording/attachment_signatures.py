"""The digital signatures of the attached PDF selected in "Tệp đính kèm".

Under the files: who signed, when, intact or changed, trusted (desktop.signing.evidence); a
PDF changed after signing in red. An intact signed PDF's date can become the date of the
evidence document being added ("Dùng ngày ký … cho tài liệu kiểm chứng").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import QLabel, QToolButton, QVBoxLayout, QWidget

# Strings the user sees.
T_SIGNED = "Có ký số"
T_CHANGED = "Đã bị thay đổi sau khi ký"
T_USE_DATE = "Dùng ngày ký {date} cho tài liệu kiểm chứng"
CHANGED_COLOR = "#b3261e"


def row_signatures(r: dict[str, Any], trust_roots: list[Any] | None) -> dict[str, Any] | None:
    """The signatures of an attachment row; None for anything but a PDF, or without trust
    roots (None: a database in memory, no trust folder)."""
    if trust_roots is None:
        return None
    from desktop.signing.evidence import attachment_signatures

    return attachment_signatures(r, trust_roots)


def with_signatures(base: str, found: dict[str, Any] | None, role: int) -> Any:
    """What the list shows of a file with `found` signatures: the name with "Có ký số" or
    "Đã bị thay đổi sau khi ký" (DisplayRole), the tooltip with one line per signature
    (ToolTipRole), red for a file changed after signing (ForegroundRole)."""
    changed = bool(found and found["changed"])
    if role == Qt.ItemDataRole.ForegroundRole:
        return QColor(CHANGED_COLOR) if changed else None
    if role == Qt.ItemDataRole.ToolTipRole:
        from desktop.signing.evidence import summary_lines

        return "\n".join([base, *summary_lines(found)])
    if changed:
        return f"{base}\n{T_CHANGED}"
    return f"{base}\n{T_SIGNED}" if found and found["signatures"] else base


class SignaturePanel(QWidget):
    """The signature lines of one attachment and the "use the signing date" button.

    Signal: signedOn(date: str) — use this signing date (dd/mm/yyyy) for the evidence.
    """

    signedOn = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        layout.addWidget(self.label)
        self.use_date_action = QAction(self)
        self.use_date_action.triggered.connect(
            lambda _checked=False: self.signedOn.emit(self.use_date_action.data())
        )
        self.use_date_button = QToolButton()
        self.use_date_button.setDefaultAction(self.use_date_action)
        layout.addWidget(self.use_date_button)
        self.show_signatures(None)

    def show_signatures(self, found: dict[str, Any] | None) -> None:
        """Show what desktop.signing.evidence.attachment_signatures found (None: hide)."""
        from desktop.signing.evidence import signed_on, summary_lines

        lines = summary_lines(found)
        changed = bool(found and found["changed"])
        self.label.setStyleSheet(f"color: {CHANGED_COLOR};" if changed else "")
        self.label.setText("\n".join(lines))
        day = signed_on(found["signatures"]) if found and not changed else None
        text = day.strftime("%d/%m/%Y") if day else ""
        self.use_date_action.setData(text)
        self.use_date_action.setText(T_USE_DATE.format(date=text))
        self.use_date_button.setVisible(bool(day))
        self.setVisible(bool(lines))
