"""Keeps the plan, the visit and the item on screen in step with the user's picks and with
the adapter's change signals: the main window's plan bar, navigator, checklist pane and
finding editor, moved together. It reads and writes only through the adapter.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Slot

from desktop.ui.checklist_pane import ChecklistPane
from desktop.ui.finding_editor import FindingEditor
from desktop.ui.models import IdRole
from desktop.ui.navigator import Navigator, PlanBar
from desktop.ui.shell import Selection
from desktop.ui.store_adapter import (
    SETTING_LAST_INSPECTION,
    SETTING_LAST_PLAN,
    SETTING_ME,
    SETTING_MY_AREAS_ONLY,
    StoreAdapter,
)


class Navigation(QObject):
    """Opens plans and visits, follows writes. The window gives it its parts."""

    def __init__(
        self,
        adapter: StoreAdapter,
        selection: Selection,
        plan_bar: PlanBar,
        navigator: Navigator,
        pane: ChecklistPane,
        editor: FindingEditor,
    ) -> None:
        super().__init__(pane)
        self.adapter, self.selection = adapter, selection
        self.plan_bar, self.pane, self.editor = plan_bar, pane, editor
        self.tree, self.area_view = navigator.tree, navigator.area_view
        self.tree_model, self.area_model = navigator.tree_model, navigator.area_model
        self.table_model, self.proxy, self.table = pane.table_model, pane.proxy, pane.table
        plan_bar.plan_combo.currentIndexChanged.connect(self._plan_picked)
        plan_bar.me_combo.currentIndexChanged.connect(self._me_picked)
        self.tree.selectionModel().currentChanged.connect(self._tree_current)
        self.area_view.selectionModel().currentChanged.connect(self._area_current)
        pane.my_areas_action.toggled.connect(self._my_areas_toggled)
        pane.itemPicked.connect(self._item_picked)
        pane.visitPicked.connect(self.select_inspection)
        pane.visit_bar.stepRequested.connect(self._step)
        adapter.findingChanged.connect(self._finding_changed)
        adapter.recommendationsChanged.connect(self._recommendations_changed)
        adapter.inspectionChanged.connect(self._inspection_changed)
        adapter.plansChanged.connect(self._plans_changed)

    def load_plans(self) -> bool:
        """Fill the plan picker and open the last plan used (False: there is no plan)."""
        plans = self.adapter.plans()
        index = self.plan_bar.show_plans(plans, self.adapter.setting(SETTING_LAST_PLAN))
        if not plans:
            self.selection.set_plan(None)
            self.tree_model.set_inspections([])
            self.open_inspection(None)
            return False
        if self.plan_bar.plan_combo.currentIndex() == index:
            self._plan_picked(index)
        else:
            self.plan_bar.plan_combo.setCurrentIndex(index)
        return True

    @Slot(str, str)
    def _plans_changed(self, plan_id: str, inspection_id: str) -> None:
        """A plan loaded or amended, a visit added: show that plan (and that visit)."""
        self.adapter.set_setting(SETTING_LAST_PLAN, plan_id)
        if inspection_id:
            self.adapter.set_setting(SETTING_LAST_INSPECTION.format(plan_id=plan_id), inspection_id)
        self.load_plans()

    def show_plan_of(self, insp: dict[str, Any]) -> None:
        """Switch to the plan of a visit (before selecting it)."""
        if insp["plan_id"] != self.selection.plan_id:
            combo = self.plan_bar.plan_combo
            combo.setCurrentIndex(combo.findData(insp["plan_id"]))

    @Slot(int)
    def _plan_picked(self, index: int) -> None:
        plan_id = self.plan_bar.plan_combo.itemData(index) if index >= 0 else None
        if not plan_id:
            return
        self.selection.set_plan(plan_id)
        self.adapter.set_setting(SETTING_LAST_PLAN, plan_id)
        self._load_members(plan_id)
        self.tree_model.set_inspections(self.adapter.inspections(plan_id))
        self.tree.expandAll()
        last = self.adapter.setting(SETTING_LAST_INSPECTION.format(plan_id=plan_id))
        target = last if last and self.tree_model.inspection(last) else None
        self.select_inspection(target or self.tree_model.first_inspection_id())

    def _load_members(self, plan_id: str) -> None:
        wanted = self.adapter.setting(SETTING_ME.format(plan_id=plan_id))
        self.plan_bar.show_members(self.adapter.members(plan_id), wanted)
        my_only = self.adapter.setting(SETTING_MY_AREAS_ONLY, "1") == "1"
        self.pane.my_areas_action.blockSignals(True)
        self.pane.my_areas_action.setChecked(my_only)
        self.pane.my_areas_action.blockSignals(False)
        self._apply_me()

    @Slot(int)
    def _me_picked(self, index: int) -> None:
        if plan_id := self.selection.plan_id:
            key = SETTING_ME.format(plan_id=plan_id)
            self.adapter.set_setting(key, self.plan_bar.me_combo.itemData(index))
        self._apply_me()

    def _apply_me(self) -> None:
        member = self.plan_bar.member()
        self.adapter.recorder = member["full_name"] if member else ""
        areas = member["areas"].split(",") if member else []
        self.pane.set_mine({c.strip() for c in areas if c.strip()})

    @Slot(bool)
    def _my_areas_toggled(self, checked: bool) -> None:
        self.adapter.set_setting(SETTING_MY_AREAS_ONLY, "1" if checked else "0")

    def select_inspection(self, inspection_id: str | None) -> None:
        """Select a visit in the navigator (which opens it)."""
        if inspection_id is None:
            self.open_inspection(None)
            return
        index = self.tree_model.index_for(inspection_id)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
            if self.selection.inspection_id != inspection_id:
                self.open_inspection(inspection_id)

    @Slot(QModelIndex, QModelIndex)
    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        inspection_id = current.siblingAtColumn(0).data(IdRole) if current.isValid() else None
        if inspection_id and inspection_id != self.selection.inspection_id:
            self.open_inspection(inspection_id)

    def open_inspection(self, inspection_id: str | None) -> None:
        self.editor.flush()
        self.selection.set_inspection(inspection_id, announce=False)
        plan_id = self.selection.plan_id
        if inspection_id is not None and plan_id:
            key = SETTING_LAST_INSPECTION.format(plan_id=plan_id)
            self.adapter.set_setting(key, inspection_id)
        rows = self.adapter.inspection_items(inspection_id) if inspection_id else []
        self.pane.load(inspection_id, rows)
        self.area_model.set_rows(rows)
        if inspection_id is not None:
            self.area_view.setCurrentIndex(self.area_model.index(0))
        self.pane.show_tabs(self.tree_model.visit_of(inspection_id) if inspection_id else [])
        self._update_header()
        self.selection.announce_inspection()
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, 0))
        else:
            self._item_picked(None)

    def _update_header(self) -> None:
        inspection_id = self.selection.inspection_id or ""
        self.pane.visit_bar.show_visit(
            self.adapter.inspection(inspection_id), not self.adapter.read_only
        )
        self.pane.show_header(self.tree_model.inspection(inspection_id))

    @Slot(str, dict)
    def _step(self, step: str, changes: dict[str, Any]) -> None:
        if inspection_id := self.selection.inspection_id:
            self.editor.flush()
            self.adapter.inspection_step(inspection_id, step, **changes)

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
        if inspection_id == self.selection.inspection_id:
            self._update_header()

    @Slot(QModelIndex, QModelIndex)
    def _area_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.pane.set_area(current.data(IdRole) if current.isValid() else None)

    @Slot(str)
    def _recommendations_changed(self, inspection_id: str) -> None:
        if inspection_id == self.selection.inspection_id:
            self.pane.set_recommended(self.adapter.recommended_item_codes(inspection_id))

    @Slot(object)
    def _item_picked(self, row: dict[str, Any] | None) -> None:
        self.editor.set_item(self.selection.inspection_id if row else None, row)
        self.selection.set_item(self.editor.current_row)

    # -- after a write --------------------------------------------------------------------
    @Slot(str, str)
    def _finding_changed(self, inspection_id: str, item_id: str) -> None:
        current = inspection_id == self.selection.inspection_id
        done = None
        if current:
            fields = self.adapter.checklist_fields(inspection_id, item_id)
            row = self.table_model.update_item(item_id, fields)
            if row is not None:
                self.editor.refresh(self.table_model.row_dict(row))
                if self.editor.current_row and self.editor.current_row["item_id"] == item_id:
                    self.selection.set_item(self.editor.current_row)  # its new values
            self.area_model.set_progress(self.table_model.area_progress())
            done = self.table_model.done_count()
        insp = self.adapter.inspection(inspection_id)
        known = self.tree_model.inspection(inspection_id)
        if insp and known:
            if done is None:
                visits = self.adapter.inspections(insp["plan_id"])
                done = next((i["done"] for i in visits if i["id"] == inspection_id), None)
            self.tree_model.update_inspection(
                inspection_id, done=known["done"] if done is None else done, status=insp["status"]
            )
        if current:
            self._update_header()
            self.pane.update_count()
