"""The main window: plan and visit navigator, areas, the checklist and the finding editor.

    ┌ toolbar: Kế hoạch [combo]  Tôi là [combo] ───────────────────────────────────────┐
    │ navigator (months → visits  │ unit switcher (parent | communes)  │ finding editor  │
    │ → communes), progress       │ filter bar + search                │ (sections)      │
    │ areas with progress         │ checklist table                    │                 │
    └ status bar: saved at …, database path ───────────────────────────────────────────┘

Menus: Tệp (open database), Ghi nhận (results, next/previous), Lọc (filters, search).
Other parts add their menus with `window.menuBar()` and editor sections with
`window.editor.add_section(...)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabBar,
    QTableView,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import InspectionStatus, Role, UnitLevel, fold
from desktop.services import judging, search
from desktop.ui.finding_editor import FindingEditor
from desktop.ui.models import (
    AreaListModel,
    ChecklistFilterProxy,
    ChecklistTableModel,
    IdRole,
    InspectionTreeModel,
    ObjectRole,
)
from desktop.ui.opening import open_store
from desktop.ui.store_adapter import (
    SETTING_LAST_INSPECTION,
    SETTING_LAST_PLAN,
    SETTING_ME,
    SETTING_MY_AREAS_ONLY,
    StoreAdapter,
)

# Strings the user sees.
APP_TITLE = "Kiểm tra CCHC"
T_PLAN = "Kế hoạch:"
T_ME = "Tôi là:"
T_NOBODY = "— chọn thành viên đoàn —"
T_MENU_FILE = "&Tệp"
T_MENU_RECORD = "&Ghi nhận"
T_MENU_FILTER = "&Lọc"
T_OPEN = "Mở cơ sở dữ liệu…"
T_QUIT = "Thoát"
T_NEXT = "Nội dung tiếp theo"
T_PREV = "Nội dung trước"
T_NEXT_OPEN = "Nội dung chưa ghi nhận tiếp theo"
T_SEARCH = "Tìm trong nội dung và nhận xét"
T_SEARCH_HINT = "Tìm nội dung, nhận xét (gõ không dấu được)…  Ctrl+F"
T_MY_AREAS = "Lĩnh vực của tôi"
T_UNRECORDED = "Chưa ghi nhận"
T_NOT_PASSED = "Không đạt"
T_WITH_REC = "Có kiến nghị"
T_SAVED = "Đã lưu lúc {time}"
T_NOT_SAVED = "Chưa có thay đổi"
T_COUNT = "{shown}/{total} nội dung"
T_NO_PLAN = (
    "Chưa có kế hoạch kiểm tra nào trong cơ sở dữ liệu này. Nạp kế hoạch bằng lệnh "
    "“kiemtra plan import”, tạo dữ liệu mẫu bằng “kiemtra demo”, hoặc mở cơ sở dữ liệu "
    "khác (Ctrl+O)."
)
T_ALL_DONE = "Đã ghi nhận hết các nội dung đang hiển thị."
T_WRITE_FAILED = "Không ghi được"
T_OPEN_FAILED = "Không mở được cơ sở dữ liệu"
T_DB_FILTER = "Cơ sở dữ liệu Kiểm tra CCHC (*.sqlite *.db);;Mọi tệp (*)"
T_PICK_ME = "Chọn “Tôi là” để lọc theo lĩnh vực được phân công"
T_READ_ONLY = "(chỉ đọc)"
T_VISIT_DATE = "Ngày kiểm tra:"
T_PLACE = "Địa điểm:"
T_PLACE_HINT = "Nơi làm việc với đơn vị"
T_FINISH = "Kết thúc kiểm tra"
T_FINISH_TIP = "Đoàn đã làm việc xong tại đơn vị: chuyển sang “Đã kiểm tra”"
T_CONCLUDE = "Đánh dấu đã kết luận"
T_CONCLUDE_TIP = "Đã ban hành thông báo kết luận: chuyển sang “Đã kết luận”"
T_REOPEN = "Mở lại"
T_STEPS = "Trạng thái"
T_STEPS_TIP = "Kết thúc kiểm tra, đánh dấu đã kết luận hoặc mở lại cuộc kiểm tra"
T_REOPEN_TIP = "Trở lại “Đang kiểm tra” để ghi nhận tiếp"
NO_DATE = QDate(2000, 1, 1)  # the date edits' "—"
SEARCH_LIMIT = 2000  # hits of one inspection: items, observations, evidence


def _action(
    parent: QWidget, text: str, keys: list[str] | None = None, *, checkable: bool = False
) -> QAction:
    action = QAction(text, parent)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip(f"{text} ({keys[0]})")
    action.setCheckable(checkable)
    return action


class MainWindow(QMainWindow):
    """The recording screen. Give it a StoreAdapter; it never opens a Store by itself
    except when the user asks for another file (then the adapter swaps it).

    Signals: inspectionOpened(inspection_id: str) — a visit was opened ("" for none).
    """

    inspectionOpened = Signal(str)
    firstPainted = Signal()  # once, just after the window was first drawn on screen

    def __init__(
        self, adapter: StoreAdapter, parent: QWidget | None = None, *, defer_extras: bool = False
    ) -> None:
        """`defer_extras`: build the follow-up, recording, export and sync parts (sections,
        menus, banner) just after the first paint instead of now — the program's start does,
        so that the checklist is on screen sooner (issue 8); asking for `window.recording` or
        `window.followup` before then builds them at once."""
        super().__init__(parent)
        self.adapter = adapter
        self._plan_id: str | None = None
        self._inspection_id: str | None = None
        self._members: list[dict[str, Any]] = []
        self._mine: set[str] = set()
        self._painted = False

        self.tree_model = InspectionTreeModel(self)
        self.area_model = AreaListModel(self)
        self.table_model = ChecklistTableModel(self)
        self.proxy = ChecklistFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)

        self._build_actions()
        self._build_ui()
        self._build_menus()

        adapter.findingChanged.connect(self._finding_changed)
        adapter.recommendationsChanged.connect(self._recommendations_changed)
        adapter.saved.connect(self._saved)
        adapter.failed.connect(self._failed)
        adapter.storeReplaced.connect(self.reload)
        adapter.inspectionChanged.connect(self._inspection_changed)
        self.editor.conflictRequested.connect(self.show_conflict)
        self.resize(self._initial_size())
        self._extras_installed = False
        if defer_extras:
            self.firstPainted.connect(self.install_extras)
        else:
            self.install_extras()
        self.reload()

    def _initial_size(self) -> QSize:
        """1360×860, or less on a smaller screen: the whole window (title bar included) on
        screen, as on the 1366×768 laptops delegations are given."""
        wanted = QSize(1360, 860)
        screen = self.screen()
        if screen is None:
            return wanted
        room = screen.availableGeometry().size() - QSize(16, 48)  # frame and title bar
        return wanted.boundedTo(room).expandedTo(self.minimumSizeHint())

    @Slot()
    def install_extras(self) -> None:
        """Add the parts beyond the checklist and the editor (once): the follow-up menu and
        earlier-years banner, the recording sections and the "Kết luận" menu, the export,
        sync and backup menus. Each shows the current visit and item as soon as it is added."""
        if self._extras_installed:
            return
        self._extras_installed = True
        from desktop.ui import followup_view

        self.followup = followup_view.install(self)
        from desktop.ui import recording

        self.recording = recording.install(self)
        from desktop.ui import menu_entries  # the dialogs' modules load when first used

        menu_entries.install_export_menu(self)
        menu_entries.install_sync_menu(self)
        menu_entries.install_backups_action(self)

    def __getattr__(self, name: str) -> Any:
        # The export and sync controllers are made, their modules imported, on first use.
        if name in ("export_controller", "sync_controller"):
            from desktop.ui import menu_entries

            return getattr(menu_entries, name)(self)
        # Deferred parts (defer_extras) asked for before the first paint: add them now.
        if name in ("followup", "recording") and not self.__dict__.get("_extras_installed"):
            self.install_extras()
            return self.__dict__[name]
        raise AttributeError(name)

    # -- building -------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.open_action = _action(self, T_OPEN, ["Ctrl+O"])
        self.open_action.triggered.connect(self._ask_open)
        self.quit_action = _action(self, T_QUIT, ["Ctrl+Q"])
        self.quit_action.triggered.connect(self.close)
        self.next_action = _action(self, T_NEXT, ["Ctrl+Down", "Alt+Down"])
        self.next_action.triggered.connect(lambda: self.move_current(1))
        self.prev_action = _action(self, T_PREV, ["Ctrl+Up", "Alt+Up"])
        self.prev_action.triggered.connect(lambda: self.move_current(-1))
        self.next_open_action = _action(self, T_NEXT_OPEN, ["F3", "Ctrl+N"])
        self.next_open_action.triggered.connect(self.next_unrecorded)
        self.search_action = _action(self, T_SEARCH, ["Ctrl+F"])
        self.search_action.triggered.connect(self._focus_search)
        self.my_areas_action = _action(self, T_MY_AREAS, ["Ctrl+1"], checkable=True)
        self.unrecorded_action = _action(self, T_UNRECORDED, ["Ctrl+2"], checkable=True)
        self.not_passed_action = _action(self, T_NOT_PASSED, ["Ctrl+3"], checkable=True)
        self.not_passed_action.setToolTip("Kết quả Không đạt hoặc Đạt một phần (Ctrl+3)")
        self.with_rec_action = _action(self, T_WITH_REC, ["Ctrl+4"], checkable=True)
        for action in (
            self.my_areas_action,
            self.unrecorded_action,
            self.not_passed_action,
            self.with_rec_action,
        ):
            action.toggled.connect(self._apply_filters)
        self.my_areas_action.toggled.connect(self._my_areas_toggled)
        # The visit's lifecycle (desktop.services.inspections).
        self.finish_action = _action(self, T_FINISH)
        self.finish_action.setToolTip(T_FINISH_TIP)
        self.finish_action.triggered.connect(lambda: self._step("finish"))
        self.conclude_action = _action(self, T_CONCLUDE)
        self.conclude_action.setToolTip(T_CONCLUDE_TIP)
        self.conclude_action.triggered.connect(lambda: self._step("conclude"))
        self.reopen_action = _action(self, T_REOPEN)
        self.reopen_action.setToolTip(T_REOPEN_TIP)
        self.reopen_action.triggered.connect(lambda: self._step("reopen"))

    def _build_ui(self) -> None:
        toolbar = QToolBar("Kế hoạch", self)
        toolbar.setObjectName("plan_toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(f" {T_PLAN} "))
        self.plan_combo = QComboBox()
        self.plan_combo.setMinimumContentsLength(36)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._plan_picked)
        toolbar.addWidget(self.plan_combo)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(f" {T_ME} "))
        self.me_combo = QComboBox()
        self.me_combo.setMinimumContentsLength(30)
        self.me_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.me_combo.setToolTip(
            "Thành viên đoàn dùng máy này: ghi tên vào kết quả và lọc lĩnh vực"
        )
        self.me_combo.currentIndexChanged.connect(self._me_picked)
        toolbar.addWidget(self.me_combo)

        # Left: navigator over areas
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
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
            title = str(self.tree_model.headerData(column, Qt.Orientation.Horizontal))
            width = max(
                [self.tree.fontMetrics().horizontalAdvance(s) for s in samples]
                + [header.fontMetrics().horizontalAdvance(title)]
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width + 18)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)

        self.area_view = QListView()
        self.area_view.setModel(self.area_model)
        self.area_view.setWordWrap(True)
        self.area_view.setSpacing(1)
        self.area_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.area_view.selectionModel().currentChanged.connect(self._area_current)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self._titled("Cuộc kiểm tra", self.tree))
        left.addWidget(self._titled("Lĩnh vực", self.area_view))
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)

        # Centre: unit switcher, header, filters, table
        centre = QWidget()
        cl = QVBoxLayout(centre)
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
        visit_row = QHBoxLayout()
        visit_row.addWidget(QLabel(T_VISIT_DATE))
        self.visit_date_edit = QDateEdit()
        self.visit_date_edit.setDisplayFormat("dd/MM/yyyy")
        self.visit_date_edit.setCalendarPopup(True)
        self.visit_date_edit.setMinimumDate(NO_DATE)
        self.visit_date_edit.setSpecialValueText("—")
        self.visit_date_edit.setKeyboardTracking(False)
        self.visit_date_edit.setToolTip("Ngày đoàn làm việc tại đơn vị")
        self.visit_date_edit.dateChanged.connect(self._visit_date_changed)
        visit_row.addWidget(self.visit_date_edit)
        visit_row.addWidget(QLabel(T_PLACE))
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(T_PLACE_HINT)
        self.place_edit.editingFinished.connect(self._place_edited)
        self.place_edit.setMinimumWidth(160)
        visit_row.addWidget(self.place_edit, 1)
        # The visit's lifecycle in one compact button (also in the Ghi nhận menu).
        self.step_button = QToolButton()
        self.step_button.setText(T_STEPS)
        self.step_button.setToolTip(T_STEPS_TIP)
        self.step_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        steps = QMenu(self.step_button)
        for action in (self.finish_action, self.conclude_action, self.reopen_action):
            steps.addAction(action)
        self.step_button.setMenu(steps)
        visit_row.addWidget(self.step_button)
        cl.addLayout(visit_row)
        filters = QToolBar()
        filters.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.my_areas_action,
            self.unrecorded_action,
            self.not_passed_action,
            self.with_rec_action,
        ):
            filters.addAction(action)
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
        filters_label = QLabel("Lọc:")
        filters_row.addWidget(filters_label)
        filters_row.addWidget(filters)
        filters_row.addStretch(1)
        cl.addLayout(filters_row)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ChecklistTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().lineSpacing() * 2 + 10
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        th = self.table.horizontalHeader()
        th.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        th.setSectionResizeMode(ChecklistTableModel.COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ChecklistTableModel.COL_CODE, 70)
        self.table.setColumnWidth(ChecklistTableModel.COL_RESULT, 100)
        self.table.setColumnWidth(ChecklistTableModel.COL_SCORE, 55)
        self.table.setColumnWidth(ChecklistTableModel.COL_SELF, 100)
        self.table.setColumnWidth(ChecklistTableModel.COL_NOTE, 120)
        self.table.selectionModel().currentRowChanged.connect(self._row_current)
        cl.addWidget(self.table, 1)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

        # Right: the editor
        self.editor = FindingEditor(self.adapter)
        self.editor.setMinimumWidth(360)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(centre)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([370, 640, 390])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        # Status bar
        self.saved_label = QLabel(T_NOT_SAVED)
        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(self.path_label)

        # Keyboard order: search → table → result buttons → measures → score → observation
        QWidget.setTabOrder(self.plan_combo, self.me_combo)
        QWidget.setTabOrder(self.me_combo, self.tree)
        QWidget.setTabOrder(self.tree, self.area_view)
        QWidget.setTabOrder(self.area_view, self.search_edit)
        QWidget.setTabOrder(self.search_edit, self.table)
        previous: QWidget = self.table
        for button in self.editor.choice_buttons:
            QWidget.setTabOrder(previous, button)
            previous = button
        QWidget.setTabOrder(previous, self.editor.score_spin)
        QWidget.setTabOrder(self.editor.score_spin, self.editor.note_edit)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 0)
        label = QLabel(f"<b>{title}</b>")
        layout.addWidget(label)
        layout.addWidget(widget)
        return box

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(T_MENU_FILE)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        record = bar.addMenu(T_MENU_RECORD)
        for action in self.editor.choice_actions:
            record.addAction(action)
        record.addSeparator()
        for action in (self.next_action, self.prev_action, self.next_open_action):
            record.addAction(action)
            self.addAction(action)
        record.addSeparator()
        for action in (self.finish_action, self.conclude_action, self.reopen_action):
            record.addAction(action)
        filt = bar.addMenu(T_MENU_FILTER)
        for action in (
            self.my_areas_action,
            self.unrecorded_action,
            self.not_passed_action,
            self.with_rec_action,
        ):
            filt.addAction(action)
        filt.addSeparator()
        filt.addAction(self.search_action)
        self.addAction(self.search_action)
        self.addAction(self.open_action)
        for action in self.editor.choice_actions:
            self.addAction(action)

    # -- loading --------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read everything again from the adapter's store (start, another database)."""
        self.editor.set_item(None, None)
        path = self.adapter.path
        name = path.name if path else ""
        read_only = f" {T_READ_ONLY}" if self.adapter.store.read_only else ""
        self.setWindowTitle((f"{APP_TITLE} — {name}" if name else APP_TITLE) + read_only)
        self.path_label.setText(str(path) if path else "")
        self.path_label.setToolTip(str(path) if path else "")
        self.saved_label.setText(T_NOT_SAVED)
        plans = self.adapter.plans()
        wanted = self.adapter.setting(SETTING_LAST_PLAN)
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for p in plans:
            self.plan_combo.addItem(
                f"{p['number']} — năm {p['year']} ({p['units']} đơn vị)", p["id"]
            )
            self.plan_combo.setItemData(
                self.plan_combo.count() - 1, p.get("title") or "", Qt.ItemDataRole.ToolTipRole
            )
        self.plan_combo.blockSignals(False)
        if not plans:
            self._plan_id = None
            self.tree_model.set_inspections([])
            self._open_inspection(None)
            self.header_label.setText(T_NO_PLAN)
            return
        index = max(0, self.plan_combo.findData(wanted)) if wanted else 0
        if self.plan_combo.currentIndex() == index:
            self._plan_picked(index)
        else:
            self.plan_combo.setCurrentIndex(index)

    @Slot(int)
    def _plan_picked(self, index: int) -> None:
        plan_id = self.plan_combo.itemData(index) if index >= 0 else None
        if not plan_id:
            return
        self._plan_id = plan_id
        self.adapter.set_setting(SETTING_LAST_PLAN, plan_id)
        self._load_members()
        self.tree_model.set_inspections(self.adapter.inspections(plan_id))
        self.tree.expandAll()
        last = self.adapter.setting(SETTING_LAST_INSPECTION.format(plan_id=plan_id))
        target = last if last and self.tree_model.inspection(last) else None
        self.select_inspection(target or self.tree_model.first_inspection_id())

    def _load_members(self) -> None:
        assert self._plan_id
        self._members = self.adapter.members(self._plan_id)
        wanted = self.adapter.setting(SETTING_ME.format(plan_id=self._plan_id))
        self.me_combo.blockSignals(True)
        self.me_combo.clear()
        self.me_combo.addItem(T_NOBODY, None)
        for m in self._members:
            role = Role(m["role"]).label if m["role"] in set(Role) else m["role"]
            areas = m["areas"] or "—"
            self.me_combo.addItem(f"{m['full_name']} · {role} · {areas}", m["id"])
            self.me_combo.setItemData(
                self.me_combo.count() - 1,
                f"{m['position_title']}, {m['agency']}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.me_combo.setCurrentIndex(max(0, self.me_combo.findData(wanted)) if wanted else 0)
        self.me_combo.blockSignals(False)
        my_only = self.adapter.setting(SETTING_MY_AREAS_ONLY, "1") == "1"
        self.my_areas_action.blockSignals(True)
        self.my_areas_action.setChecked(my_only)
        self.my_areas_action.blockSignals(False)
        self._apply_me()

    @Slot(int)
    def _me_picked(self, index: int) -> None:
        if self._plan_id:
            self.adapter.set_setting(
                SETTING_ME.format(plan_id=self._plan_id), self.me_combo.itemData(index)
            )
        self._apply_me()

    def _apply_me(self) -> None:
        member_id = self.me_combo.currentData()
        member = next((m for m in self._members if m["id"] == member_id), None)
        self.adapter.recorder = member["full_name"] if member else ""
        self._mine = (
            {c.strip() for c in member["areas"].split(",") if c.strip()} if member else set()
        )
        self.my_areas_action.setEnabled(bool(self._mine))
        self.my_areas_action.setToolTip(
            f"{T_MY_AREAS}: {', '.join(sorted(self._mine))} (Ctrl+1)" if self._mine else T_PICK_ME
        )
        self._apply_filters()

    @Slot(bool)
    def _my_areas_toggled(self, checked: bool) -> None:
        self.adapter.set_setting(SETTING_MY_AREAS_ONLY, "1" if checked else "0")

    def select_inspection(self, inspection_id: str | None) -> None:
        """Select a visit in the navigator (which opens it)."""
        if inspection_id is None:
            self._open_inspection(None)
            return
        index = self.tree_model.index_for(inspection_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            if self._inspection_id != inspection_id:
                self._open_inspection(inspection_id)

    @Slot(QModelIndex, QModelIndex)
    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        inspection_id = current.siblingAtColumn(0).data(IdRole) if current.isValid() else None
        if inspection_id and inspection_id != self._inspection_id:
            self._open_inspection(inspection_id)

    def _open_inspection(self, inspection_id: str | None) -> None:
        self.editor.flush()
        self._inspection_id = inspection_id
        if inspection_id is None:
            self.proxy.set_filters(pinned=None)
            self.table_model.set_rows([])
            self.area_model.set_rows([])
            self._update_tabs()
            self.header_label.setText("")
            self._update_visit(None)
            self._update_count()
            self.inspectionOpened.emit("")
            return
        if self._plan_id:
            self.adapter.set_setting(
                SETTING_LAST_INSPECTION.format(plan_id=self._plan_id), inspection_id
            )
        rows = self.adapter.inspection_items(inspection_id)
        # Every filter is set before the new rows arrive, so that they are filtered and
        # sorted once (switching visits, and the start, do no extra passes).
        self.table_model.set_rows([])
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
        self.area_model.set_rows(rows)
        # The self-assessment column only when the unit sent one (room for the item text).
        has_self = any(r.get("self_result") or r.get("self_score") is not None for r in rows)
        self.table.setColumnHidden(ChecklistTableModel.COL_SELF, not has_self)
        self.area_view.setCurrentIndex(self.area_model.index(0))
        self._update_tabs()
        self._update_header()
        self.inspectionOpened.emit(inspection_id)
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        else:
            self.editor.set_item(None, None)

    def _update_header(self) -> None:
        insp = self.tree_model.inspection(self._inspection_id or "")
        self._update_visit(self.adapter.inspection(self._inspection_id or ""))
        if not insp:
            return
        level = UnitLevel(insp["level"]).label if insp["level"] in set(UnitLevel) else ""
        parts = [level]
        if insp["month"]:
            parts.append(f"tháng {insp['month']}")
        parts.append(InspectionStatus(insp["status"]).label)
        parts.append(f"đã ghi nhận {insp['done']}/{insp['total']}")
        self.header_label.setText(
            f"<span style='font-size:13pt; font-weight:600'>{insp['unit']}</span>"
            f"&nbsp;&nbsp;<span style='color:#5f6368'>{' · '.join(parts)}</span>"
        )

    def _update_visit(self, insp: dict[str, Any] | None) -> None:
        """The visit row: date, place and the lifecycle actions allowed from its status."""
        writable = insp is not None and not self.adapter.store.read_only
        status = insp["status"] if insp else ""
        self.visit_date_edit.blockSignals(True)
        value = insp.get("visit_date") if insp else None
        self.visit_date_edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)
        self.visit_date_edit.blockSignals(False)
        self.place_edit.setText((insp.get("place") or "") if insp else "")
        for w in (self.visit_date_edit, self.place_edit):
            w.setEnabled(writable)
        started = {InspectionStatus.DANG_KIEM_TRA.value, InspectionStatus.DA_KIEM_TRA.value}
        self.finish_action.setEnabled(writable and status == InspectionStatus.DANG_KIEM_TRA.value)
        self.conclude_action.setEnabled(writable and status in started)
        self.reopen_action.setEnabled(
            writable
            and status in {InspectionStatus.DA_KIEM_TRA.value, InspectionStatus.DA_KET_LUAN.value}
        )

    def _step(self, step: str, **changes: Any) -> bool:
        if not self._inspection_id:
            return False
        self.editor.flush()
        return self.adapter.inspection_step(self._inspection_id, step, **changes) is not None

    @Slot(QDate)
    def _visit_date_changed(self, date: QDate) -> None:
        if date != NO_DATE:
            self._step("visit", visit_date=date.toPython())

    @Slot()
    def _place_edited(self) -> None:
        insp = self.adapter.inspection(self._inspection_id or "")
        if insp is not None and self.place_edit.text().strip() != (insp.get("place") or ""):
            self._step("visit", place=self.place_edit.text())

    @Slot(str, str)
    def show_conflict(self, inspection_id: str, item_id: str) -> None:
        """Open Đồng bộ ▸ Xung đột on the conflict over this item's finding."""
        dialog = self.sync_controller.show_conflicts()
        finding = self.adapter.finding(inspection_id, item_id)
        if finding is not None:
            dialog.view.select_row_id(finding["id"])

    @Slot(str)
    def _inspection_changed(self, inspection_id: str) -> None:
        """A visit's status, date or place changed: the navigator row and the header."""
        insp = self.adapter.inspection(inspection_id)
        if insp is None:
            return
        self.tree_model.update_inspection(
            inspection_id,
            status=insp["status"],
            visit_date=insp.get("visit_date"),
            place=insp.get("place"),
        )
        if inspection_id == self._inspection_id:
            self._update_header()

    def _update_tabs(self) -> None:
        visit = self.tree_model.visit_of(self._inspection_id) if self._inspection_id else []
        self.unit_tabs.blockSignals(True)
        while self.unit_tabs.count():
            self.unit_tabs.removeTab(0)
        for n, insp in enumerate(visit):
            self.unit_tabs.addTab(insp["unit"])
            self.unit_tabs.setTabData(n, insp["id"])
            self.unit_tabs.setTabToolTip(n, f"{insp['unit']} — {insp['done']}/{insp['total']}")
            if insp["id"] == self._inspection_id:
                self.unit_tabs.setCurrentIndex(n)
        self.unit_tabs.blockSignals(False)
        show = len(visit) > 1
        self.unit_tabs.setVisible(show)
        self.unit_tabs_label.setVisible(show)

    @Slot(int)
    def _unit_tab_changed(self, index: int) -> None:
        inspection_id = self.unit_tabs.tabData(index)
        if inspection_id and inspection_id != self._inspection_id:
            self.select_inspection(inspection_id)

    # -- areas, filters, search -----------------------------------------------------------
    @Slot(QModelIndex, QModelIndex)
    def _area_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.proxy.set_filters(area_code=current.data(IdRole) if current.isValid() else None)
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        self._select_first_if_lost()

    def _my_areas_only(self) -> bool:
        return self.my_areas_action.isChecked() and bool(self._mine)

    def _status_filters(self) -> dict[str, Any]:
        """The proxy's filters chosen with the filter actions and "Tôi là" (my areas)."""
        return {
            "my_areas": self._mine if self._my_areas_only() else None,
            "unrecorded": self.unrecorded_action.isChecked(),
            "not_passed": self.not_passed_action.isChecked(),
            "with_recommendation": self.with_rec_action.isChecked(),
        }

    @Slot()
    def _apply_filters(self) -> None:
        # "Tôi là" and "Lĩnh vực của tôi" change only here: the area list greys the others.
        self.area_model.set_mine(self._mine, self._my_areas_only())
        self.proxy.set_filters(**self._status_filters())
        self._select_first_if_lost()

    @Slot(str)
    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text, self._search_hits(text))
        self._select_first_if_lost()

    def _search_hits(self, text: str) -> set[str]:
        """Items of the open visit whose text, observation or evidence document matches
        (full-text, diacritics optional); none for queries under two letters."""
        if not self._inspection_id or len(fold(text).strip()) < 2:
            return set()
        hits = search.search(self.adapter.store, text, self._inspection_id, limit=SEARCH_LIMIT)
        return {h["item_id"] for h in hits if h.get("item_id")}

    @Slot()
    def _search_enter(self) -> None:
        self.table.setFocus()
        self._select_first_if_lost()

    @Slot()
    def _focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _select_first_if_lost(self) -> None:
        self._update_count()
        if not self.table.currentIndex().isValid():
            if self.proxy.rowCount():
                self.table.setCurrentIndex(self.proxy.index(0, 0))
            else:
                self.editor.set_item(None, None)

    def _update_count(self) -> None:
        self.count_label.setText(
            T_COUNT.format(shown=self.proxy.rowCount(), total=self.table_model.rowCount())
        )

    @Slot(str)
    def _recommendations_changed(self, inspection_id: str) -> None:
        if inspection_id == self._inspection_id:
            self.proxy.set_filters(
                recommended_codes=self.adapter.recommended_item_codes(inspection_id)
            )

    # -- the current item -----------------------------------------------------------------
    @Slot(QModelIndex, QModelIndex)
    def _row_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = current.data(ObjectRole) if current.isValid() else None
        if row is None:
            return
        self.editor.set_item(self._inspection_id, row)
        # The row is visible already: pinning it changes nothing now, so no refilter here.
        self.proxy.pinned = row["item_id"]

    def current_inspection_id(self) -> str | None:
        return self._inspection_id

    def current_plan_id(self) -> str | None:
        return self._plan_id

    @Slot(str)
    def open_inspection(self, inspection_id: str, activate: bool = True) -> None:
        """Show a visit, switching plans when it belongs to another (dashboard, register);
        `activate` also brings the window to the front."""
        insp = self.adapter.inspection(inspection_id)
        if insp is None:
            return
        if insp["plan_id"] != self._plan_id:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(insp["plan_id"]))
        self.select_inspection(inspection_id)
        if activate:
            self.raise_()
            self.activateWindow()

    def current_item(self) -> dict[str, Any] | None:
        return self.editor.current_row

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
        item_id = self.proxy.index(row, 0).data(IdRole)
        self.select_item(item_id)

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
        self.statusBar().showMessage(T_ALL_DONE, 5000)

    # -- after a write --------------------------------------------------------------------
    @Slot(str, str)
    def _finding_changed(self, inspection_id: str, item_id: str) -> None:
        if inspection_id == self._inspection_id:
            finding = self.adapter.finding(inspection_id, item_id) or {}
            fields = {
                k: finding.get(k)
                for k in (
                    "result",
                    "score",
                    "numerator",
                    "denominator",
                    "value",
                    "self_result",
                    "self_score",
                    "recorded_by",
                    "recorded_at",
                )
            }
            fields["note"] = finding.get("note") or ""
            fields["self_evidence"] = finding.get("self_evidence") or ""
            fields["finding_id"] = finding.get("id")
            fields["finding_hlc"] = finding.get("hlc")
            fields["conflict"] = item_id in self.adapter.conflicted_item_ids(inspection_id)
            row = self.table_model.update_item(item_id, fields)
            if row is not None:
                self.editor.refresh(self.table_model.row_dict(row))
            self.area_model.set_progress(self.table_model.area_progress())
            done = self.table_model.done_count()
        else:
            done = None
        insp = self.adapter.inspection(inspection_id)
        known = self.tree_model.inspection(inspection_id)
        if insp and known:
            if done is None:
                done = next(
                    (
                        i["done"]
                        for i in self.adapter.inspections(insp["plan_id"])
                        if i["id"] == inspection_id
                    ),
                    known["done"],
                )
            self.tree_model.update_inspection(inspection_id, done=done, status=insp["status"])
        if inspection_id == self._inspection_id:
            self._update_header()
            self._update_count()

    @Slot(str)
    def _saved(self, time: str) -> None:
        self.saved_label.setText(T_SAVED.format(time=time))

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.statusBar().showMessage(f"{T_WRITE_FAILED}: {message}", 10000)
        from desktop.ui import dialogs_vi  # message boxes: only when there is one to show

        dialogs_vi.warn(self, T_WRITE_FAILED, message)

    # -- another database -----------------------------------------------------------------
    @staticmethod
    def ask_database_path(parent: QWidget | None, start: str) -> Path | None:
        """Ask for a database file; tests patch this."""
        path, _ = QFileDialog.getOpenFileName(parent, T_OPEN, start, T_DB_FILTER)
        return Path(path) if path else None

    @Slot()
    def _ask_open(self) -> None:
        start = str(self.adapter.path.parent) if self.adapter.path else ""
        path = self.ask_database_path(self, start)
        if path is not None:
            self.open_database(path)

    def open_database(self, path: Path) -> bool:
        """Switch to another database file (saving what is pending first)."""
        self.editor.flush()
        # Locked or on read-only storage: offer read-only; a writable open makes the daily backup.
        store = open_store(path, self)
        if store is None:
            return False
        self._inspection_id = None
        self.adapter.replace_store(store)
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPainted.emit)  # when this paint pass is over

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.flush()
        super().closeEvent(event)
