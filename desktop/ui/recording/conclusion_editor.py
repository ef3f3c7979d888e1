"""The conclusion of one inspection (Kết luận ▸ Soạn kết luận…, Ctrl+K).

Three tabs, as the conclusion notice reads:
  "Ưu điểm, hạn chế" — per content area, strengths and limitations (one per line), with
      "Gợi ý từ kết quả" filling them from the recorded findings (desktop.services
      .conclusions.draft) for the secretary to edit;
  "Nguyên nhân" — the causes, for the whole unit;
  "Kiến nghị" — the numbered recommendations (text, item, responsible unit, deadline).
The texts save themselves (after a pause, at least every 5 s while typing, on focus-out), every
area in one transaction; "Lưu" saves now. Recommendations are written as soon as they are
added, edited or deleted. `ConclusionDialog.ask(...)` runs it and says whether
anything was saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.errors import StoreError
from desktop.services import conclusions
from desktop.services.errors import UserError
from desktop.ui.common.autosave import Autosaver
from desktop.ui.common.keyboard import fit_on_screen, tab_leaves
from desktop.ui.models import ObjectRole
from desktop.ui.recording.recommendation_dialog import (
    T_ADD_REC,
    T_AREAS,
    T_CAUSES,
    T_CLOSE,
    T_DELETE_ASK,
    T_DELETE_REC,
    T_EDIT_REC,
    T_LIMITATIONS,
    T_NOT_SAVED,
    T_READ_ONLY,
    T_REPLACE,
    T_SAVE,
    T_SAVED,
    T_STRENGTHS,
    T_SUGGEST,
    T_SUGGEST_TIP,
    T_TAB_AREAS,
    T_TAB_CAUSES,
    T_TAB_RECS,
    T_TITLE,
    RecommendationDialog,
    RecommendationTableModel,
    ask_yes_no,
    confirm_delete,
)
from desktop.ui.store_adapter import StoreAdapter


class ConclusionDialog(QDialog):
    """Edits the conclusion of one inspection; see the module docstring."""

    def __init__(
        self, adapter: StoreAdapter, inspection_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._adapter = adapter
        self._inspection_id = inspection_id
        store = adapter.reads
        self.read_only = adapter.read_only
        insp = store.planning.inspection(inspection_id) or {}
        self.setWindowTitle(T_TITLE.format(unit=insp.get("unit_name") or insp.get("unit") or ""))
        self._earliest = insp.get("visit_date")  # no deadline before the visit
        items = store.findings.inspection_items(inspection_id)
        self._items = [(r["code"], r["text"]) for r in items]
        self._areas: list[tuple[str, str]] = []
        for r in items:
            if not self._areas or self._areas[-1][0] != r["area_code"]:
                if r["area_code"] not in {a for a, _ in self._areas}:
                    self._areas.append((r["area_code"], r["area_name"]))
        saved = {c["area_code"]: c for c in conclusions.list_conclusions(store, inspection_id)}
        self._saved_codes = set(saved)
        self.texts: dict[str, dict[str, str]] = {
            code: {
                "strengths": saved.get(code, {}).get("strengths", "") or "",
                "limitations": saved.get(code, {}).get("limitations", "") or "",
            }
            for code, _ in self._areas
        }
        self._area: str | None = None
        self._dirty = False
        self.saved_any = False
        # After a pause, at least every 5 s while typing, on focus-out: nothing lost on a crash.
        self.autosave = Autosaver(self.save, self)
        self._build(saved.get("", {}).get("causes", "") or "")
        self.rec_model.set_rows(conclusions.list_recommendations(store, inspection_id))
        if self._areas:
            self.area_list.setCurrentRow(0)
        self._dirty = False
        self.autosave.cancel()  # loading the texts is no typing
        self.autosave.watch(self.strengths_edit, self.limitations_edit, self.causes_edit)

    # -- building -------------------------------------------------------------------------
    def _build(self, causes: str) -> None:
        layout = QVBoxLayout(self)
        if self.read_only:
            note = QLabel(T_READ_ONLY)
            note.setStyleSheet("background: #fff4ce; color: #5c3c00; padding: 4px;")
            layout.addWidget(note)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        # Strengths and limitations per area
        page = QWidget()
        pl = QVBoxLayout(page)
        top = QHBoxLayout()
        self.suggest_button = QPushButton(T_SUGGEST)
        self.suggest_button.setToolTip(T_SUGGEST_TIP)
        self.suggest_button.clicked.connect(self.suggest)
        top.addWidget(self.suggest_button)
        top.addStretch(1)
        pl.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.area_list = QListWidget()
        self.area_list.setWordWrap(True)
        self.area_list.setSpacing(2)
        for code, name in self._areas:
            item = QListWidgetItem(f"{code}  {name}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setToolTip(f"{code} {name}")
            self.area_list.addItem(item)
        self.area_list.currentRowChanged.connect(self._area_changed)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(f"<b>{T_AREAS}</b>"))
        ll.addWidget(self.area_list)
        splitter.addWidget(left)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.area_title = QLabel()
        self.area_title.setWordWrap(True)
        self.area_title.setStyleSheet("font-weight: 600;")
        rl.addWidget(self.area_title)
        rl.addWidget(QLabel(T_STRENGTHS))
        self.strengths_edit = QPlainTextEdit()
        self.strengths_edit.setTabChangesFocus(True)
        rl.addWidget(self.strengths_edit, 1)
        rl.addWidget(QLabel(T_LIMITATIONS))
        self.limitations_edit = QPlainTextEdit()
        self.limitations_edit.setTabChangesFocus(True)
        rl.addWidget(self.limitations_edit, 1)
        for edit in (self.strengths_edit, self.limitations_edit):
            edit.textChanged.connect(self._text_changed)
            edit.setReadOnly(self.read_only)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 620])
        pl.addWidget(splitter, 1)
        self.tabs.addTab(page, T_TAB_AREAS)

        # Causes
        page = QWidget()
        cl = QVBoxLayout(page)
        cl.addWidget(QLabel(T_CAUSES))
        self.causes_edit = QPlainTextEdit()
        self.causes_edit.setPlainText(causes)
        self.causes_edit.setReadOnly(self.read_only)
        self.causes_edit.textChanged.connect(self._mark_dirty)
        cl.addWidget(self.causes_edit, 1)
        self.tabs.addTab(page, T_TAB_CAUSES)

        # Recommendations
        page = QWidget()
        kl = QVBoxLayout(page)
        self.rec_model = RecommendationTableModel(self)
        self.rec_table = QTableView()
        self.rec_table.setModel(self.rec_model)
        self.rec_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rec_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rec_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rec_table.setWordWrap(True)
        self.rec_table.setAlternatingRowColors(True)
        self.rec_table.verticalHeader().setVisible(False)
        header = self.rec_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            RecommendationTableModel.COL_TEXT, QHeaderView.ResizeMode.Stretch
        )
        self.rec_table.doubleClicked.connect(lambda _: self.edit_recommendation())
        # Tab leaves the table; the Delete key asks to delete the selected recommendation.
        tab_leaves(self.rec_table)
        delete_key = QAction(T_DELETE_REC, self.rec_table)
        delete_key.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.setEnabled(not self.read_only)
        delete_key.triggered.connect(lambda: self.delete_recommendation())
        self.rec_table.addAction(delete_key)
        self.rec_model.modelReset.connect(self.rec_table.resizeRowsToContents)
        self.rec_model.dataChanged.connect(lambda *_: self.rec_table.resizeRowsToContents())
        self.rec_model.rowsInserted.connect(lambda *_: self.rec_table.resizeRowsToContents())
        kl.addWidget(self.rec_table, 1)
        rb = QHBoxLayout()
        self.add_rec_button = QPushButton(T_ADD_REC)
        self.add_rec_button.clicked.connect(lambda: self.add_recommendation())
        self.edit_rec_button = QPushButton(T_EDIT_REC)
        self.edit_rec_button.clicked.connect(lambda: self.edit_recommendation())
        self.delete_rec_button = QPushButton(T_DELETE_REC)
        self.delete_rec_button.clicked.connect(lambda: self.delete_recommendation())
        for b in (self.add_rec_button, self.edit_rec_button, self.delete_rec_button):
            rb.addWidget(b)
            b.setEnabled(not self.read_only)
        rb.addStretch(1)
        kl.addLayout(rb)
        self.tabs.addTab(page, T_TAB_RECS)

        bottom = QHBoxLayout()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        bottom.addWidget(self.message_label, 1)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(T_SAVE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(T_CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setEnabled(not self.read_only)
        self.suggest_button.setEnabled(not self.read_only)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        fit_on_screen(self, 980, 640)

    # -- areas ----------------------------------------------------------------------------
    def _keep_current(self) -> None:
        if self._area is not None:
            self.texts[self._area] = {
                "strengths": self.strengths_edit.toPlainText(),
                "limitations": self.limitations_edit.toPlainText(),
            }

    @Slot(int)
    def _area_changed(self, row: int) -> None:
        self._keep_current()
        if not 0 <= row < len(self._areas):
            self._area = None
            return
        code, name = self._areas[row]
        self._area = None  # no write-back while loading
        dirty = self._dirty
        self.strengths_edit.setPlainText(self.texts[code]["strengths"])
        self.limitations_edit.setPlainText(self.texts[code]["limitations"])
        self._dirty = dirty
        self._area = code
        self.area_title.setText(f"{code}  {name}")

    def select_area(self, code: str) -> None:
        for row, (c, _) in enumerate(self._areas):
            if c == code:
                self.area_list.setCurrentRow(row)

    @Slot()
    def _text_changed(self) -> None:
        if self._area is not None:
            self._keep_current()
            self._mark_dirty()

    @Slot()
    def _mark_dirty(self) -> None:
        self._dirty = True  # "Đã lưu lúc …" stays: the last save, until the next one
        if not self.read_only:
            self.autosave.touch()

    @property
    def dirty(self) -> bool:
        return self._dirty

    @Slot()
    def suggest(self) -> None:
        """Fill strengths and limitations of every area from the findings (after asking,
        when something was written already)."""
        self._keep_current()
        written = any(
            t["strengths"].strip() or t["limitations"].strip() for t in self.texts.values()
        )
        if written and not ask_yes_no(self, T_SUGGEST, T_REPLACE):
            return
        for area in conclusions.draft(self._adapter.reads, self._inspection_id):
            if area["area"] in self.texts:
                self.texts[area["area"]] = {
                    "strengths": "\n".join(area["strengths"]),
                    "limitations": "\n".join(area["limitations"]),
                }
        current = self.area_list.currentRow()
        self._area = None
        self._area_changed(current)
        self._mark_dirty()

    # -- saving ---------------------------------------------------------------------------
    @Slot()
    def save(self) -> bool:
        """Save every area's texts and the causes in one transaction."""
        self.autosave.cancel()
        self._keep_current()
        entries: list[tuple[str, dict[str, Any]]] = []
        codes: list[str] = []
        for code, texts in self.texts.items():
            if (
                code in self._saved_codes
                or texts["strengths"].strip()
                or texts["limitations"].strip()
            ):
                entries.append(
                    (code, {"strengths": texts["strengths"], "limitations": texts["limitations"]})
                )
                codes.append(code)
        causes = self.causes_edit.toPlainText()
        if "" in self._saved_codes or causes.strip():
            entries.append(("", {"causes": causes}))
            codes.append("")
        try:
            self._adapter.save_conclusions(self._inspection_id, entries)
        except (UserError, StoreError) as exc:
            self.message_label.setStyleSheet("color: #b3261e;")
            self.message_label.setText(str(exc))
            return False
        self._dirty = False
        self.saved_any = True
        self.message_label.setStyleSheet("color: #1b7a3a;")
        self._saved_codes.update(codes)
        self.message_label.setText(T_SAVED.format(time=dt.datetime.now().strftime("%H:%M:%S")))
        return True

    def reject(self) -> None:
        # Closing saves what was typed (as the autosave would a moment later); when the
        # save fails the dialog stays open with the reason, unless the user lets it go.
        if self._dirty and not self.read_only and not self.save():
            if not ask_yes_no(self, T_CLOSE, T_NOT_SAVED):
                return
        self.autosave.cancel()
        super().reject()

    # -- recommendations ------------------------------------------------------------------
    def _current_rec(self) -> dict[str, Any] | None:
        index = self.rec_table.currentIndex()
        return index.data(ObjectRole) if index.isValid() else None

    def _rec_failed(self, exc: Exception) -> None:
        self.message_label.setStyleSheet("color: #b3261e;")
        self.message_label.setText(str(exc))

    def add_recommendation(self, values: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Add a recommendation (asking for it when `values` is None); the stored row."""
        if values is None:
            values = RecommendationDialog.ask(
                self,
                self._items,
                None,
                conclusions.default_deadline(self._adapter.reads, self._inspection_id),
                earliest=self._earliest,
            )
        if values is None:
            return None
        try:
            rec = self._adapter.add_recommendation(
                self._inspection_id,
                values["text"],
                item_code=values.get("item_code"),
                deadline=values.get("deadline"),
                responsible=values.get("responsible") or "",
            )
        except (UserError, StoreError) as exc:
            self._rec_failed(exc)
            return None
        self.rec_model.set_rows(
            conclusions.list_recommendations(self._adapter.reads, self._inspection_id)
        )
        return rec

    def edit_recommendation(self, values: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """Edit the selected recommendation (asking when `values` is None)."""
        rec = self._current_rec()
        if rec is None or self.read_only:
            return None
        if values is None:
            values = RecommendationDialog.ask(
                self,
                self._items,
                rec,
                conclusions.default_deadline(self._adapter.reads, self._inspection_id),
                earliest=self._earliest,
            )
        if values is None:
            return None
        try:
            stored = self._adapter.update_recommendation(
                self._inspection_id,
                rec["id"],
                text=values.get("text"),
                deadline=values.get("deadline"),
                responsible=values.get("responsible"),
            )
        except (UserError, StoreError) as exc:
            self._rec_failed(exc)
            return None
        self.rec_model.replace(stored)
        return stored

    def delete_recommendation(self, confirm: bool = True) -> bool:
        """Delete the selected recommendation (after asking)."""
        rec = self._current_rec()
        if rec is None or self.read_only:
            return False
        if confirm and not confirm_delete(
            self, T_DELETE_REC, T_DELETE_ASK.format(number=rec["number"])
        ):
            return False
        try:
            self._adapter.delete_recommendation(self._inspection_id, rec["id"])
        except (UserError, StoreError) as exc:
            self._rec_failed(exc)
            return False
        self.rec_model.set_rows(
            conclusions.list_recommendations(self._adapter.reads, self._inspection_id)
        )
        return True

    @classmethod
    def ask(cls, parent: QWidget | None, adapter: StoreAdapter, inspection_id: str) -> bool:
        """Run the dialog; True when something was saved."""
        dialog = cls(adapter, inspection_id, parent)
        try:
            dialog.exec()
            return dialog.saved_any
        finally:
            dialog.deleteLater()
