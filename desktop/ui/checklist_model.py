"""The checklist of one visit: ChecklistTableModel (one row per item with its finding) and
ChecklistFilterProxy (area, status filters, search, the pinned current item)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush

from desktop.domain import JudgingType, fold
from desktop.services import judging
from desktop.ui.common.rows_model import RIGHT_ALIGNED, RowsTableModel
from desktop.ui.judging_controls import shown_result
from desktop.ui.models import (
    CONFLICT,
    DISAGREE,
    DISAGREE_BACKGROUND,
    DISPLAY_ROLES,
    HEADERS_TABLE,
    RESULT_COLOURS,
    RESULT_ORDER,
    IdRole,
    ObjectRole,
    SortRole,
    result_label,
    score_text,
)


# =========================================================================================
# The checklist of one inspection
# =========================================================================================
class ChecklistTableModel(RowsTableModel):
    """One row per applicable checklist item with its finding (the store's row dict)."""

    HEADERS = HEADERS_TABLE

    COL_CODE, COL_TEXT, COL_RESULT, COL_SCORE, COL_SELF, COL_NOTE = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []
        self._row_of: dict[str, int] = {}
        self._folded: list[str | None] = []  # folded lazily: only a search needs it
        self._warning_icon: Any = None
        self._conflict_icon: Any = None

    # -- loading and edits ----------------------------------------------------------------
    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self._row_of = {r["item_id"]: n for n, r in enumerate(self._rows)}
        self._folded = [None] * len(self._rows)
        self.endResetModel()

    def update_item(self, item_id: str, fields: dict[str, Any]) -> int | None:
        """Merge new finding fields into a row; returns the row number (None if unknown)."""
        row = self._row_of.get(item_id)
        if row is None:
            return None
        self._rows[row].update(fields)
        self._folded[row] = None
        self.dataChanged.emit(
            self.index(row, 0), self.index(row, self.columnCount() - 1), DISPLAY_ROLES
        )
        return row

    def set_conflicts(self, item_ids: set[str]) -> None:
        """Mark the items whose finding has an unresolved sync conflict (row key "conflict")."""
        for n, r in enumerate(self._rows):
            flag = r["item_id"] in item_ids
            if bool(r.get("conflict")) != flag:
                r["conflict"] = flag
                self.dataChanged.emit(
                    self.index(n, 0),
                    self.index(n, self.columnCount() - 1),
                    [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole],
                )

    def conflicted(self) -> list[str]:
        """Item ids marked with a sync conflict."""
        return [r["item_id"] for r in self._rows if r.get("conflict")]

    @staticmethod
    def _fold(row: dict[str, Any]) -> str:
        return fold(" ".join([row["code"], row["text"], row.get("note") or ""]))

    def row_dict(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    def row_for_item(self, item_id: str) -> int | None:
        return self._row_of.get(item_id)

    def folded(self, row: int) -> str:
        text = self._folded[row]
        if text is None:
            text = self._folded[row] = self._fold(self._rows[row])
        return text

    def area_progress(self) -> dict[str, tuple[int, int]]:
        progress: dict[str, list[int]] = {}
        for r in self._rows:
            pair = progress.setdefault(r["area_code"], [0, 0])
            pair[0] += judging.is_recorded(r)
            pair[1] += 1
        return {code: (d, t) for code, (d, t) in progress.items()}

    def done_count(self) -> int:
        return sum(judging.is_recorded(r) for r in self._rows)

    # -- QAbstractTableModel --------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SortRole:
            return self._sort_value(index.row(), r, col)
        if role == ObjectRole:
            return r
        if role == IdRole:
            return r["item_id"]
        if r.get("conflict") and col == self.COL_CODE:
            if role == Qt.ItemDataRole.DecorationRole:
                if self._conflict_icon is None:
                    from desktop.ui.common.icons import conflict_icon

                    self._conflict_icon = conflict_icon()
                return self._conflict_icon
            if role == Qt.ItemDataRole.ToolTipRole:
                return CONFLICT
        differs = judging.disagrees(r)
        if role == Qt.ItemDataRole.BackgroundRole and differs:
            return QBrush(DISAGREE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_RESULT and r["result"]:
            return QBrush(RESULT_COLOURS[r["result"]])
        if role == Qt.ItemDataRole.DecorationRole and col == self.COL_SELF and differs:
            return self._warning()
        if role == Qt.ItemDataRole.ToolTipRole:
            if differs and col in (self.COL_RESULT, self.COL_SELF, self.COL_CODE):
                return DISAGREE
            if col in (self.COL_TEXT, self.COL_NOTE):
                return r["text"] if col == self.COL_TEXT else r.get("note") or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_SCORE:
            return RIGHT_ALIGNED
        return None

    def _display(self, r: dict[str, Any], col: int) -> Any:
        if col == self.COL_CODE:
            return r["code"]
        if col == self.COL_TEXT:
            return r["text"]
        if col == self.COL_RESULT:
            if r["result"]:
                return shown_result(r)
            if r["type"] == JudgingType.TEXT and (r.get("note") or "").strip():
                return "Đã nhận xét"
            return "—"
        if col == self.COL_SCORE:
            return score_text(r["score"], r["max_score"])
        if col == self.COL_SELF:
            parts = [result_label(r.get("self_result")), score_text(r.get("self_score"))]
            return " · ".join(p for p in parts if p)
        if col == self.COL_NOTE:
            return (r.get("note") or "").replace("\n", " ")
        return None

    def _sort_value(self, row: int, r: dict[str, Any], col: int) -> Any:
        if col == self.COL_CODE:
            return row  # checklist order: "A1.1.10" after "A1.1.9"
        if col == self.COL_RESULT:
            return RESULT_ORDER.get(r["result"], 0)
        if col == self.COL_SCORE:
            return -1.0 if r["score"] is None else float(r["score"])
        if col == self.COL_SELF:
            return RESULT_ORDER.get(r.get("self_result"), 0)
        return self._display(r, col) or ""

    def _warning(self) -> Any:
        if self._warning_icon is None:
            from desktop.ui.common.icons import warning_icon

            self._warning_icon = warning_icon()
        return self._warning_icon


# A search typed as an item code ("A3.4.1", "a1.3"): that item, or the items under it.
_CODE = re.compile(r"[a-z]\d+(\.\d+)*\.?")


class ChecklistFilterProxy(QSortFilterProxyModel):
    """Filters of the checklist: area or my areas, unrecorded, not passed, with
    recommendation, and a search that ignores case and diacritics ("niem yet" → "niêm yết");
    a code typed alone ("A3.4.1", "a1.3") shows that item or the items under it, nothing else.

    A `pinned` item escapes the status filters (unrecorded, not passed, with recommendation),
    so the row being edited does not vanish under the inspector's hands when recording it
    takes it out of "Chưa ghi nhận". Setting `pinned` to a visible row needs no refilter.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.area_code: str | None = None
        self.my_areas: set[str] | None = None
        self.unrecorded = False
        self.not_passed = False
        self.with_recommendation = False
        self.recommended_codes: set[str] = set()
        self.pinned: str | None = None
        self._words: list[str] = []
        self._hits: set[str] = set()  # items the full-text search found (evidence too)
        self._code = ""  # a code typed: only it and the items under it
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column`. By code, ascending, is the checklist's own order: the rows are
        then shown in source order instead of being compared pair by pair (a call into
        Python for each comparison, at every load of a visit)."""
        if column == ChecklistTableModel.COL_CODE and order == Qt.SortOrder.AscendingOrder:
            column = -1
        super().sort(column, order)

    def set_filters(self, **values: Any) -> None:
        """Change some filters (names as the attributes above) and refilter once (not at
        all when every value is the one already set)."""
        for name in values:
            if not hasattr(self, name):
                raise AttributeError(name)
        if all(getattr(self, name) == value for name, value in values.items()):
            return
        # Qt ≥ 6.10 brackets the change; older Qt only knows invalidateRowsFilter().
        modern = hasattr(self, "beginFilterChange")
        if modern:
            self.beginFilterChange()
        for name, value in values.items():
            setattr(self, name, value)
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def set_search(self, text: str, hits: set[str] | None = None) -> None:
        """Search words (folded: no case, no diacritics); `hits` are item ids that match
        elsewhere (evidence documents, via desktop.services.search) and are shown too."""
        words = fold(text).split()
        code = words[0].rstrip(".") if len(words) == 1 and _CODE.fullmatch(words[0]) else ""
        self.set_filters(_words=words, _hits=set(hits or ()), _code=code)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ChecklistTableModel):
            return True
        r = model.row_dict(source_row)
        if self.area_code is not None:
            if r["area_code"] != self.area_code:
                return False
        elif self.my_areas is not None and r["area_code"] not in self.my_areas:
            return False
        if self._code:
            code = r["code"].lower()
            if code != self._code and not code.startswith(self._code + "."):
                return False
        elif self._words:
            text = model.folded(source_row)
            if r["item_id"] not in self._hits and not all(word in text for word in self._words):
                return False
        if self.pinned is not None and r["item_id"] == self.pinned:
            return True  # status filters never hide the row being edited
        if self.unrecorded and judging.is_recorded(r):
            return False
        if self.not_passed and r["result"] not in judging.NOT_PASSED:
            return False
        return not self.with_recommendation or r["code"] in self.recommended_codes
