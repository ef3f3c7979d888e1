"""A conflict's fields as the secretary reads them (labels, values, times) and, for each
differing field, the choice of side in the conflicts window (FieldChoice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QGridLayout, QLabel, QRadioButton

from desktop.domain import Result

FIELD_LABELS = {
    "result": "Kết quả",
    "score": "Điểm",
    "note": "Nhận xét",
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "value": "Giá trị",
    "self_result": "Kết quả tự đánh giá",
    "self_score": "Điểm tự chấm",
    "self_evidence": "Minh chứng tự đánh giá",
    "recorded_by": "Người ghi",
    "recorded_at": "Thời điểm ghi",
    "deleted": "Đã xóa",
    "text": "Nội dung",
    "responsible": "Đơn vị thực hiện",
    "deadline": "Thời hạn",
    "strengths": "Ưu điểm",
    "limitations": "Hạn chế",
    "causes": "Nguyên nhân",
    "status": "Trạng thái",
    "number": "Số/ký hiệu",
    "issued_on": "Ngày ban hành",
    "summary": "Trích yếu",
    "title": "Tiêu đề",
    "name": "Tên",
    "full_name": "Họ tên",
    "role": "Vai trò",
    "areas": "Lĩnh vực phân công",
    "month": "Tháng",
    "visit_date": "Ngày kiểm tra",
    "kind": "Loại kiểm tra",
    "mode": "Hình thức",
    "level_name": "Cấp",
    "reinspects_id": "Tái kiểm tra của",
    "team": "Tổ kiểm tra",
    "units": "Đơn vị phụ trách",
}
NOTHING = "—"


def field_label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _when(iso: str | None) -> str:
    if not iso:
        return NOTHING
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.strftime("%d/%m/%Y %H:%M:%S")  # two edits a minute apart must differ


def format_value(field: str, value: Any) -> str:
    """A stored value as the secretary reads it."""
    if value is None or value == "":
        return NOTHING
    if field in ("result", "self_result") and value in set(Result):
        return Result(value).label
    if field == "deleted":
        return "Có" if value else "Không"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.strftime("%d/%m/%Y %H:%M" if len(value) > 10 else "%d/%m/%Y")
    return str(value)


T_CHOICE_MINE = "Máy này"
T_CHOICE_THEIRS = "Từ tệp"


class FieldChoice:
    """One differing field in the choices grid: its name, this laptop's value and the file's,
    a radio button for each side (one exclusive group: arrows switch, Tab goes on)."""

    def __init__(
        self,
        grid: QGridLayout,
        row: int,
        field: str,
        label: str,
        values: tuple[str, str],
        winner: str,
    ) -> None:
        """`values`: this laptop's and the file's, as shown; `winner`: "local" or "remote"."""
        self.field = field
        self.label = label
        name = QLabel(f"<b>{self.label}</b>")
        self.mine = QRadioButton(T_CHOICE_MINE)
        self.theirs = QRadioButton(T_CHOICE_THEIRS)
        self.mine_value = self._value(values[0])
        self.theirs_value = self._value(values[1])
        for button, value in ((self.mine, self.mine_value), (self.theirs, self.theirs_value)):
            button.setToolTip(value.text())
            button.setAccessibleName(f"{self.label}: {button.text()} — {value.text()}")
        self.group = QButtonGroup(grid)
        self.group.setExclusive(True)
        self.group.addButton(self.mine)
        self.group.addButton(self.theirs)
        self.widgets = (name, self.mine, self.mine_value, self.theirs, self.theirs_value)
        for column, widget in enumerate(self.widgets):
            grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
        self.group.buttonToggled.connect(self._toggled)
        self.choose("theirs" if winner == "remote" else "mine")  # what the row shows now

    @staticmethod
    def _value(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def choose(self, side: str) -> None:
        (self.theirs if side == "theirs" else self.mine).setChecked(True)

    def choice(self) -> str:
        return "theirs" if self.theirs.isChecked() else "mine"

    def checked_button(self) -> QAbstractButton:
        return self.theirs if self.theirs.isChecked() else self.mine

    def _toggled(self, _button: QAbstractButton, _checked: bool) -> None:
        # Tab stops once per field, on the chosen side; the arrows move between the sides.
        for button in (self.mine, self.theirs):
            tab = button.isChecked()
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if tab else Qt.FocusPolicy.ClickFocus)

    def remove(self) -> None:
        for widget in self.widgets:
            widget.setParent(None)
            widget.deleteLater()
