"""The "Kiến nghị" section of the finding editor: what the unit must fix for this item.

Shown when the item is judged Không đạt or Đạt một phần (or already carries a
recommendation): the text, the responsible unit and the remediation deadline (default: the
visit date + 30 days). What is typed is saved by itself (after a pause, at least every 5 s
while typing, on focus-out and when the inspector moves on): the first save adds the
recommendation tied to the item's code, later ones update it. "Lưu kiến nghị" saves now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.errors import StoreError
from desktop.domain import Result
from desktop.services import conclusions
from desktop.services.errors import UserError
from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.common.autosave import Autosaver
from desktop.ui.common.keyboard import DateField
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = strings.RECOMMENDATION
T_NUMBERED = "Kiến nghị số {number}"
T_NEW = "Kiến nghị mới cho nội dung này"
T_TEXT_HINT = "Yêu cầu đơn vị khắc phục… (vd. Niêm yết đầy đủ TTHC tại Bộ phận Một cửa)"
T_RESPONSIBLE = strings.RESPONSIBLE
T_RESPONSIBLE_HINT = "Đơn vị/bộ phận chịu trách nhiệm"
T_DEADLINE = strings.DEADLINE
T_SAVE = "Lưu kiến nghị"
T_DELETE = "Xóa kiến nghị"
T_DELETE_YES = strings.DELETE
T_ASK_DELETE = (
    "Xóa kiến nghị số {number} của nội dung này?\n"
    "Các kiến nghị khác giữ nguyên số thứ tự; việc xóa được ghi lại trong lịch sử thay đổi."
)
T_SAVED = "Kiến nghị số {number} — đã lưu lúc {time}"

SHOWN_FOR = {Result.KHONG_DAT.value, Result.MOT_PHAN.value}


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class RecommendationSection(QGroupBox):
    """Plugged into FindingEditor with `add_section`; `set_item` follows the current item.

    It writes through the adapter, which announces recommendationsChanged.
    """

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(T_TITLE, parent)
        self._adapter = adapter
        self._inspection_id: str | None = None
        self._row: dict[str, Any] | None = None
        self._rec: dict[str, Any] | None = None
        self._loading = False
        self._dirty = False
        self.autosave = Autosaver(self.flush, self)

        layout = QVBoxLayout(self)
        self.number_label = QLabel()
        self.number_label.setStyleSheet("color: #5f6368;")
        layout.addWidget(self.number_label)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(T_TEXT_HINT)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(60)
        self.text_edit.setMaximumHeight(110)
        self.text_edit.textChanged.connect(self._changed)
        layout.addWidget(self.text_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.responsible_edit = QLineEdit()
        self.responsible_edit.setPlaceholderText(T_RESPONSIBLE_HINT)
        self.responsible_edit.textEdited.connect(self._changed)
        form.addRow(T_RESPONSIBLE, self.responsible_edit)
        self.deadline_edit = DateField()
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.dateChanged.connect(self._changed)
        form.addRow(T_DEADLINE, self.deadline_edit)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        buttons.addWidget(self.message_label, 1)
        self.delete_button = QPushButton(T_DELETE)
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.delete_button)
        self.save_button = QPushButton(T_SAVE)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.autosave.watch(self.text_edit, self.responsible_edit, self.deadline_edit)

    # -- following the editor -------------------------------------------------------------
    def set_item(self, inspection_id: str | None, row: dict[str, Any] | None) -> None:
        """Show the recommendation of another item (saving what was typed for the last one)."""
        same = (
            row is not None
            and self._row is not None
            and inspection_id == self._inspection_id
            and row["item_id"] == self._row["item_id"]
        )
        if not same:
            self.flush()
        self._inspection_id, self._row = inspection_id, row
        if not same:
            self._load()
        self._update_visibility()

    def _update_visibility(self) -> None:
        r = self._row
        self.setVisible(
            r is not None and (r.get("result") in SHOWN_FOR or self._rec is not None or self._dirty)
        )
        writable = not self._adapter.read_only
        for w in (self.text_edit, self.responsible_edit, self.deadline_edit):
            w.setEnabled(writable)
        self.save_button.setEnabled(writable)
        self.delete_button.setEnabled(writable and self._rec is not None)

    def _find(self) -> dict[str, Any] | None:
        if self._row is None or not self._inspection_id:
            return None
        code = self._row["code"]
        return next(
            (
                r
                for r in conclusions.list_recommendations(self._adapter.reads, self._inspection_id)
                if r["item_code"] == code
            ),
            None,
        )

    def _load(self) -> None:
        self._loading = True
        try:
            self._rec = self._find()
            self.message_label.setText("")
            rec = self._rec
            if rec is not None:
                self.number_label.setText(T_NUMBERED.format(number=rec["number"]))
                self.text_edit.setPlainText(rec["text"])
                self.responsible_edit.setText(rec["responsible"] or "")
                deadline = (
                    dt.date.fromisoformat(rec["deadline"]) if rec["deadline"] else None
                ) or self._default_deadline()
            else:
                self.number_label.setText(T_NEW)
                self.text_edit.setPlainText("")
                self.responsible_edit.setText("")
                deadline = self._default_deadline()
            if deadline is not None:
                self.deadline_edit.setDate(to_qdate(deadline))
        finally:
            self._loading = False
            self._dirty = False

    def _default_deadline(self) -> dt.date | None:
        if not self._inspection_id:
            return None
        try:
            return conclusions.default_deadline(self._adapter.reads, self._inspection_id)
        except UserError:
            return None

    @Slot()
    def _changed(self, *_: Any) -> None:
        if not self._loading:
            self._dirty = True  # "đã lưu lúc …" stays: the last save, until the next one
            self.autosave.touch()

    @property
    def dirty(self) -> bool:
        return self._dirty

    # -- writing --------------------------------------------------------------------------
    def flush(self) -> None:
        """Save what was typed (the autosave; called when the item changes)."""
        self.autosave.cancel()
        if self._dirty and self.text_edit.toPlainText().strip():
            self.save()

    @Slot()
    def save(self) -> dict[str, Any] | None:
        """Add or update the recommendation of the current item; the stored row or None."""
        self.autosave.cancel()
        if self._row is None or not self._inspection_id:
            return None
        deadline = from_qdate(self.deadline_edit.date())
        inspection_id = self._inspection_id
        # Not dirty while the adapter announces the write (its listeners may flush us).
        self._dirty = False
        try:
            if self._rec is None:
                rec = self._adapter.add_recommendation(
                    inspection_id,
                    self.text_edit.toPlainText(),
                    item_code=self._row["code"],
                    deadline=deadline,
                    responsible=self.responsible_edit.text(),
                )
            else:
                rec = self._adapter.update_recommendation(
                    inspection_id,
                    self._rec["id"],
                    text=self.text_edit.toPlainText(),
                    deadline=deadline,
                    responsible=self.responsible_edit.text(),
                )
        except (UserError, StoreError) as exc:
            self._dirty = True
            self.message_label.setStyleSheet("color: #b3261e;")
            self.message_label.setText(str(exc))
            return None
        self._rec = rec
        self.number_label.setText(T_NUMBERED.format(number=rec["number"]))
        self.message_label.setStyleSheet("color: #1b7a3a;")
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.message_label.setText(T_SAVED.format(number=rec["number"], time=now))
        self._update_visibility()
        return rec

    @Slot()
    def delete(self) -> None:
        """Delete the item's recommendation (a tombstone; the others keep their numbers)."""
        if self._rec is None or not self._inspection_id:
            return
        question = T_ASK_DELETE.format(number=self._rec.get("number") or "")
        if not dialogs_vi.confirm_delete(self, T_DELETE, question, accept=T_DELETE_YES):
            return
        try:
            self._adapter.delete_recommendation(self._inspection_id, self._rec["id"])
        except (UserError, StoreError) as exc:
            self.message_label.setText(str(exc))
            return
        self._load()
        self._update_visibility()
