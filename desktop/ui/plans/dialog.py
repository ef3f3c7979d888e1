"""Thêm cuộc kiểm tra: one visit added to the open plan on site (a unit picked at random,
a surprise visit, a re-inspection): unit, level as written, parent, kind, date."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import LEVEL_NAMES, InspectionKind
from desktop.services.errors import UserError
from desktop.ui.common import dialogs_vi, keyboard
from desktop.ui.store_adapter import StoreAdapter

T_TITLE = "Thêm cuộc kiểm tra"
T_UNIT = "Tên đơn vị:"
T_UNIT_HINT = "Ví dụ: UBND phường Hàng Trống"
T_LEVEL = "Cấp:"
T_PARENT = "Trực thuộc:"
T_NO_PARENT = "(không trực thuộc đơn vị nào trong kế hoạch)"
T_KIND = "Loại kiểm tra:"
T_DATE = "Ngày kiểm tra:"
T_DATE_HINT = "dd/mm/yyyy (có thể để trống)"
T_BAD_DATE = "Ngày kiểm tra không hợp lệ: “{value}” (dạng dd/mm/yyyy)"
T_ADD = "Thêm"


class AddInspectionDialog(QDialog):
    """The form; "Thêm" writes through `adapter.add_inspection` and closes, a refusal is
    shown under the form (the dialog stays open)."""

    def __init__(self, adapter: StoreAdapter, plan_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter, self.plan_id = adapter, plan_id
        self.added: dict[str, object] | None = None
        self.setWindowTitle(T_TITLE)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText(T_UNIT_HINT)
        form.addRow(T_UNIT, self.unit_edit)
        self.level_combo = QComboBox()
        for name in LEVEL_NAMES:
            self.level_combo.addItem(name.label, name.label)
        self.level_combo.setCurrentIndex(self.level_combo.findData("Xã"))
        form.addRow(T_LEVEL, self.level_combo)
        self.parent_combo = QComboBox()
        self.parent_combo.addItem(T_NO_PARENT, None)
        seen: set[str] = set()
        for visit in adapter.inspections(plan_id):
            if visit["unit"] not in seen:
                seen.add(visit["unit"])
                self.parent_combo.addItem(visit["unit"], visit["unit"])
        form.addRow(T_PARENT, self.parent_combo)
        self.kind_combo = QComboBox()
        for kind in InspectionKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(InspectionKind.DOT_XUAT.value))
        form.addRow(T_KIND, self.kind_combo)
        self.date_edit = QLineEdit()
        self.date_edit.setPlaceholderText(T_DATE_HINT)
        form.addRow(T_DATE, self.date_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        box = dialogs_vi.buttons(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(T_ADD)
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        layout.addWidget(box)

    def _refuse(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    @Slot()
    def submit(self) -> bool:
        """Add the visit; False (and the reason shown) when refused."""
        text = self.date_edit.text().strip()
        visit_date = None
        if text:
            typed = keyboard.parse_date(text)  # the window's one rule for a typed date
            if typed is None:
                self._refuse(T_BAD_DATE.format(value=text))
                return False
            visit_date = typed.toPython()
        try:
            self.added = self.adapter.add_inspection(
                self.plan_id,
                self.unit_edit.text(),
                str(self.level_combo.currentData()),
                str(self.kind_combo.currentData()),
                parent=self.parent_combo.currentData(),
                visit_date=visit_date,
            )
        except UserError as exc:
            self._refuse(str(exc))
            return False
        self.accept()
        return True
