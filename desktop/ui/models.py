"""Qt item models of the recording screen: the visit navigator, the areas, the checklist.

Each holds plain dicts from the store. Edits arrive as `update_*` calls that emit
`dataChanged` with the roles that changed; only a reload (another inspection, another
database) resets a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain import InspectionKind, InspectionStatus, Result, kind_caption
from desktop.services import judging
from desktop.ui.common.rows_model import ENABLED_SELECTABLE, RIGHT_ALIGNED

ObjectRole = Qt.ItemDataRole.UserRole + 1  # the row's dict (or node), survives the proxy
SortRole = Qt.ItemDataRole.UserRole + 2  # native values for sorting
IdRole = Qt.ItemDataRole.UserRole + 3  # the id of the row's object

DISPLAY_ROLES = [
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.FontRole,
    SortRole,
    ObjectRole,
]

# Strings the user sees.
MONTH = "Tháng {month}"
NO_MONTH = "Chưa xếp lịch"
SURPRISE = "Đột xuất"  # surprise visits without a month: not "unscheduled", by design
UNIT_WITH_KIND = "{unit} ({kind})"
ALL_AREAS = "Tất cả lĩnh vực"
MY_AREAS = "Lĩnh vực của tôi ({codes})"
DISAGREE = "Đơn vị tự đánh giá khác kết quả kiểm tra"
CONFLICT = "Có xung đột đồng bộ — mở Đồng bộ ▸ Xung đột"
NOT_RECORDED = "Chưa ghi nhận"
HEADERS_NAV = ("Đơn vị", "Tiến độ", "Trạng thái")
HEADERS_TABLE = ("Mã", "Nội dung", "Kết quả", "Điểm", "Tự đánh giá", "Nhận xét")

RESULT_COLOURS = {
    Result.DAT.value: QColor("#1b7a3a"),
    Result.MOT_PHAN.value: QColor("#a15c00"),
    Result.KHONG_DAT.value: QColor("#b3261e"),
    Result.KHONG_AP_DUNG.value: QColor("#5f6368"),
}
DISAGREE_BACKGROUND = QColor("#fff4ce")
_NO_PARENT = QModelIndex()
RESULT_ORDER = {None: 0, "dat": 1, "mot-phan": 2, "khong-dat": 3, "khong-ap-dung": 4}


def result_label(code: str | None) -> str:
    return Result(code).label if code else ""


def score_text(score: float | None, max_score: float | None = None) -> str:
    if score is None:
        return ""
    shown = f"{score:g}".replace(".", ",")
    if max_score:
        return f"{shown}/{max_score:g}".replace(".", ",")
    return shown


# =========================================================================================
# The navigator: months → visits → subordinate/commune visits
# =========================================================================================
SURPRISE_GROUP = "dot-xuat"


def _group(row: dict[str, Any]) -> int | str | None:
    """The navigator's group of a visit: its month; a surprise visit without one goes under
    "Đột xuất", anything else without one under "Chưa xếp lịch"."""
    if row["month"]:
        return int(row["month"])
    if row.get("kind") == InspectionKind.DOT_XUAT.value:
        return SURPRISE_GROUP
    return None


def _group_order(group: int | str | None) -> tuple[int, int]:
    if isinstance(group, int):
        return (0, group)
    return (1, 0) if group == SURPRISE_GROUP else (2, 0)


def unit_caption(row: dict[str, Any]) -> str:
    """The unit as the navigator shows it: with its kind when not an announced visit."""
    kind = kind_caption(row.get("kind"), row.get("mode"))
    return UNIT_WITH_KIND.format(unit=row["unit"], kind=kind) if kind else str(row["unit"])


class _Node:
    __slots__ = ("kind", "month", "row", "parent", "children", "position")

    def __init__(
        self,
        kind: str,
        parent: _Node | None,
        month: int | str | None = None,
        row: dict[str, Any] | None = None,
    ) -> None:
        self.kind = kind  # "root", "month", "inspection"
        self.month = month  # a month, SURPRISE_GROUP or None (unscheduled)
        self.row: dict[str, Any] = row or {}
        self.parent = parent
        self.children: list[_Node] = []
        self.position = 0  # the row under its parent (children are only ever appended)
        if parent is not None:
            self.position = len(parent.children)
            parent.children.append(self)

    def index_in_parent(self) -> int:
        return self.position


class InspectionTreeModel(QAbstractItemModel):
    """Inspections of one plan grouped by month; a commune's visit under its district's."""

    COL_UNIT, COL_PROGRESS, COL_STATUS = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("root", None)
        self._by_id: dict[str, _Node] = {}

    # -- loading --------------------------------------------------------------------------
    def set_inspections(self, rows: Iterable[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._root = _Node("root", None)
        self._by_id = {}
        rows = list(rows)
        months: dict[int | str | None, _Node] = {}
        for group in sorted({_group(r) for r in rows}, key=_group_order):
            months[group] = _Node("month", self._root, month=group)
        ids = {r["id"] for r in rows}
        for r in rows:  # parents first: a child's parent may come later in schedule order
            if r["parent_id"] in ids:
                continue
            self._by_id[r["id"]] = _Node("inspection", months[_group(r)], row=dict(r))
        # Sub-units at any depth: place a child once its parent is placed.
        pending = [r for r in rows if r["parent_id"] in ids]
        while pending:
            ready = [r for r in pending if r["parent_id"] in self._by_id]
            if not ready:  # a loop (never written by the importer): show them at the top
                ready = pending[:1]
                self._by_id[ready[0]["id"]] = _Node(
                    "inspection", months[_group(ready[0])], row=dict(ready[0])
                )
                pending = pending[1:]
                continue
            for r in ready:
                self._by_id[r["id"]] = _Node("inspection", self._by_id[r["parent_id"]], row=dict(r))
            pending = [r for r in pending if r["id"] not in self._by_id]
        self.endResetModel()

    def update_inspection(self, inspection_id: str, **fields: Any) -> None:
        """Progress or status of one visit changed (and so its month's total)."""
        node = self._by_id.get(inspection_id)
        if node is None:
            return
        node.row.update(fields)
        last = self.columnCount() - 1
        self.dataChanged.emit(
            self._index_of(node, 0), self._index_of(node, last), [Qt.ItemDataRole.DisplayRole]
        )
        month = node.parent
        while month is not None and month.kind != "month":
            month = month.parent
        if month is not None:
            self.dataChanged.emit(
                self._index_of(month, 0), self._index_of(month, last), [Qt.ItemDataRole.DisplayRole]
            )

    # -- lookups --------------------------------------------------------------------------
    def index_for(self, inspection_id: str) -> QModelIndex:
        node = self._by_id.get(inspection_id)
        return self._index_of(node, 0) if node else QModelIndex()

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        node = self._by_id.get(inspection_id)
        return node.row if node else None

    def visit_of(self, inspection_id: str) -> list[dict[str, Any]]:
        """The parent's visit of an inspection: the parent first, then its children."""
        node = self._by_id.get(inspection_id)
        if node is None:
            return []
        while node.parent is not None and node.parent.kind == "inspection":
            node = node.parent
        return [node.row] + [c.row for c in self._walk(node)]

    def first_inspection_id(self) -> str | None:
        for month in self._root.children:
            if month.children:
                return str(month.children[0].row["id"])
        return None

    def _index_of(self, node: _Node, column: int) -> QModelIndex:
        if node is self._root:
            return QModelIndex()
        return self.createIndex(node.index_in_parent(), column, node)

    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # -- QAbstractItemModel ---------------------------------------------------------------
    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT
    ) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

    def parent(self, index: QModelIndex | QPersistentModelIndex | None = None) -> Any:
        if index is None:  # QObject.parent()
            return QObject.parent(self)
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        if node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self._index_of(node.parent, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return len(HEADERS_NAV)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(HEADERS_NAV):
                return HEADERS_NAV[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._node(index).kind == "inspection":
            return ENABLED_SELECTABLE
        return Qt.ItemFlag.ItemIsEnabled

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        col = index.column()
        if node.kind == "month":
            return self._month_data(node, col, role)
        row = node.row
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_UNIT:
                return unit_caption(row)
            if col == self.COL_PROGRESS:
                return f"{row['done']}/{row['total']}"
            if col == self.COL_STATUS:
                return InspectionStatus(row["status"]).label
        if role == Qt.ItemDataRole.ToolTipRole:
            team = f" · {row['team']}" if row.get("team") else ""
            return f"{unit_caption(row)}{team} — đã ghi nhận {row['done']}/{row['total']} nội dung"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_PROGRESS:
            return RIGHT_ALIGNED
        if role == IdRole:
            return row["id"]
        if role == ObjectRole:
            return row
        return None

    def _month_data(self, node: _Node, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.COL_UNIT:
                if node.month == SURPRISE_GROUP:
                    return SURPRISE
                return MONTH.format(month=node.month) if node.month else NO_MONTH
            if col == self.COL_PROGRESS:
                rows = [n.row for n in self._walk(node)]
                done = sum(r["done"] for r in rows)
                total = sum(r["total"] for r in rows)
                return f"{done}/{total}"
            return None
        if role == Qt.ItemDataRole.FontRole and col == self.COL_UNIT:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_PROGRESS:
            return RIGHT_ALIGNED
        return None

    def _walk(self, node: _Node) -> Iterable[_Node]:
        for child in node.children:
            yield child
            yield from self._walk(child)


# =========================================================================================
# Areas with their progress
# =========================================================================================
class AreaListModel(QAbstractListModel):
    """ "Tất cả lĩnh vực" then each content area: "A3 Cải cách TTHC… 5/13".

    Row 0 (all areas) has IdRole None. Areas outside the inspector's own are shown grey.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._areas: list[dict[str, Any]] = []  # code, name, done, total
        self._mine: set[str] = set()
        self._my_only = False

    def set_rows(self, items: Iterable[dict[str, Any]]) -> None:
        """Rebuild from the checklist rows of an inspection."""
        areas: dict[str, dict[str, Any]] = {}
        for item in items:
            area = areas.setdefault(
                item["area_code"],
                {"code": item["area_code"], "name": item["area_name"], "done": 0, "total": 0},
            )
            area["total"] += 1
            area["done"] += judging.is_recorded(item)
        self.beginResetModel()
        self._areas = list(areas.values())
        self.endResetModel()

    def set_progress(self, progress: dict[str, tuple[int, int]]) -> None:
        """New (done, total) per area code; only changed rows are announced."""
        for row, area in enumerate(self._areas, start=1):
            done, total = progress.get(area["code"], (0, 0))
            if (done, total) != (area["done"], area["total"]):
                area.update(done=done, total=total)
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        first = self.index(0)
        self.dataChanged.emit(first, first, [Qt.ItemDataRole.DisplayRole])

    def set_mine(self, codes: set[str], my_only: bool) -> None:
        self._mine, self._my_only = set(codes), my_only
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0),
                self.index(self.rowCount() - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole],
            )

    def row_of(self, code: str | None) -> int:
        for row, area in enumerate(self._areas, start=1):
            if area["code"] == code:
                return row
        return 0

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        if parent.isValid():
            return 0
        return len(self._areas) + 1 if self._areas else 0

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if index.row() == 0:
            return self._all_data(role)
        area = self._areas[index.row() - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{area['code']}  {area['name']}   {area['done']}/{area['total']}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{area['code']} {area['name']}: đã ghi nhận {area['done']}/{area['total']}"
                " nội dung"
            )
        if role == Qt.ItemDataRole.ForegroundRole and self._mine and area["code"] not in self._mine:
            return QBrush(QColor("#80868b"))
        if role == IdRole:
            return area["code"]
        if role == ObjectRole:
            return area
        return None

    def _all_data(self, role: int) -> Any:
        done = sum(a["done"] for a in self._areas)
        total = sum(a["total"] for a in self._areas)
        if role == Qt.ItemDataRole.DisplayRole:
            if self._my_only and self._mine:
                mine = [a for a in self._areas if a["code"] in self._mine]
                done = sum(a["done"] for a in mine)
                total = sum(a["total"] for a in mine)
                label = MY_AREAS.format(codes=", ".join(sorted(self._mine)))
            else:
                label = ALL_AREAS
            return f"{label}   {done}/{total}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None
