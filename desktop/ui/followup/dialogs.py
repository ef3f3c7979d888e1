"""The follow-up dialogs: record a remediation report, verify it (each with an ask classmethod)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    Slot,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import format_date
from desktop.ui.common import dialogs_vi, file_dialogs

if TYPE_CHECKING:
    pass
from desktop.ui.common.keyboard import DateField, ok_on_ctrl_enter
from desktop.ui.followup.register import (
    T_ATTACH,
    T_ATTACH_ADD,
    T_ATTACH_PICK,
    T_ATTACH_REMOVE,
    T_DOC_HINT,
    T_REPORT_DATE,
    T_REPORT_DOC,
    T_REPORT_FOR,
    T_REPORT_NOTE,
    T_REPORT_TITLE,
    T_VERIFY_NOTE,
    T_VERIFY_OK,
    T_VERIFY_REJECT,
    T_VERIFY_REPORT,
    T_VERIFY_TITLE,
)


# =========================================================================================
# Dialogs (each with an `ask` classmethod returning plain values; tests patch them)
# =========================================================================================
def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ReportDialog(QDialog):
    """A unit's remediation report: date, số/ký hiệu, what was done, attached files.

    Test seam: `pick_files` (the system's open-files dialog) is a static method to patch.
    """

    def __init__(
        self, recs: list[dict[str, Any]], today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_REPORT_TITLE)
        layout = QVBoxLayout(self)
        listing = "".join(f"<li>{r['unit']} — số {r['number']}: {r['text']}</li>" for r in recs[:8])
        more = f"<li>… và {len(recs) - 8} kiến nghị khác</li>" if len(recs) > 8 else ""
        head = QLabel(f"{T_REPORT_FOR.format(count=len(recs))}<ul>{listing}{more}</ul>")
        head.setWordWrap(True)
        layout.addWidget(head)
        form = QFormLayout()
        self.date_edit = DateField(qdate(today))
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMaximumDate(qdate(today))
        self.doc_edit = QLineEdit()
        self.doc_edit.setPlaceholderText(T_DOC_HINT)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        form.addRow(T_REPORT_DATE, self.date_edit)
        form.addRow(T_REPORT_DOC, self.doc_edit)
        form.addRow(T_REPORT_NOTE, self.note_edit)
        self.files: list[str] = []
        self.file_list = QListWidget()
        self.file_list.setMaximumHeight(90)
        self.add_files_button = QPushButton(T_ATTACH_ADD)
        self.add_files_button.clicked.connect(self.add_files)
        self.remove_file_button = QPushButton(T_ATTACH_REMOVE)
        self.remove_file_button.clicked.connect(self.remove_file)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_files_button)
        buttons_row.addWidget(self.remove_file_button)
        buttons_row.addStretch(1)
        files_box = QVBoxLayout()
        files_box.addWidget(self.file_list)
        files_box.addLayout(buttons_row)
        form.addRow(T_ATTACH, files_box)
        layout.addLayout(form)
        buttons = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        ok_on_ctrl_enter(self, buttons)
        layout.addWidget(buttons)
        self.resize(560, 520)

    @staticmethod
    def pick_files(parent: QWidget | None) -> list[str]:
        """Files chosen in the system's dialog (empty when cancelled)."""
        paths = file_dialogs.open_files(parent, T_ATTACH_PICK, str(Path.home()))
        return list(paths)

    @Slot()
    def add_files(self) -> None:
        for path in ReportDialog.pick_files(self):
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(Path(path).name)

    @Slot()
    def remove_file(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.files):
            self.files.pop(row)
            self.file_list.takeItem(row)

    def values(self) -> tuple[dt.date, str, str, list[str]]:
        return (
            pydate(self.date_edit.date()),
            self.doc_edit.text(),
            self.note_edit.toPlainText(),
            list(self.files),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, recs: list[dict[str, Any]], today: dt.date
    ) -> tuple[dt.date, str, str, list[str]] | None:
        """(reported_on, doc_number, note, attached file paths), or None when cancelled."""
        dialog = cls(recs, today, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class VerifyDialog(QDialog):
    """Accept or reject the latest remediation report of one recommendation."""

    def __init__(self, rec: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_VERIFY_TITLE)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{rec['unit']} — kiến nghị số {rec['number']}</b><br>{rec['text']}")
        head.setWordWrap(True)
        layout.addWidget(head)
        last = rec["remediations"][-1] if rec.get("remediations") else None
        if last:
            report = QLabel(
                T_VERIFY_REPORT.format(
                    doc=last["doc_number"],
                    date=format_date(last["reported_on"]),
                    note=last["note"],
                )
            )
            report.setWordWrap(True)
            layout.addWidget(report)
        self.ok_radio = QRadioButton(T_VERIFY_OK)
        self.reject_radio = QRadioButton(T_VERIFY_REJECT)
        self.ok_radio.setChecked(True)
        layout.addWidget(self.ok_radio)
        layout.addWidget(self.reject_radio)
        layout.addWidget(QLabel(T_VERIFY_NOTE))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        layout.addWidget(self.note_edit)
        buttons = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def values(self) -> tuple[bool, str]:
        return self.ok_radio.isChecked(), self.note_edit.toPlainText()

    @classmethod
    def ask(cls, parent: QWidget | None, rec: dict[str, Any]) -> tuple[bool, str] | None:
        """(ok, note), or None when cancelled."""
        dialog = cls(rec, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
