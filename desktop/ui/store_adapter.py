"""The Qt face of the Store: reads pass through, writes commit then announce themselves.

Widgets receive a StoreAdapter in their constructor and never hold a Store of their own, so
that opening another database (File ▸ Mở cơ sở dữ liệu…) swaps one object for everybody.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from db import Store
from db.connection import StoreError
from desktop.domain import nfc
from desktop.services import judging
from desktop.services.errors import UserError

# Keys of the settings table this package uses (device-local, never synced).
SETTING_LAST_PLAN = "ui.last_plan"
SETTING_LAST_INSPECTION = "ui.last_inspection.{plan_id}"
SETTING_ME = "ui.me.{plan_id}"
SETTING_MY_AREAS_ONLY = "ui.my_areas_only"
# A finding's fields a checklist row carries as they are (see `checklist_fields`).
_ROW_FIELDS = (
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


class StoreAdapter(QObject):
    """Wraps the Store for the widgets.

    Signals (each emitted after the transaction committed):
      findingChanged(inspection_id: str, item_id: str) — a finding was written.
      recommendationsChanged(inspection_id: str) — emit it (call `notify_recommendations`)
          after writing recommendations, so the "Có kiến nghị" filter follows.
      inspectionChanged(inspection_id: str) — an inspection row changed (status, date ...).
      saved(at: str) — something was written, at HH:MM:SS.
      failed(message: str) — a write was refused; the message is for the user.
      storeReplaced() — another database file was opened; reload everything.
    """

    findingChanged = Signal(str, str)
    recommendationsChanged = Signal(str)
    inspectionChanged = Signal(str)
    saved = Signal(str)
    failed = Signal(str)
    storeReplaced = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._recorder = ""

    @property
    def recorder(self) -> str:
        """Full name of the member using this laptop ("Tôi là"); written as recorded_by and
        as the actor of every audit-log entry from now on."""
        return self._recorder

    @recorder.setter
    def recorder(self, name: str) -> None:
        self._recorder = nfc(name or "")
        self._store.actor = self._recorder

    # -- the database ---------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self._store

    @property
    def path(self) -> Path | None:
        return self._store.path

    def replace_store(self, store: Store) -> None:
        """Use another database from now on (the old one is closed)."""
        old, self._store = self._store, store
        self.recorder = ""
        if old is not store:
            old.close()
        self.storeReplaced.emit()

    def close(self) -> None:
        self._store.close()

    # -- reads ----------------------------------------------------------------------------
    def plans(self) -> list[dict[str, Any]]:
        return self._store.plans()

    def inspections(self, plan_id: str) -> list[dict[str, Any]]:
        return self._store.inspections(plan_id)

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        return self._store.inspection(inspection_id)

    def inspection_items(self, inspection_id: str) -> list[dict[str, Any]]:
        return self._store.inspection_items(inspection_id)

    def members(self, plan_id: str) -> list[dict[str, Any]]:
        return self._store.members(plan_id)

    def recommended_item_codes(self, inspection_id: str) -> set[str]:
        return self._store.recommended_item_codes(inspection_id)

    def conflicted_item_ids(self, inspection_id: str) -> set[str]:
        """Items of the inspection whose finding has an unresolved sync conflict."""
        from desktop.services.inspections import conflicted_item_ids

        return conflicted_item_ids(self._store, inspection_id)

    def finding(self, inspection_id: str, item_id: str) -> dict[str, Any] | None:
        return self._store.finding(inspection_id, item_id)

    @property
    def read_only(self) -> bool:
        """True when the database was opened read-only (locked elsewhere, read-only media)."""
        return bool(self._store.read_only)

    def search(self, text: str, inspection_id: str, *, limit: int) -> list[dict[str, Any]]:
        """Full-text hits (diacritics optional) in one inspection (desktop.services.search)."""
        from desktop.services import search

        return search.search(self._store, text, inspection_id, limit=limit)

    def checklist_fields(self, inspection_id: str, item_id: str) -> dict[str, Any]:
        """The finding's fields a checklist row shows (after the finding changed)."""
        finding = self.finding(inspection_id, item_id) or {}
        fields = {k: finding.get(k) for k in _ROW_FIELDS}
        fields["note"] = finding.get("note") or ""
        fields["self_evidence"] = finding.get("self_evidence") or ""
        fields["finding_id"] = finding.get("id")
        fields["finding_hlc"] = finding.get("hlc")
        fields["conflict"] = item_id in self.conflicted_item_ids(inspection_id)
        return fields

    def setting(self, key: str, default: str | None = None) -> str | None:
        return self._store.setting(key, default)

    def set_setting(self, key: str, value: str | None) -> None:
        if self._store.read_only:
            return  # a read-only database remembers nothing (the last visit, filters)
        self._store.set_setting(key, value)

    # -- writes ---------------------------------------------------------------------------
    def record(
        self, inspection_id: str, item: dict[str, Any], changes: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Write part of the finding for `item` (a checklist row) in one transaction.

        Returns the stored finding, or None when the change was refused (then `failed` was
        emitted with the reason).
        """
        clean = {k: nfc(v) if isinstance(v, str) else v for k, v in changes.items()}
        try:
            if "result" in clean:
                judging.check_result(str(item.get("type") or ""), clean["result"])
            if "score" in clean:
                judging.check_score(clean["score"], float(item["max_score"] or 0))
            row = self._store.set_finding(
                inspection_id, item["item_id"], clean, recorded_by=self.recorder
            )
        except (ValueError, UserError, StoreError) as exc:
            self.failed.emit(str(exc))
            return None
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        self.findingChanged.emit(inspection_id, item["item_id"])
        return row

    def inspection_step(
        self, inspection_id: str, step: str, **changes: Any
    ) -> dict[str, Any] | None:
        """Change one visit (desktop.services.inspections): step "visit" (visit_date, place),
        "finish", "conclude" or "reopen". Returns the service's dict, or None when refused
        (`failed` was emitted with the reason)."""
        from desktop.services import inspections

        steps = {
            "visit": inspections.set_visit,
            "finish": inspections.finish_visit,
            "conclude": inspections.mark_concluded,
            "reopen": inspections.reopen,
        }
        try:
            row = steps[step](self._store, inspection_id, **changes)
        except (UserError, StoreError) as exc:
            self.failed.emit(str(exc))
            return None
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        self.inspectionChanged.emit(inspection_id)
        return row

    def notify_findings(self, inspection_id: str, item_ids: list[str]) -> None:
        """Tell the widgets that these findings were written elsewhere (a workbook import,
        committed already): `saved`, then `findingChanged` for each."""
        if not item_ids:
            return
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        for item_id in item_ids:
            self.findingChanged.emit(inspection_id, item_id)

    def notify_recommendations(self, inspection_id: str) -> None:
        """Tell the widgets that the recommendations of an inspection changed."""
        self.recommendationsChanged.emit(inspection_id)
