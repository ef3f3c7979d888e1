"""The visit row above the checklist: visit date, place and the lifecycle button
(Kết thúc kiểm tra, Đánh dấu đã kết luận, Mở lại — desktop.services.inspections).

The bar only shows a visit and asks for changes with `stepRequested`; the main window writes
them through the adapter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from desktop.domain import InspectionStatus
from desktop.ui.common.keyboard import DateField

# Strings the user sees.
T_VISIT_DATE = "Ngày kiểm tra:"
T_PLACE = "Địa điểm:"
T_PLACE_HINT = "Nơi làm việc với đơn vị"
T_FINISH = "Kết thúc kiểm tra"
T_FINISH_TIP = "Đoàn đã làm việc xong tại đơn vị: chuyển sang “Đã kiểm tra”"
T_CONCLUDE = "Đánh dấu đã kết luận"
T_CONCLUDE_TIP = "Đã ban hành thông báo kết luận: chuyển sang “Đã kết luận”"
T_REOPEN = "Mở lại"
T_REOPEN_TIP = "Trở lại “Đang kiểm tra” để ghi nhận tiếp"
T_STEPS = "Trạng thái"
T_STEPS_TIP = "Kết thúc kiểm tra, đánh dấu đã kết luận hoặc mở lại cuộc kiểm tra"
NO_DATE = QDate(2000, 1, 1)  # the date edit's "—"

_STARTED = {InspectionStatus.DANG_KIEM_TRA.value, InspectionStatus.DA_KIEM_TRA.value}
_DONE = {InspectionStatus.DA_KIEM_TRA.value, InspectionStatus.DA_KET_LUAN.value}


class VisitBar(QWidget):
    """Date, place and lifecycle actions of one visit.

    Signals: stepRequested(step: str, changes: dict) — step "visit" (visit_date, place),
    "finish", "conclude" or "reopen", as `StoreAdapter.inspection_step` takes them.
    """

    stepRequested = Signal(str, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._place = ""
        self.finish_action = self._step_action(T_FINISH, T_FINISH_TIP, "finish")
        self.conclude_action = self._step_action(T_CONCLUDE, T_CONCLUDE_TIP, "conclude")
        self.reopen_action = self._step_action(T_REOPEN, T_REOPEN_TIP, "reopen")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(T_VISIT_DATE))
        self.visit_date_edit = DateField()
        self.visit_date_edit.setDisplayFormat("dd/MM/yyyy")
        self.visit_date_edit.setCalendarPopup(True)
        self.visit_date_edit.setMinimumDate(NO_DATE)
        self.visit_date_edit.setSpecialValueText("—")
        self.visit_date_edit.setKeyboardTracking(False)
        self.visit_date_edit.setToolTip("Ngày đoàn làm việc tại đơn vị")
        self.visit_date_edit.dateChanged.connect(self._date_changed)
        row.addWidget(self.visit_date_edit)
        row.addWidget(QLabel(T_PLACE))
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(T_PLACE_HINT)
        self.place_edit.editingFinished.connect(self._place_edited)
        self.place_edit.setMinimumWidth(80)  # the window fits 1024 px with the editor whole
        row.addWidget(self.place_edit, 1)
        # The visit's lifecycle in one compact button (also in the Ghi nhận menu).
        self.step_button = QToolButton()
        self.step_button.setText(T_STEPS)
        self.step_button.setToolTip(T_STEPS_TIP)
        self.step_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        steps = QMenu(self.step_button)
        steps.addActions(self.step_actions())
        self.step_button.setMenu(steps)
        row.addWidget(self.step_button)

    def _step_action(self, text: str, tip: str, step: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.triggered.connect(lambda: self.stepRequested.emit(step, {}))
        return action

    def step_actions(self) -> list[QAction]:
        """Kết thúc kiểm tra, Đánh dấu đã kết luận, Mở lại."""
        return [self.finish_action, self.conclude_action, self.reopen_action]

    def show_visit(self, insp: dict[str, Any] | None, writable: bool) -> None:
        """Show a visit's date and place and enable the steps its status allows."""
        writable = insp is not None and writable
        status = insp["status"] if insp else ""
        self.visit_date_edit.blockSignals(True)
        value = insp.get("visit_date") if insp else None
        self.visit_date_edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)
        self.visit_date_edit.blockSignals(False)
        self._place = (insp.get("place") or "") if insp else ""
        self.place_edit.setText(self._place)
        for w in (self.visit_date_edit, self.place_edit):
            w.setEnabled(writable)
        self.finish_action.setEnabled(writable and status == InspectionStatus.DANG_KIEM_TRA.value)
        self.conclude_action.setEnabled(writable and status in _STARTED)
        self.reopen_action.setEnabled(writable and status in _DONE)

    @Slot(QDate)
    def _date_changed(self, date: QDate) -> None:
        if date != NO_DATE:
            self.stepRequested.emit("visit", {"visit_date": date.toPython()})

    @Slot()
    def _place_edited(self) -> None:
        if self.place_edit.text().strip() != self._place:
            self.stepRequested.emit("visit", {"place": self.place_edit.text()})
