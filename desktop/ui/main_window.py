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

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QWidget,
)

from desktop.ui import strings
from desktop.ui.checklist_model import ChecklistTableModel
from desktop.ui.checklist_pane import ChecklistPane, make_action
from desktop.ui.common import file_dialogs, keyboard, mnemonics
from desktop.ui.finding_editor import FindingEditor
from desktop.ui.models import AreaListModel, InspectionTreeModel
from desktop.ui.navigation import Navigation
from desktop.ui.navigator import Navigator, PlanBar
from desktop.ui.opening import open_store
from desktop.ui.shell import ActionId, Column, MenuId, Selection, Shell
from desktop.ui.store_adapter import (
    StoreAdapter,
)

# Strings the user sees.
T_MENU_FILE = "&Tệp"
T_MENU_RECORD = "&Ghi nhận"
T_MENU_FILTER = "&Lọc"
T_OPEN = "Mở cơ sở dữ liệu…"
T_QUIT = "Thoát"
T_SAVED = strings.SAVED_AT
T_NOT_SAVED = "Chưa có thay đổi"
# What to do next is offered below it (desktop/ui/plans: Tạo mẫu, Nạp kế hoạch).
T_NO_PLAN = "Chưa có kế hoạch kiểm tra nào trong cơ sở dữ liệu này."
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
    "desktop.ui.plans",
    "desktop.ui.help",
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
        self._menus: dict[MenuId, QMenu] = {}
        self._features: dict[str, object] = {}
        self._extras_installed = False
        self._painted = False
        self.tree_model = InspectionTreeModel(self)
        self.area_model = AreaListModel(self)
        self.pane = pane = ChecklistPane(adapter, self.area_model)
        self.table, self.proxy, self.table_model = pane.table, pane.proxy, pane.table_model
        self.open_action = make_action(self, T_OPEN, ["Ctrl+O"])
        self.open_action.triggered.connect(self._ask_open)
        self.quit_action = make_action(self, T_QUIT, ["Ctrl+Q"])
        self.quit_action.triggered.connect(self.close)
        self._build_ui()
        self._build_menus()
        self._connect()
        self.resize(self._initial_size())
        if defer_extras:  # the focus frame's style sheet too: it restyles every widget
            self.firstPainted.connect(self.install_extras)
            self.firstPainted.connect(keyboard.install_focus_frame)
        else:
            self.install_extras()
            keyboard.install_focus_frame()
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

    def show_status(self, text: str, msecs: int) -> None:
        self.statusBar().showMessage(text, msecs)

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
        shell: Shell = self  # mypy checks here that the window is the Shell features expect
        for module in FEATURES:
            importlib.import_module(module).install(shell)
        # Every entry gets its letter (Alt+T, then the letter), once all entries are in.
        for menu in self._menus.values():
            mnemonics.keep_mnemonics(menu)

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

    def _build_ui(self) -> None:
        self.plan_bar = PlanBar(self)
        self.addToolBar(self.plan_bar)
        self.plan_combo, self.me_combo = self.plan_bar.plan_combo, self.plan_bar.me_combo
        self.navigator = left = Navigator(self.tree_model, self.area_model)
        self.tree, self.area_view = left.tree, left.area_view

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

        # Keyboard order, as on the screen: plan, member, visits, areas → visit date, place,
        # step → search → table → result choices → measures (counts, date) → score →
        # observation → the editor's sections (FindingEditor.add_section chains them).
        bar = self.pane.visit_bar
        order: list[QWidget] = [self.plan_combo, self.me_combo, self.tree, self.area_view]
        order += [bar.visit_date_edit, bar.place_edit, bar.step_button]
        order += [self.pane.search_edit, self.table, *self.editor.focus_order()]
        keyboard.chain_focus(order)

    def _build_menus(self) -> None:
        file_menu = self.add_menu(MenuId.FILE, T_MENU_FILE)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        record = self.add_menu(MenuId.RECORD, T_MENU_RECORD)
        record.addActions(self.editor.choice_actions)
        record.addAction(self.editor.measure_action)
        record.addSeparator()
        record.addActions(self.pane.move_actions())
        self.addActions(self.pane.move_actions())
        record.addSeparator()
        record.addActions(self.pane.visit_bar.step_actions())
        filt = self.add_menu(MenuId.FILTER, T_MENU_FILTER)
        filt.addActions(self.pane.filter_actions())
        filt.addSeparator()
        filt.addAction(self.pane.search_action)
        self.addActions([self.pane.search_action, self.open_action, *self.editor.choice_actions])

    def _connect(self) -> None:
        adapter = self._adapter
        self.navigation = Navigation(
            adapter, self._selection, self.plan_bar, self.navigator, self.pane, self.editor
        )
        self.pane.status.connect(lambda text: self.show_status(text, 5000))
        self.pane.noteRequested.connect(self.editor.focus_note)
        adapter.saved.connect(lambda time: self.saved_label.setText(T_SAVED.format(time=time)))
        adapter.failed.connect(self._failed)
        adapter.storeReplaced.connect(self.reload)
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
        if not self.navigation.load_plans():
            self.pane.header_label.setText(T_NO_PLAN)

    # -- the current visit and item -------------------------------------------------------
    def select_inspection(self, inspection_id: str | None) -> None:
        """Select a visit in the navigator (which opens it)."""
        self.navigation.select_inspection(inspection_id)

    @Slot(str)
    def open_inspection(self, inspection_id: str, activate: bool = True) -> None:
        """Show a visit, switching plans when it belongs to another (dashboard, register);
        `activate` also brings the window to the front."""
        insp = self._adapter.inspection(inspection_id)
        if insp is None:
            return
        self.navigation.show_plan_of(insp)
        self.navigation.select_inspection(inspection_id)
        if activate:
            self.raise_()
            self.activateWindow()

    def select_item(self, item_id: str) -> bool:
        """Make an item current (pinning it so the status filters keep it visible)."""
        return self.pane.select_item(item_id)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.statusBar().showMessage(f"{T_WRITE_FAILED}: {message}", 10000)
        from desktop.ui.common import dialogs_vi

        dialogs_vi.warn(self, T_WRITE_FAILED, message)

    # -- another database -----------------------------------------------------------------
    @staticmethod
    def ask_database_path(parent: QWidget | None, start: str) -> Path | None:
        """Ask for a database file; tests patch this."""
        path = file_dialogs.open_file(parent, T_OPEN, start, T_DB_FILTER)
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
