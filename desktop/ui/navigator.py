"""The left of the main window and its toolbar: the plan and "Tôi là" pickers, the visits
navigator (months → visits → communes) and the areas with their progress.

These widgets show and pick; the main window reads and writes through the adapter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QListView,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import InspectionStatus, Role
from desktop.ui import strings
from desktop.ui.models import AreaListModel, InspectionTreeModel

# Strings the user sees.
T_PLAN = strings.PLAN
T_ME = "Tôi là:"
T_NOBODY = "— chọn thành viên đoàn —"
T_ME_TIP = "Thành viên đoàn dùng máy này: ghi tên vào kết quả và lọc lĩnh vực"
T_VISITS = "Cuộc kiểm tra"
T_AREAS = "Lĩnh vực"


class PlanBar(QToolBar):
    """Kế hoạch [combo]  Tôi là [combo]. The combos' signals tell what was picked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Kế hoạch", parent)
        self.setObjectName("plan_toolbar")
        self.setMovable(False)
        self.plan_combo = self._combo(T_PLAN, 36)
        self.addSeparator()
        self.me_combo = self._combo(T_ME, 30)
        self.me_combo.setToolTip(T_ME_TIP)
        self._members: list[dict[str, Any]] = []

    def _combo(self, label: str, width: int) -> QComboBox:
        self.addWidget(QLabel(f" {label} "))
        combo = QComboBox()
        combo.setMinimumContentsLength(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addWidget(combo)
        return combo

    def show_plans(self, plans: list[dict[str, Any]], wanted: str | None) -> int:
        """Fill the plan combo (signals blocked); the index of `wanted` (or 0)."""
        combo = self.plan_combo
        combo.blockSignals(True)
        combo.clear()
        for p in plans:
            combo.addItem(f"{p['number']} — năm {p['year']} ({p['units']} đơn vị)", p["id"])
            combo.setItemData(combo.count() - 1, p.get("title") or "", Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)
        return max(0, combo.findData(wanted)) if wanted else 0

    def show_members(self, members: list[dict[str, Any]], wanted: str | None) -> None:
        """Fill "Tôi là" with the delegation (signals blocked) and pick `wanted`."""
        self._members = members
        combo = self.me_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(T_NOBODY, None)
        for m in members:
            role = Role(m["role"]).label if m["role"] in set(Role) else m["role"]
            combo.addItem(f"{m['full_name']} · {role} · {m['areas'] or '—'}", m["id"])
            combo.setItemData(
                combo.count() - 1,
                f"{m['position_title']}, {m['agency']}"
                + (f" · {m['team']}" if m.get("team") else ""),
                Qt.ItemDataRole.ToolTipRole,
            )
        combo.setCurrentIndex(max(0, combo.findData(wanted)) if wanted else 0)
        combo.blockSignals(False)

    def member(self) -> dict[str, Any] | None:
        """The member picked in "Tôi là" (None: nobody)."""
        member_id = self.me_combo.currentData()
        return next((m for m in self._members if m["id"] == member_id), None)


class Navigator(QSplitter):
    """The visits tree over the area list."""

    def __init__(self, tree_model: InspectionTreeModel, area_model: AreaListModel) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.tree_model, self.area_model = tree_model, area_model
        self.tree = QTreeView()
        self.tree.setModel(tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths from the widest possible text: sizing to contents would ask the model
        # for every row's text at each layout (most of the start-up time on a big plan).
        for column, samples in (
            (InspectionTreeModel.COL_PROGRESS, ["9999/9999"]),
            (InspectionTreeModel.COL_STATUS, [s.label for s in InspectionStatus]),
        ):
            title = str(tree_model.headerData(column, Qt.Orientation.Horizontal))
            width = max(
                [self.tree.fontMetrics().horizontalAdvance(s) for s in samples]
                + [header.fontMetrics().horizontalAdvance(title)]
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width + 18)
        self.area_view = QListView()
        self.area_view.setModel(area_model)
        self.area_view.setWordWrap(True)
        self.area_view.setSpacing(1)
        self.area_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.addWidget(_titled(T_VISITS, self.tree))
        self.addWidget(_titled(T_AREAS, self.area_view))
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)


def _titled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 0)
    layout.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addWidget(widget)
    return box
