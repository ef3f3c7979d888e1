"""The main window: a shell that lays out the plan and visit navigator, the checklist and the
finding editor, and offers features the `Shell` interface (desktop/ui/shell.py).

    ┌ toolbar: Kế hoạch [combo]  Tôi là [combo] ───────────────────────────────────────┐
    │ navigator (months → visits  │ unit switcher (parent | communes)  │ finding editor  │
    │ → communes), progress       │ header, banners, visit row         │ (sections)      │
    │ areas with progress         │ filter bar + search, checklist     │                 │
    └ status bar: saved at …, database path ───────────────────────────────────────────┘

Menus: Tệp (open database), Ghi nhận (results, next/previous), Lọc (filters, search). The
features (FEATURES below) add theirs with `install(shell)`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import InspectionStatus, Role
from desktop.ui import strings
from desktop.ui.checklist_pane import ChecklistPane, make_action
from desktop.ui.finding_editor import FindingEditor
from desktop.ui.models import AreaListModel, ChecklistTableModel, IdRole, InspectionTreeModel
from desktop.ui.opening import open_store
from desktop.ui.shell import ActionId, Column, MenuId, Selection
from desktop.ui.store_adapter import (
    SETTING_LAST_INSPECTION,
    SETTING_LAST_PLAN,
    SETTING_ME,
    SETTING_MY_AREAS_ONLY,
    StoreAdapter,
)

# Strings the user sees.
T_PLAN = strings.PLAN
T_ME = "Tôi là:"
T_NOBODY = "— chọn thành viên đoàn —"
T_ME_TIP = "Thành viên đoàn dùng máy này: ghi tên vào kết quả và lọc lĩnh vực"
T_MENU_FILE = "&Tệp"
T_MENU_RECORD = "&Ghi nhận"
T_MENU_FILTER = "&Lọc"
T_OPEN = "Mở cơ sở dữ liệu…"
T_QUIT = "Thoát"
T_SAVED = strings.SAVED_AT
T_NOT_SAVED = "Chưa có thay đổi"
T_NO_PLAN = (
    "Chưa có kế hoạch kiểm tra nào trong cơ sở dữ liệu này. Nạp kế hoạch bằng lệnh "
    "“kiemtra plan import”, tạo dữ liệu mẫu bằng “kiemtra demo”, hoặc mở cơ sở dữ liệu "
    "khác (Ctrl+O)."
)
T_WRITE_FAILED = "Không ghi được"
T_DB_FILTER = "Cơ sở dữ liệu Kiểm tra CCHC (*.sqlite *.db);;Mọi tệp (*)"
T_READ_ONLY = strings.READ_ONLY

# The features, installed in this order (their menus follow it): each module has
# `install(shell)` and imports nothing of this module.
FEATURES = (
    "desktop.ui.followup",
    "desktop.ui.recording",
    "desktop.ui.selfassessment",
    "desktop.ui.exports",
    "desktop.ui.sync",
    "desktop.ui.backups",
)
_COLUMNS = {Column.SELF_ASSESSMENT: ChecklistTableModel.COL_SELF}


class MainWindow(QMainWindow):
    """The recording screen and the features' `Shell`. Give it a StoreAdapter; it never opens
    a Store by itself except when the user asks for another file (then the adapter swaps it).

    Signals: firstPainted() — once, just after the window was first drawn on screen;
    conflictRequested(inspection_id, item_id) — "Xem xung đột" in the editor.
    """

    firstPainted = Signal()
    conflictRequested = Signal(str, str)

    def __init__(
        self, adapter: StoreAdapter, parent: QWidget | None = None, *, defer_extras: bool = False
    ) -> None:
        """`defer_extras`: install the features just after the first paint instead of now
        — the program's start does, so that the checklist is on screen sooner (issue 8);
        `feature(name)` before then installs them at once."""
        super().__init__(parent)
        self._adapter = adapter
        self._selection = Selection(self)
        self._members: list[dict[str, Any]] = []
        self._menus: dict[MenuId, QMenu] = {}
        self._features: dict[str, object] = {}
        self._extras_installed = False
        self._painted = False
        self.tree_model = InspectionTreeModel(self)
        self.area_model = AreaListModel(self)
        self.pane = ChecklistPane(adapter, self.area_model)
        pane = self.pane
        # The pane's parts the tests and the tab order use, by their old names.
        self.table, self.proxy, self.table_model = pane.table, pane.proxy, pane.table_model
        self.search_edit, self.header_label, self.unit_tabs = (
            pane.search_edit,
            pane.header_label,
            pane.unit_tabs,
        )
        bar = pane.visit_bar
        self.visit_date_edit, self.place_edit = bar.visit_date_edit, bar.place_edit
        self.finish_action, self.conclude_action = bar.finish_action, bar.conclude_action
        self.reopen_action = bar.reopen_action
        self.my_areas_action, self.unrecorded_action = pane.my_areas_action, pane.unrecorded_action
        self.not_passed_action, self.with_rec_action = (
            pane.not_passed_action,
            pane.with_rec_action,
        )
        self.search_action = pane.search_action
        self.next_action, self.prev_action = pane.next_action, pane.prev_action
        self.next_open_action = pane.next_open_action
        self.open_action = make_action(self, T_OPEN, ["Ctrl+O"])
        self.open_action.triggered.connect(self._ask_open)
        self.quit_action = make_action(self, T_QUIT, ["Ctrl+Q"])
        self.quit_action.triggered.connect(self.close)
        self._build_ui()
        self._build_menus()
        self._connect()
        self.resize(self._initial_size())
        if defer_extras:
            self.firstPainted.connect(self.install_extras)
        else:
            self.install_extras()
        self.reload()

    # -- the Shell ------------------------------------------------------------------------
    @property
    def adapter(self) -> StoreAdapter:
        return self._adapter

    @property
    def selection(self) -> Selection:
        return self._selection

    @property
    def widget(self) -> QWidget:
        return self

    def menu(self, menu_id: MenuId) -> QMenu:
        return self._menus[menu_id]

    def add_menu(self, menu_id: MenuId, title: str) -> QMenu:
        self._menus[menu_id] = menu = QMenu(title, self)
        self.menuBar().addMenu(menu)
        return menu

    def action(self, action_id: ActionId) -> QAction:
        actions = {ActionId.QUIT: self.quit_action, ActionId.HISTORY: self.editor.history_action}
        return actions[action_id]

    def add_shortcut(self, action: QAction) -> None:
        self.addAction(action)

    def add_editor_section(self, section: QWidget) -> None:
        self.editor.add_section(section)

    def add_banner(self, banner: QWidget) -> None:
        self.pane.banners.addWidget(banner)

    def set_column_visible(self, column: Column, visible: bool) -> None:
        self.table.setColumnHidden(_COLUMNS[column], not visible)

    def flush(self) -> None:
        self.editor.flush()

    def register_feature(self, name: str, feature: object) -> None:
        self._features[name] = feature

    def feature(self, name: str) -> Any:
        self.install_extras()
        return self._features[name]

    @Slot()
    def install_extras(self) -> None:
        """Install the features (once). Each shows the current visit and item at once."""
        if self._extras_installed:
            return
        self._extras_installed = True
        for module in FEATURES:
            importlib.import_module(module).install(self)

    # -- building -------------------------------------------------------------------------
    def _initial_size(self) -> QSize:
        """1360×860, or less on a smaller screen: the whole window (title bar included) on
        screen, as on the 1366×768 laptops delegations are given."""
        wanted = QSize(1360, 860)
        screen = self.screen()
        if screen is None:
            return wanted
        room = screen.availableGeometry().size() - QSize(16, 48)  # frame and title bar
        return wanted.boundedTo(room).expandedTo(self.minimumSizeHint())

    def _combo(self, toolbar: QToolBar, label: str, width: int) -> QComboBox:
        toolbar.addWidget(QLabel(f" {label} "))
        combo = QComboBox()
        combo.setMinimumContentsLength(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        toolbar.addWidget(combo)
        return combo

    def _build_ui(self) -> None:
        toolbar = QToolBar("Kế hoạch", self)
        toolbar.setObjectName("plan_toolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.plan_combo = self._combo(toolbar, T_PLAN, 36)
        toolbar.addSeparator()
        self.me_combo = self._combo(toolbar, T_ME, 30)
        self.me_combo.setToolTip(T_ME_TIP)

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
        self.area_view = QListView()
        self.area_view.setModel(self.area_model)
        self.area_view.setWordWrap(True)
        self.area_view.setSpacing(1)
        self.area_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self._titled("Cuộc kiểm tra", self.tree))
        left.addWidget(self._titled("Lĩnh vực", self.area_view))
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)

        # Right: the editor
        self.editor = FindingEditor(self._adapter)
        self.editor.setMinimumWidth(360)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for n, (part, stretch) in enumerate(((left, 0), (self.pane, 1), (self.editor, 0))):
            splitter.addWidget(part)
            splitter.setStretchFactor(n, stretch)
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
        order: list[QWidget] = [self.plan_combo, self.me_combo, self.tree, self.area_view]
        order += [self.search_edit, self.table, *self.editor.choice_buttons]
        order += [self.editor.score_spin, self.editor.note_edit]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(QLabel(f"<b>{title}</b>"))
        layout.addWidget(widget)
        return box

    def _build_menus(self) -> None:
        file_menu = self.add_menu(MenuId.FILE, T_MENU_FILE)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        record = self.add_menu(MenuId.RECORD, T_MENU_RECORD)
        record.addActions(self.editor.choice_actions)
        record.addSeparator()
        record.addActions(self.pane.move_actions())
        self.addActions(self.pane.move_actions())
        record.addSeparator()
        record.addActions(self.pane.visit_bar.step_actions())
        filt = self.add_menu(MenuId.FILTER, T_MENU_FILTER)
        filt.addActions(self.pane.filter_actions())
        filt.addSeparator()
        filt.addAction(self.search_action)
        self.addActions([self.search_action, self.open_action, *self.editor.choice_actions])

    def _connect(self) -> None:
        adapter, pane = self._adapter, self.pane
        self.plan_combo.currentIndexChanged.connect(self._plan_picked)
        self.me_combo.currentIndexChanged.connect(self._me_picked)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.area_view.selectionModel().currentChanged.connect(self._area_current)
        self.my_areas_action.toggled.connect(self._my_areas_toggled)
        pane.itemPicked.connect(self._item_picked)
        pane.visitPicked.connect(self.select_inspection)
        pane.status.connect(lambda text: self.statusBar().showMessage(text, 5000))
        pane.visit_bar.stepRequested.connect(self._step)
        adapter.findingChanged.connect(self._finding_changed)
        adapter.recommendationsChanged.connect(self._recommendations_changed)
        adapter.saved.connect(lambda time: self.saved_label.setText(T_SAVED.format(time=time)))
        adapter.failed.connect(self._failed)
        adapter.storeReplaced.connect(self.reload)
        adapter.inspectionChanged.connect(self._inspection_changed)
        self.editor.conflictRequested.connect(self.conflictRequested)

    # -- loading --------------------------------------------------------------------------
    @Slot()
    def reload(self) -> None:
        """Read everything again from the adapter's store (start, another database)."""
        self.editor.set_item(None, None)
        path = self._adapter.path
        name = path.name if path else ""
        read_only = f" {T_READ_ONLY}" if self._adapter.read_only else ""
        title = f"{strings.APP_TITLE} — {name}" if name else strings.APP_TITLE
        self.setWindowTitle(title + read_only)
        self.path_label.setText(str(path) if path else "")
        self.path_label.setToolTip(str(path) if path else "")
        self.saved_label.setText(T_NOT_SAVED)
        plans = self._adapter.plans()
        wanted = self._adapter.setting(SETTING_LAST_PLAN)
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
            self._selection.set_plan(None)
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
        self._selection.set_plan(plan_id)
        self._adapter.set_setting(SETTING_LAST_PLAN, plan_id)
        self._load_members(plan_id)
        self.tree_model.set_inspections(self._adapter.inspections(plan_id))
        self.tree.expandAll()
        last = self._adapter.setting(SETTING_LAST_INSPECTION.format(plan_id=plan_id))
        target = last if last and self.tree_model.inspection(last) else None
        self.select_inspection(target or self.tree_model.first_inspection_id())

    def _load_members(self, plan_id: str) -> None:
        self._members = self._adapter.members(plan_id)
        wanted = self._adapter.setting(SETTING_ME.format(plan_id=plan_id))
        self.me_combo.blockSignals(True)
        self.me_combo.clear()
        self.me_combo.addItem(T_NOBODY, None)
        for m in self._members:
            role = Role(m["role"]).label if m["role"] in set(Role) else m["role"]
            self.me_combo.addItem(f"{m['full_name']} · {role} · {m['areas'] or '—'}", m["id"])
            self.me_combo.setItemData(
                self.me_combo.count() - 1,
                f"{m['position_title']}, {m['agency']}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.me_combo.setCurrentIndex(max(0, self.me_combo.findData(wanted)) if wanted else 0)
        self.me_combo.blockSignals(False)
        my_only = self._adapter.setting(SETTING_MY_AREAS_ONLY, "1") == "1"
        self.my_areas_action.blockSignals(True)
        self.my_areas_action.setChecked(my_only)
        self.my_areas_action.blockSignals(False)
        self._apply_me()

    @Slot(int)
    def _me_picked(self, index: int) -> None:
        if plan_id := self._selection.plan_id:
            key = SETTING_ME.format(plan_id=plan_id)
            self._adapter.set_setting(key, self.me_combo.itemData(index))
        self._apply_me()

    def _apply_me(self) -> None:
        member_id = self.me_combo.currentData()
        member = next((m for m in self._members if m["id"] == member_id), None)
        self._adapter.recorder = member["full_name"] if member else ""
        areas = member["areas"].split(",") if member else []
        self.pane.set_mine({c.strip() for c in areas if c.strip()})

    @Slot(bool)
    def _my_areas_toggled(self, checked: bool) -> None:
        self._adapter.set_setting(SETTING_MY_AREAS_ONLY, "1" if checked else "0")

    def select_inspection(self, inspection_id: str | None) -> None:
        """Select a visit in the navigator (which opens it)."""
        if inspection_id is None:
            self._open_inspection(None)
            return
        index = self.tree_model.index_for(inspection_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            if self._selection.inspection_id != inspection_id:
                self._open_inspection(inspection_id)

    @Slot(QModelIndex, QModelIndex)
    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        inspection_id = current.siblingAtColumn(0).data(IdRole) if current.isValid() else None
        if inspection_id and inspection_id != self._selection.inspection_id:
            self._open_inspection(inspection_id)

    def _open_inspection(self, inspection_id: str | None) -> None:
        self.editor.flush()
        self._selection.set_inspection(inspection_id, announce=False)
        plan_id = self._selection.plan_id
        if inspection_id is not None and plan_id:
            key = SETTING_LAST_INSPECTION.format(plan_id=plan_id)
            self._adapter.set_setting(key, inspection_id)
        rows = self._adapter.inspection_items(inspection_id) if inspection_id else []
        self.pane.load(inspection_id, rows)
        self.area_model.set_rows(rows)
        if inspection_id is not None:
            self.area_view.setCurrentIndex(self.area_model.index(0))
        self.pane.show_tabs(self.tree_model.visit_of(inspection_id) if inspection_id else [])
        self._update_header()
        self._selection.announce_inspection()
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        else:
            self._item_picked(None)

    def _update_header(self) -> None:
        inspection_id = self._selection.inspection_id or ""
        self.pane.visit_bar.show_visit(
            self._adapter.inspection(inspection_id), not self._adapter.read_only
        )
        self.pane.show_header(self.tree_model.inspection(inspection_id))

    @Slot(str, dict)
    def _step(self, step: str, changes: dict[str, Any]) -> None:
        if inspection_id := self._selection.inspection_id:
            self.editor.flush()
            self._adapter.inspection_step(inspection_id, step, **changes)

    @Slot(str)
    def _inspection_changed(self, inspection_id: str) -> None:
        """A visit's status, date or place changed: the navigator row and the header."""
        insp = self._adapter.inspection(inspection_id)
        if insp is None:
            return
        self.tree_model.update_inspection(
            inspection_id,
            status=insp["status"],
            visit_date=insp.get("visit_date"),
            place=insp.get("place"),
        )
        if inspection_id == self._selection.inspection_id:
            self._update_header()

    @Slot(QModelIndex, QModelIndex)
    def _area_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.pane.set_area(current.data(IdRole) if current.isValid() else None)

    @Slot(str)
    def _recommendations_changed(self, inspection_id: str) -> None:
        if inspection_id == self._selection.inspection_id:
            self.pane.set_recommended(self._adapter.recommended_item_codes(inspection_id))

    # -- the current item -----------------------------------------------------------------
    @Slot(object)
    def _item_picked(self, row: dict[str, Any] | None) -> None:
        self.editor.set_item(self._selection.inspection_id if row else None, row)
        self._selection.set_item(row)

    def current_inspection_id(self) -> str | None:
        return self._selection.inspection_id

    def current_plan_id(self) -> str | None:
        return self._selection.plan_id

    @Slot(str)
    def open_inspection(self, inspection_id: str, activate: bool = True) -> None:
        """Show a visit, switching plans when it belongs to another (dashboard, register);
        `activate` also brings the window to the front."""
        insp = self._adapter.inspection(inspection_id)
        if insp is None:
            return
        if insp["plan_id"] != self._selection.plan_id:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(insp["plan_id"]))
        self.select_inspection(inspection_id)
        if activate:
            self.raise_()
            self.activateWindow()

    def current_item(self) -> dict[str, Any] | None:
        return self.editor.current_row

    def select_item(self, item_id: str) -> bool:
        """Make an item current (pinning it so the status filters keep it visible)."""
        return self.pane.select_item(item_id)

    def move_current(self, step: int) -> None:
        """The next (step 1) or previous (-1) visible item."""
        self.pane.move_current(step)

    # -- after a write --------------------------------------------------------------------
    @Slot(str, str)
    def _finding_changed(self, inspection_id: str, item_id: str) -> None:
        current = inspection_id == self._selection.inspection_id
        done = None
        if current:
            fields = self._adapter.checklist_fields(inspection_id, item_id)
            row = self.table_model.update_item(item_id, fields)
            if row is not None:
                self.editor.refresh(self.table_model.row_dict(row))
            self.area_model.set_progress(self.table_model.area_progress())
            done = self.table_model.done_count()
        insp = self._adapter.inspection(inspection_id)
        known = self.tree_model.inspection(inspection_id)
        if insp and known:
            if done is None:
                visits = self._adapter.inspections(insp["plan_id"])
                done = next((i["done"] for i in visits if i["id"] == inspection_id), None)
            self.tree_model.update_inspection(
                inspection_id, done=known["done"] if done is None else done, status=insp["status"]
            )
        if current:
            self._update_header()
            self.pane.update_count()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.statusBar().showMessage(f"{T_WRITE_FAILED}: {message}", 10000)
        from desktop.ui.common import dialogs_vi

        dialogs_vi.warn(self, T_WRITE_FAILED, message)

    # -- another database -----------------------------------------------------------------
    @staticmethod
    def ask_database_path(parent: QWidget | None, start: str) -> Path | None:
        """Ask for a database file; tests patch this."""
        path, _ = QFileDialog.getOpenFileName(parent, T_OPEN, start, T_DB_FILTER)
        return Path(path) if path else None

    @Slot()
    def _ask_open(self) -> None:
        start = str(self._adapter.path.parent) if self._adapter.path else ""
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
        self._selection.set_inspection(None, announce=False)
        self._adapter.replace_store(store)
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPainted.emit)  # when this paint pass is over

    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.flush()
        super().closeEvent(event)
