"""The centre of the main window: the unit switcher, the unit's header, banners, the visit
row, search, filters and the checklist table of the open visit.

The pane shows and filters; it writes nothing. It tells the window which row became current
with `itemPicked` and which unit tab was picked with `visitPicked`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import InspectionStatus, UnitLevel, fold, kind_and_mode, kind_caption
from desktop.services import judging
from desktop.ui.checklist_model import ChecklistFilterProxy, ChecklistTableModel
from desktop.ui.common.keyboard import tab_leaves
from desktop.ui.models import AreaListModel, IdRole, ObjectRole
from desktop.ui.visit_bar import VisitBar

if TYPE_CHECKING:
    from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_NEXT = "Nội dung tiếp theo"
T_PREV = "Nội dung trước"
T_NEXT_OPEN = "Nội dung chưa ghi nhận tiếp theo"
T_SEARCH = "Tìm trong nội dung và nhận xét"
T_SEARCH_HINT = "Tìm nội dung, nhận xét (gõ không dấu được)…  Ctrl+F"
T_MY_AREAS = "Lĩnh vực của tôi"
T_TO_NOTE = "Viết nhận xét cho nội dung này"
T_UNRECORDED = "Chưa ghi nhận"
T_NOT_PASSED = "Không đạt"
T_NOT_PASSED_TIP = "Kết quả Không đạt hoặc Đạt một phần (Ctrl+3)"
T_WITH_REC = "Có kiến nghị"
T_COUNT = "{shown}/{total} nội dung"
T_ALL_DONE = "Đã ghi nhận hết các nội dung đang hiển thị."
T_PICK_ME = "Chọn “Tôi là” để lọc theo lĩnh vực được phân công"
SEARCH_LIMIT = 2000  # hits of one inspection: items, observations, evidence


def make_action(
    parent: QWidget, text: str, keys: list[str] | None = None, *, checkable: bool = False
) -> QAction:
    """An action with its shortcuts, the first one shown in its tooltip."""
    action = QAction(text, parent)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip(f"{text} ({keys[0]})")
    action.setCheckable(checkable)
    return action


class ChecklistPane(QWidget):
    """Signals: itemPicked(row: object) — a row became current (None: no row shown);
    visitPicked(inspection_id: str) — a unit tab was picked; status(message: str);
    noteRequested() — Enter or F2 on a row: the user wants to write its note."""

    itemPicked = Signal(object)
    visitPicked = Signal(str)
    status = Signal(str)
    noteRequested = Signal()

    def __init__(self, adapter: StoreAdapter, area_model: AreaListModel) -> None:
        super().__init__()
        self.adapter = adapter
        self.area_model = area_model
        self.inspection_id: str | None = None
        self.mine: set[str] = set()
        self.table_model = ChecklistTableModel(self)
        self.proxy = ChecklistFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)
        self._build_actions()
        self._build()

    def _build_actions(self) -> None:
        # Alt+Down/Up stay the platform's "open the drop-down" (combos, dates).
        self.next_action = make_action(self, T_NEXT, ["Ctrl+Down", "Ctrl+]"])
        self.next_action.triggered.connect(lambda: self.move_current(1))
        self.prev_action = make_action(self, T_PREV, ["Ctrl+Up", "Ctrl+["])
        self.prev_action.triggered.connect(lambda: self.move_current(-1))
        self.next_open_action = make_action(self, T_NEXT_OPEN, ["F3", "Ctrl+N"])
        self.next_open_action.triggered.connect(self.next_unrecorded)
        self.search_action = make_action(self, T_SEARCH, ["Ctrl+F"])
        self.search_action.triggered.connect(self._focus_search)
        self.my_areas_action = make_action(self, T_MY_AREAS, ["Ctrl+1"], checkable=True)
        self.unrecorded_action = make_action(self, T_UNRECORDED, ["Ctrl+2"], checkable=True)
        self.not_passed_action = make_action(self, T_NOT_PASSED, ["Ctrl+3"], checkable=True)
        self.not_passed_action.setToolTip(T_NOT_PASSED_TIP)
        self.with_rec_action = make_action(self, T_WITH_REC, ["Ctrl+4"], checkable=True)
        for action in self.filter_actions():
            action.toggled.connect(self.apply_filters)

    def filter_actions(self) -> list[QAction]:
        return [
            self.my_areas_action,
            self.unrecorded_action,
            self.not_passed_action,
            self.with_rec_action,
        ]

    def move_actions(self) -> list[QAction]:
        return [self.next_action, self.prev_action, self.next_open_action]

    def _build(self) -> None:
        cl = QVBoxLayout(self)
        cl.setContentsMargins(4, 4, 4, 4)
        self.unit_tabs = QTabBar()
        self.unit_tabs.setExpanding(False)
        self.unit_tabs.setDocumentMode(True)
        self.unit_tabs.setToolTip("Các đơn vị được kiểm tra trong cùng chuyến (Đơn vị:)")
        self.unit_tabs.currentChanged.connect(self._unit_tab_changed)
        tabs_row = QHBoxLayout()
        self.unit_tabs_label = QLabel("Đơn vị:")
        tabs_row.addWidget(self.unit_tabs_label)
        tabs_row.addWidget(self.unit_tabs, 1)
        cl.addLayout(tabs_row)
        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        self.header_label.setTextFormat(Qt.TextFormat.RichText)
        cl.addWidget(self.header_label)
        self.banners = QVBoxLayout()  # features' banners (Shell.add_banner)
        self.banners.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(self.banners)
        self.visit_bar = VisitBar()
        cl.addWidget(self.visit_bar)
        filters = QToolBar()
        filters.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        filters.addActions(self.filter_actions())
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(T_SEARCH_HINT)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self._search_enter)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        self.count_label = QLabel()
        search_row.addWidget(self.count_label)
        cl.addLayout(search_row)
        filters_row = QHBoxLayout()
        filters_row.addWidget(QLabel("Lọc:"))
        filters_row.addWidget(filters)
        filters_row.addStretch(1)
        cl.addLayout(filters_row)
        self.table = self._build_table()
        cl.addWidget(self.table, 1)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self.update_count)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(ChecklistTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().lineSpacing() * 2 + 10)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        th = table.horizontalHeader()
        th.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        th.setSectionResizeMode(ChecklistTableModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (ChecklistTableModel.COL_CODE, 70),
            (ChecklistTableModel.COL_RESULT, 100),
            (ChecklistTableModel.COL_SCORE, 55),
            (ChecklistTableModel.COL_SELF, 100),
            (ChecklistTableModel.COL_NOTE, 120),
        ):
            table.setColumnWidth(column, width)
        table.selectionModel().currentRowChanged.connect(self._row_current)
        # Tab leaves the table (arrows move in it); Enter or F2 go to the row's note.
        tab_leaves(table)
        to_note = QAction(T_TO_NOTE, table)
        to_note.setShortcuts([QKeySequence(k) for k in ("Return", "Enter", "F2")])
        to_note.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        to_note.triggered.connect(self.noteRequested)
        table.addAction(to_note)
        return table

    # -- a visit --------------------------------------------------------------------------
    def load(self, inspection_id: str | None, rows: list[dict[str, Any]]) -> None:
        """Show a visit's checklist rows (none: `inspection_id` None)."""
        self.inspection_id = inspection_id
        self.table_model.set_rows([])
        if inspection_id is None:
            self.proxy.set_filters(pinned=None)
            self.header_label.setText("")
            self.update_count()
            return
        # Every filter is set before the new rows arrive, so that they are filtered and
        # sorted once (switching visits, and the start, do no extra passes).
        query = self.search_edit.text()
        self.proxy.set_filters(
            pinned=None,
            area_code=None,
            recommended_codes=self.adapter.recommended_item_codes(inspection_id),
            _words=fold(query).split(),
            _hits=self._search_hits(query),  # hits are per inspection
            **self._status_filters(),
        )
        self.table_model.set_rows(rows)
        self.table_model.set_conflicts(self.adapter.conflicted_item_ids(inspection_id))
        # The self-assessment column only when the unit sent one (room for the item text).
        has_self = any(r.get("self_result") or r.get("self_score") is not None for r in rows)
        self.table.setColumnHidden(ChecklistTableModel.COL_SELF, not has_self)

    def show_header(self, insp: dict[str, Any] | None) -> None:
        """The unit's name, level, month, status and progress above the checklist."""
        if not insp:
            return
        level = UnitLevel(insp["level"]).label if insp["level"] in set(UnitLevel) else ""
        # The level as the plan wrote it ("Phường", "Bộ phận Một cửa"), then the kind.
        parts = [insp.get("level_name") or level]
        k, _ = kind_and_mode(insp.get("kind"), insp.get("mode"))
        parts.append(kind_caption(insp.get("kind"), insp.get("mode")) or k.label)
        if insp["month"]:
            parts.append(f"tháng {insp['month']}")
        parts.append(InspectionStatus(insp["status"]).label)
        parts.append(f"đã ghi nhận {insp['done']}/{insp['total']}")
        self.header_label.setText(
            f"<span style='font-size:13pt; font-weight:600'>{insp['unit']}</span>"
            f"&nbsp;&nbsp;<span style='color:#5f6368'>{' · '.join(parts)}</span>"
        )

    def show_tabs(self, visit: list[dict[str, Any]]) -> None:
        """One tab per unit of the trip (hidden for a single unit)."""
        self.unit_tabs.blockSignals(True)
        while self.unit_tabs.count():
            self.unit_tabs.removeTab(0)
        for n, insp in enumerate(visit):
            self.unit_tabs.addTab(insp["unit"])
            self.unit_tabs.setTabData(n, insp["id"])
            self.unit_tabs.setTabToolTip(n, f"{insp['unit']} — {insp['done']}/{insp['total']}")
            if insp["id"] == self.inspection_id:
                self.unit_tabs.setCurrentIndex(n)
        self.unit_tabs.blockSignals(False)
        show = len(visit) > 1
        self.unit_tabs.setVisible(show)
        self.unit_tabs_label.setVisible(show)

    @Slot(int)
    def _unit_tab_changed(self, index: int) -> None:
        inspection_id = self.unit_tabs.tabData(index)
        if inspection_id and inspection_id != self.inspection_id:
            self.visitPicked.emit(inspection_id)

    # -- areas, filters, search -----------------------------------------------------------
    def set_area(self, area_code: str | None) -> None:
        """Show one area's items (None: every area)."""
        self.proxy.set_filters(area_code=area_code)
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self.select_first_if_lost()

    def set_mine(self, mine: set[str]) -> None:
        """The areas of the member using this laptop ("Tôi là")."""
        self.mine = mine
        self.my_areas_action.setEnabled(bool(mine))
        self.my_areas_action.setToolTip(
            f"{T_MY_AREAS}: {', '.join(sorted(mine))} (Ctrl+1)" if mine else T_PICK_ME
        )
        self.apply_filters()

    def _my_areas_only(self) -> bool:
        return self.my_areas_action.isChecked() and bool(self.mine)

    def _status_filters(self) -> dict[str, Any]:
        """The proxy's filters chosen with the filter actions and "Tôi là" (my areas)."""
        return {
            "my_areas": self.mine if self._my_areas_only() else None,
            "unrecorded": self.unrecorded_action.isChecked(),
            "not_passed": self.not_passed_action.isChecked(),
            "with_recommendation": self.with_rec_action.isChecked(),
        }

    @Slot()
    def apply_filters(self) -> None:
        # "Tôi là" and "Lĩnh vực của tôi" change only here: the area list greys the others.
        self.area_model.set_mine(self.mine, self._my_areas_only())
        self.proxy.set_filters(**self._status_filters())
        self.select_first_if_lost()

    @Slot(str)
    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text, self._search_hits(text))
        self.select_first_if_lost()

    def _search_hits(self, text: str) -> set[str]:
        """Items of the open visit whose text, observation or evidence document matches
        (full-text, diacritics optional); none for queries under two letters."""
        if not self.inspection_id or len(fold(text).strip()) < 2:
            return set()
        hits = self.adapter.search(text, self.inspection_id, limit=SEARCH_LIMIT)
        return {h["item_id"] for h in hits if h.get("item_id")}

    @Slot()
    def _search_enter(self) -> None:
        self.table.setFocus()
        self.select_first_if_lost()

    @Slot()
    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def select_first_if_lost(self) -> None:
        """After filtering: the first visible row when the current one went away."""
        self.update_count()
        if not self.table.currentIndex().isValid():
            if self.proxy.rowCount():
                self.table.setCurrentIndex(self.proxy.index(0, 0))
            else:
                self.itemPicked.emit(None)

    @Slot()
    def update_count(self) -> None:
        self.count_label.setText(
            T_COUNT.format(shown=self.proxy.rowCount(), total=self.table_model.rowCount())
        )

    def set_recommended(self, codes: set[str]) -> None:
        """The items with a recommendation ("Có kiến nghị" filter)."""
        self.proxy.set_filters(recommended_codes=codes)

    # -- the current item -----------------------------------------------------------------
    @Slot(QModelIndex, QModelIndex)
    def _row_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ObjectRole) if current.isValid() else None
        if row is None:
            return
        self.itemPicked.emit(row)
        # The row is visible already: pinning it changes nothing now, so no refilter here.
        self.proxy.pinned = row["item_id"]

    def select_item(self, item_id: str) -> bool:
        """Make an item current (pinning it so the status filters keep it visible)."""
        source_row = self.table_model.row_for_item(item_id)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.table_model.index(source_row, 0))
        if not index.isValid():
            self.proxy.set_filters(pinned=item_id)
            index = self.proxy.mapFromSource(self.table_model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    @Slot()
    def move_current(self, step: int) -> None:
        """The next (step 1) or previous (-1) visible item."""
        count = self.proxy.rowCount()
        if not count:
            return
        current = self.table.currentIndex()
        row = current.row() + step if current.isValid() else 0
        row = min(max(row, 0), count - 1)
        self.select_item(self.proxy.index(row, 0).data(IdRole))

    @Slot()
    def next_unrecorded(self) -> None:
        """Jump to the next visible item with no result and no observation (wrapping)."""
        count = self.proxy.rowCount()
        start = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        for offset in range(1, count + 1):
            index = self.proxy.index((start + offset) % count, 0)
            if not judging.is_recorded(index.data(ObjectRole)):
                self.select_item(index.data(IdRole))
                return
        self.status.emit(T_ALL_DONE)
