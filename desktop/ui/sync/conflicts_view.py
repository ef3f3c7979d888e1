"""Xung đột đồng bộ: each conflict side by side, the secretary chooses which version stays.

    ┌ conflicts (list) ─────────┐┌ Sở Y tế — nội dung A1.1.1 ────────────────────────────────┐
    │ Kết quả kiểm tra          ││ Máy này: may-1, 09/07/2025 10:12   Từ tệp: may-2, 10:15  │
    │ Sở Y tế — nội dung A1.1.1 ││ Trường   │ Giá trị của máy này │ Giá trị từ tệp (đang dùng)│
    │ …                         ││ Nhận xét │ …                   │ …                         │
    └───────────────────────────┘│ [Giữ bản của tôi] [Lấy bản từ tệp]                        │
                                 └───────────────────────────────────────────────────────────┘

Until the secretary chooses, the row shows the version with the greater stamp (the
deterministic winner, the same on every laptop); it is marked "đang dùng". Below the table,
each differing field (kết quả, điểm, nhận xét, minh chứng…) has its own choice of side
(radio buttons: Tab goes from field to field, the arrows switch sides); "Lưu lựa chọn từng
trường" writes them through desktop.sync.conflict_choices. Who wrote it and when follow.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.errors import StoreError
from desktop.services.errors import UserError
from desktop.sync.conflict_choices import choosable_fields
from desktop.ui import strings
from desktop.ui.common.keyboard import fit_on_screen, tab_leaves
from desktop.ui.common.workers import show_error
from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.sync.field_choice import FieldChoice, _when, field_label, format_value

# Strings the user sees.
T_TITLE = "Xung đột đồng bộ"
T_INTRO = (
    "Cùng một bản ghi đã được hai máy sửa từ cùng một phiên bản. Hãy so sánh và chọn bản "
    "được giữ lại; lựa chọn sẽ được đồng bộ tới các máy khác."
)
T_FIELD = "Trường"
T_MINE = "Giá trị của máy này"
T_THEIRS = "Giá trị từ tệp"
T_SHOWN = " (đang dùng)"
T_SIDE = "{side}: {who}, lúc {when}"
T_SIDE_MINE = strings.THIS_DEVICE
T_SIDE_THEIRS = "Từ tệp"
T_WINNER = "Chưa chọn: đang dùng {which} vì được sửa sau."
T_WINNER_MINE = "bản của máy này"
T_WINNER_THEIRS = "bản từ tệp"
T_KEEP_MINE = "Giữ &bản của tôi"
T_KEEP_THEIRS = "Lấy bản từ &tệp"
T_CHOICES = "Chọn bản giữ lại cho từng trường (Tab: trường sau · ←/→: đổi bên)"
T_APPLY = "&Lưu lựa chọn từng trường"
T_NONE = "Không còn xung đột nào."
T_DIFFERS = "Khác nhau: {fields}"
T_FAILED = "Không giải quyết được xung đột"
T_CLOSE = strings.CLOSE
T_COUNT = "{n} xung đột chưa giải quyết"

TABLE_LABELS = {
    "plans": "Kế hoạch",
    "units": "Đơn vị",
    "checklist_versions": "Phiên bản bộ tiêu chí",
    "checklist_areas": "Lĩnh vực",
    "checklist_criteria": "Tiêu chí",
    "checklist_items": "Nội dung kiểm tra",
    "inspections": "Cuộc kiểm tra",
    "members": "Thành viên đoàn",
    "findings": "Kết quả kiểm tra",
    "evidence_docs": "Văn bản chứng minh",
    "attachments": "Tệp đính kèm",
    "conclusions": "Kết luận",
    "recommendations": "Kiến nghị",
    "remediations": "Báo cáo khắc phục",
    "remediation_attachments": "Tệp đính kèm báo cáo khắc phục",
}


def table_label(table: str) -> str:
    return TABLE_LABELS.get(table, table)


def describe_row(adapter: StoreAdapter, table: str, row_id: str) -> str:
    """What a conflicting row is, in words: "Sở Y tế — nội dung A1.1.1"."""
    store = adapter.reads
    row = store.core.get_row(table, row_id) or {}
    unit = ""
    inspection_id = row.get("inspection_id")
    if table == "evidence_docs" and row.get("finding_id"):
        finding = store.core.get_row("findings", row["finding_id"]) or {}
        inspection_id = finding.get("inspection_id")
        row = {**row, "item_code": finding.get("item_code")}
    if inspection_id:
        unit = (store.core.get_row("inspections", inspection_id) or {}).get("unit_name") or ""
    if table in ("findings", "evidence_docs") and row.get("item_code"):
        what = f"nội dung {row['item_code']}"
    elif table == "recommendations":
        what = f"kiến nghị số {row.get('number')}"
    elif table == "conclusions":
        what = f"kết luận lĩnh vực {row.get('area_code') or 'chung'}"
    elif table == "inspections":
        return str(row.get("unit_name") or row_id)
    else:
        what = str(row.get("name") or row.get("full_name") or row.get("number") or row_id)
    return f"{unit} — {what}" if unit else what


class ConflictListModel(QAbstractListModel):
    """Unresolved conflicts, one per row; ObjectRole gives the conflict dict."""

    ObjectRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_conflicts(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def remove(self, conflict_id: str) -> None:
        for n, row in enumerate(self._rows):
            if row["id"] == conflict_id:
                self.beginRemoveRows(QModelIndex(), n, n)
                del self._rows[n]
                self.endRemoveRows()
                return

    def conflict(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            fields = ", ".join(field_label(d["field"]) for d in c["differences"])
            return f"{table_label(c['table'])}: {c['what']}\n{T_DIFFERS.format(fields=fields)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c['local']['who']} / {c['remote']['who']}"
        if role == self.ObjectRole:
            return c
        return None


class ConflictDiffModel(QAbstractTableModel):
    """The differing fields of one conflict: field | this laptop's value | the file's value."""

    COL_FIELD, COL_MINE, COL_THEIRS = range(3)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._conflict: dict[str, Any] | None = None

    def set_conflict(self, conflict: dict[str, Any] | None) -> None:
        self.beginResetModel()
        self._conflict = conflict
        self.endResetModel()

    def _diffs(self) -> list[dict[str, Any]]:
        return self._conflict["differences"] if self._conflict else []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._diffs())

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < 3:
            return None
        winner = self._conflict["winner"] if self._conflict else None
        if section == self.COL_FIELD:
            return T_FIELD
        if section == self.COL_MINE:
            return T_MINE + (T_SHOWN if winner == "local" else "")
        return T_THEIRS + (T_SHOWN if winner == "remote" else "")

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        diffs = self._diffs()
        if not index.isValid() or not 0 <= index.row() < len(diffs) or self._conflict is None:
            return None
        d, col = diffs[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.COL_FIELD:
                return field_label(d["field"])
            value = d["local"] if col == self.COL_MINE else d["remote"]
            return format_value(d["field"], value)
        if role == Qt.ItemDataRole.FontRole and col != self.COL_FIELD:
            shown = "local" if col == self.COL_MINE else "remote"
            if self._conflict["winner"] == shown:
                font = QFont()
                font.setBold(True)
                return font
        return None


class ConflictsView(QWidget):
    """The list of conflicts and the chosen one side by side, with the two choices.

    Signals:
      resolved(table: str, row_id: str) — a conflict was settled (the row changed).
    """

    resolved = Signal(str, str)

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.list_model = ConflictListModel(self)
        self.diff_model = ConflictDiffModel(self)

        intro = QLabel(T_INTRO)
        intro.setWordWrap(True)
        self.count_label = QLabel()
        self.list_view = QListView()
        self.list_view.setModel(self.list_model)
        self.list_view.setWordWrap(True)
        self.list_view.setSpacing(4)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.selectionModel().currentChanged.connect(self._current)

        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 12pt; font-weight: 600")
        self.mine_label = QLabel()
        self.mine_label.setWordWrap(True)
        self.theirs_label = QLabel()
        self.theirs_label.setWordWrap(True)
        self.winner_label = QLabel()
        self.winner_label.setWordWrap(True)
        self.winner_label.setStyleSheet("color: #8a5300")
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.diff_model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setStyleSheet("QTableView::item { padding: 4px; }")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ConflictDiffModel.COL_FIELD, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ConflictDiffModel.COL_MINE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ConflictDiffModel.COL_THEIRS, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ConflictDiffModel.COL_FIELD, 150)
        self.diff_model.modelReset.connect(self.table.resizeRowsToContents)
        self.keep_mine_button = QPushButton(T_KEEP_MINE)
        self.keep_theirs_button = QPushButton(T_KEEP_THEIRS)
        self.keep_mine_button.clicked.connect(lambda: self.resolve_current("mine"))
        self.keep_theirs_button.clicked.connect(lambda: self.resolve_current("theirs"))
        # Field by field: a choice per differing field, then one button writes them all.
        self.choice_rows: list[FieldChoice] = []
        self.choices_box = QGroupBox(T_CHOICES)
        self.choices_grid = QGridLayout(self.choices_box)
        self.choices_grid.setColumnStretch(2, 1)
        self.choices_grid.setColumnStretch(4, 1)
        self.choices_scroll = QScrollArea()
        self.choices_scroll.setWidgetResizable(True)
        self.choices_scroll.setWidget(self.choices_box)
        self.choices_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.apply_button = QPushButton(T_APPLY)
        self.apply_button.clicked.connect(self.resolve_by_field)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.addWidget(self.title_label)
        sides = QHBoxLayout()
        sides.addWidget(self.mine_label, 1)
        sides.addWidget(self.theirs_label, 1)
        rl.addLayout(sides)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.choices_scroll, 1)
        rl.addWidget(self.winner_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.keep_theirs_button)
        rl.addLayout(buttons)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.count_label)
        ll.addWidget(self.list_view, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([300, 700])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Read the unresolved conflicts again."""
        rows = self.adapter.conflicts()
        for c in rows:
            c["what"] = describe_row(self.adapter, c["table"], c["row_id"])
        self.list_model.set_conflicts(rows)
        self._after_change()

    def conflicts(self) -> list[dict[str, Any]]:
        return [self.list_model.conflict(n) or {} for n in range(self.list_model.rowCount())]

    def current_conflict(self) -> dict[str, Any] | None:
        index = self.list_view.currentIndex()
        return self.list_model.conflict(index.row()) if index.isValid() else None

    def select_row_id(self, row_id: str) -> bool:
        """Make the conflict over the row `row_id` (e.g. a finding's id) current."""
        for n in range(self.list_model.rowCount()):
            conflict = self.list_model.conflict(n)
            if conflict is not None and conflict["row_id"] == row_id:
                self.select(n)
                return True
        return False

    def select(self, row: int) -> None:
        self.list_view.setCurrentIndex(self.list_model.index(row))

    def _after_change(self) -> None:
        n = self.list_model.rowCount()
        self.count_label.setText(T_COUNT.format(n=n) if n else T_NONE)
        if n and not self.list_view.currentIndex().isValid():
            self.select(0)
        self._show(self.current_conflict())

    @Slot(QModelIndex, QModelIndex)
    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.list_model.conflict(current.row()) if current.isValid() else None)

    def _show_choices(self, conflict: dict[str, Any] | None) -> None:
        for row in self.choice_rows:
            row.remove()
        self.choice_rows = []
        if conflict is None:
            self.choices_scroll.setVisible(False)
            self.apply_button.setEnabled(False)
            return
        fields = choosable_fields(conflict)
        diffs = {d["field"]: d for d in conflict["differences"]}
        self.choice_rows = [
            FieldChoice(
                self.choices_grid,
                n,
                f,
                field_label(f),
                (format_value(f, diffs[f]["local"]), format_value(f, diffs[f]["remote"])),
                conflict["winner"],
            )
            for n, f in enumerate(fields)
        ]
        # The focus chain: list → table → each field's chosen side → the buttons.
        previous: QWidget = self.table
        for r in self.choice_rows:
            QWidget.setTabOrder(previous, r.mine)
            QWidget.setTabOrder(r.mine, r.theirs)
            previous = r.theirs
        QWidget.setTabOrder(previous, self.apply_button)
        self.choices_scroll.setVisible(bool(self.choice_rows))
        self.apply_button.setEnabled(bool(self.choice_rows))

    def _show(self, conflict: dict[str, Any] | None) -> None:
        self.diff_model.set_conflict(conflict)
        self._show_choices(conflict)
        self.keep_mine_button.setEnabled(conflict is not None)
        self.keep_theirs_button.setEnabled(conflict is not None)
        if conflict is None:
            self.title_label.setText(T_NONE)
            for label in (self.mine_label, self.theirs_label, self.winner_label):
                label.setText("")
            return
        self.title_label.setText(f"{table_label(conflict['table'])}: {conflict['what']}")
        local, remote = conflict["local"], conflict["remote"]
        self.mine_label.setText(
            T_SIDE.format(side=T_SIDE_MINE, who=local["who"], when=_when(local["when"]))
        )
        self.theirs_label.setText(
            T_SIDE.format(side=T_SIDE_THEIRS, who=remote["who"], when=_when(remote["when"]))
        )
        which = T_WINNER_MINE if conflict["winner"] == "local" else T_WINNER_THEIRS
        self.winner_label.setText(T_WINNER.format(which=which))

    def resolve_by_field(self) -> bool:
        """Keep, for each differing field of the current conflict, the side chosen for it."""
        return self.resolve_current("mine", {r.field: r.choice() for r in self.choice_rows})

    def resolve_current(self, keep: str, choices: dict[str, str] | None = None) -> bool:
        """Keep "mine" (this laptop's version) or "theirs" (the file's) for the current one;
        with `choices`, the side chosen for each field."""
        conflict = self.current_conflict()
        if conflict is None:
            return False
        try:
            self.adapter.resolve_conflict(conflict, keep, choices)
        except (UserError, StoreError) as exc:
            show_error(self, T_FAILED, str(exc))
            self.reload()
            return False
        row = self.list_view.currentIndex().row()
        self.list_model.remove(conflict["id"])
        if self.list_model.rowCount():
            self.select(min(row, self.list_model.rowCount() - 1))
        self._after_change()
        self.resolved.emit(conflict["table"], conflict["row_id"])
        return True


class ConflictsDialog(QDialog):
    """The conflicts screen in its own window (not modal: the secretary may look around)."""

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_TITLE)
        self.view = ConflictsView(adapter, self)
        buttons = QDialogButtonBox()
        buttons.addButton(T_CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        fit_on_screen(self, 1000, 560)
