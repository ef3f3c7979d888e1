"""One recommendation of a visit: its table model and the dialog that adds or edits it
(text, item, responsible unit, deadline); `ask_yes_no` is the question tests patch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.common.keyboard import DateField, ok_on_ctrl_enter
from desktop.ui.common.rows_model import RowsTableModel
from desktop.ui.models import IdRole, ObjectRole

# Strings the user sees.
T_TITLE = "Kết luận kiểm tra — {unit}"
T_TAB_AREAS = "Ưu điểm, hạn chế"
T_TAB_CAUSES = "Nguyên nhân"
T_TAB_RECS = strings.RECOMMENDATION
T_STRENGTHS = "Ưu điểm (mỗi ý một dòng)"
T_LIMITATIONS = "Tồn tại, hạn chế (mỗi ý một dòng)"
T_CAUSES = "Nguyên nhân của tồn tại, hạn chế (mỗi ý một dòng)"
T_SUGGEST = "Gợi ý từ kết quả"
T_SUGGEST_TIP = "Điền ưu điểm và hạn chế từ kết quả đã ghi nhận (sửa lại trước khi lưu)"
T_REPLACE = "Thay nội dung đã soạn bằng gợi ý từ kết quả kiểm tra?"
T_AREAS = "Lĩnh vực"
T_SAVE = strings.SAVE
T_CLOSE = strings.CLOSE
T_SAVED = strings.SAVED_AT
T_NOT_SAVED = "Không lưu được kết luận. Vẫn đóng (bỏ phần vừa gõ)?"
T_ADD_REC = "Thêm kiến nghị…"
T_EDIT_REC = "Sửa…"
T_DELETE_REC = strings.DELETE
T_DELETE_ASK = "Xóa kiến nghị số {number}?"
REC_HEADERS = ("Số", "Kiến nghị", "Nội dung", "Đơn vị thực hiện", "Thời hạn")
T_REC_DIALOG = strings.RECOMMENDATION
T_REC_TEXT = "Nội dung kiến nghị:"
T_REC_NEED_TEXT = "Cần ghi nội dung kiến nghị trước khi lưu."
T_REC_ITEM = "Gắn với nội dung:"
T_REC_NO_ITEM = "— không gắn với nội dung cụ thể —"
T_REC_RESPONSIBLE = strings.RESPONSIBLE
T_REC_DEADLINE = strings.DEADLINE
T_READ_ONLY = "Cơ sở dữ liệu đang mở ở chế độ chỉ đọc: chỉ xem, không lưu được."

_NO_PARENT = QModelIndex()


def ask_yes_no(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question (Có/Không); tests patch this."""
    return dialogs_vi.ask_yes_no(parent, title, question)


def confirm_delete(parent: QWidget | None, title: str, question: str) -> bool:
    """Ask before deleting; "Hủy" is the default (Enter keeps it). Tests patch this."""
    return dialogs_vi.confirm_delete(parent, title, question, accept=T_DELETE_REC)


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class RecommendationTableModel(RowsTableModel):
    """The live recommendations of an inspection, by number (dicts from the service)."""

    HEADERS = REC_HEADERS

    COL_NUMBER, COL_TEXT, COL_ITEM, COL_RESPONSIBLE, COL_DEADLINE = range(5)

    def replace(self, row: dict[str, Any]) -> None:
        for n, r in enumerate(self._rows):
            if r["id"] == row["id"]:
                self._rows[n] = dict(row)
                self.dataChanged.emit(
                    self.index(n, 0),
                    self.index(n, self.columnCount() - 1),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
                )
                return

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_NUMBER:
                return str(r["number"])
            if col == self.COL_TEXT:
                return r["text"]
            if col == self.COL_ITEM:
                return r["item_code"] or r["area_code"] or ""
            if col == self.COL_RESPONSIBLE:
                return r["responsible"] or ""
            if col == self.COL_DEADLINE:
                return r["deadline_text"]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_NUMBER:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == IdRole:
            return r["id"]
        if role == ObjectRole:
            return r
        return None


class RecommendationDialog(QDialog):
    """One recommendation: text, item, responsible unit, deadline. See `ask`."""

    def __init__(
        self,
        items: list[tuple[str, str]],
        initial: dict[str, Any] | None,
        deadline: dt.date,
        parent: QWidget | None = None,
        *,
        earliest: str | dt.date | None = None,
    ) -> None:
        """`earliest`: the visit date (ISO text or a date); no deadline before it."""
        super().__init__(parent)
        self.setWindowTitle(T_REC_DIALOG)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(80)
        form.addRow(T_REC_TEXT, self.text_edit)
        self.item_combo = QComboBox()
        self.item_combo.addItem(T_REC_NO_ITEM, None)
        for code, text in items:
            self.item_combo.addItem(f"{code}  {text}", code)
            self.item_combo.setItemData(
                self.item_combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole
            )
        self.item_combo.setMinimumContentsLength(40)
        self.item_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        form.addRow(T_REC_ITEM, self.item_combo)
        self.responsible_edit = QLineEdit()
        form.addRow(T_REC_RESPONSIBLE, self.responsible_edit)
        self.deadline_edit = DateField()
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        if earliest:
            first = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(earliest)
            self.deadline_edit.setMinimumDate(_qdate(first))
        self.deadline_edit.setDate(_qdate(deadline))
        form.addRow(T_REC_DEADLINE, self.deadline_edit)
        if initial:
            self.text_edit.setPlainText(initial.get("text") or "")
            self.item_combo.setCurrentIndex(
                max(0, self.item_combo.findData(initial.get("item_code")))
            )
            # An existing recommendation keeps its item (renumbering is not an edit).
            self.item_combo.setEnabled(False)
            self.responsible_edit.setText(initial.get("responsible") or "")
            if initial.get("deadline"):
                self.deadline_edit.setDate(_qdate(dt.date.fromisoformat(initial["deadline"])))
        buttons = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(T_SAVE)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        ok_on_ctrl_enter(self, buttons)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b3261e;")
        form.addRow(self.message_label)
        form.addRow(buttons)
        self.resize(620, 300)

    def _accept(self) -> None:
        """Save only a recommendation with text and a deadline it can take; say why not."""
        if not self.text_edit.toPlainText().strip():
            self.message_label.setText(T_REC_NEED_TEXT)
            self.text_edit.setFocus()
        elif not self.deadline_edit.commit():
            self.message_label.setText(self.deadline_edit.error_text())
            self.deadline_edit.setFocus()
        else:
            self.accept()

    def values(self) -> dict[str, Any]:
        d = self.deadline_edit.date()
        return {
            "text": self.text_edit.toPlainText().strip(),
            "item_code": self.item_combo.currentData(),
            "responsible": self.responsible_edit.text().strip(),
            "deadline": dt.date(d.year(), d.month(), d.day()),
        }

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        items: list[tuple[str, str]],
        initial: dict[str, Any] | None,
        deadline: dt.date,
        *,
        earliest: str | dt.date | None = None,
    ) -> dict[str, Any] | None:
        """Values typed (text, item_code, responsible, deadline) or None when cancelled."""
        dialog = cls(items, initial, deadline, parent, earliest=earliest)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
