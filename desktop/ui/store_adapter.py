"""The Qt face of the Store: reads pass through, writes commit then announce themselves.

Widgets receive a StoreAdapter in their constructor and never hold a Store of their own, so
that opening another database (File ▸ Mở cơ sở dữ liệu…) swaps one object for everybody.

The one write path: a widget writes only by calling a write method of the adapter (marked
`@announces(...)`), which calls the service, then emits `saved` once and its typed change
signal. Widgets read through the adapter's read methods or `reads`, a view of the Store that
refuses its write methods (desktop/ui/read_only_store.py); tests/ui/test_write_path.py holds
both rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, Signal

from db import Store
from db.errors import StoreError
from desktop.domain import nfc
from desktop.services import findings
from desktop.services.errors import UserError
from desktop.ui.read_only_store import ReadOnlyStore

F = TypeVar("F", bound=Callable[..., Any])


def announces(*signals: str) -> Callable[[F], F]:
    """Mark an adapter method as a write that emits `signals` (besides `saved`, unless the
    only signal is settingChanged: device-local settings are not user data)."""

    def mark(method: F) -> F:
        # An attribute on the function: mypy knows no such field on a Callable.
        method.__announces__ = signals  # type: ignore[attr-defined]
        return method

    return mark


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
      findingChanged(inspection_id: str, item_id: str) — a finding was written (also after
          its evidence or attachments changed: the finding row may have been created).
      evidenceChanged(inspection_id: str, item_id: str) — its evidence documents changed.
      attachmentsChanged(inspection_id: str, item_id: str) — its attached files changed.
      recommendationsChanged(inspection_id: str) — the visit's recommendations changed.
      conclusionChanged(inspection_id: str) — strengths, limitations or causes changed.
      remediationChanged(recommendation_ids: list) — remediation reports or verifications.
      conflictResolved(table: str, row_id: str) — a sync conflict was settled.
      inspectionChanged(inspection_id: str) — an inspection row changed (status, date ...).
      settingChanged(key: str) — a device-local setting or a remembered report option.
      saved(at: str) — something was written, at HH:MM:SS (once per write).
      failed(message: str) — a write was refused; the message is for the user.
      storeReplaced() — another database file was opened; reload everything.
      plansChanged(plan_id: str, inspection_id: str) — a plan was loaded or amended, or a
          visit added (inspection_id, else ""); show that plan (and visit).
    """

    findingChanged = Signal(str, str)
    evidenceChanged = Signal(str, str)
    attachmentsChanged = Signal(str, str)
    recommendationsChanged = Signal(str)
    conclusionChanged = Signal(str)
    remediationChanged = Signal(list)
    conflictResolved = Signal(str, str)
    inspectionChanged = Signal(str)
    settingChanged = Signal(str)
    saved = Signal(str)
    failed = Signal(str)
    storeReplaced = Signal()
    plansChanged = Signal(str, str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._reads: ReadOnlyStore | None = None
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
        """The Store itself, for the application's start and the tests; widgets use `reads`
        and the write methods below (tests/ui/test_write_path.py checks it)."""
        return self._store

    @property
    def reads(self) -> Store:
        """A view of the Store that reads and refuses every write method.

        Typed as the Store it stands for, so that mypy checks every read through it."""
        if self._reads is None or self._reads._store is not self._store:
            self._reads = ReadOnlyStore(self._store)
        return cast(Store, self._reads)

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
        return self._store.planning.plans()

    def inspections(self, plan_id: str) -> list[dict[str, Any]]:
        return self._store.planning.inspections(plan_id)

    def inspection(self, inspection_id: str) -> dict[str, Any] | None:
        return self._store.planning.inspection(inspection_id)

    def inspection_items(self, inspection_id: str) -> list[dict[str, Any]]:
        return self._store.findings.inspection_items(inspection_id)

    def members(self, plan_id: str) -> list[dict[str, Any]]:
        return self._store.planning.members(plan_id)

    def recommended_item_codes(self, inspection_id: str) -> set[str]:
        return self._store.outcomes.recommended_item_codes(inspection_id)

    def conflicted_item_ids(self, inspection_id: str) -> set[str]:
        """Items of the inspection whose finding has an unresolved sync conflict."""
        from desktop.services.inspections import conflicted_item_ids

        return conflicted_item_ids(self._store, inspection_id)

    def finding(self, inspection_id: str, item_id: str) -> dict[str, Any] | None:
        return self._store.findings.finding(inspection_id, item_id)

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
        return self._store.settings.setting(key, default)

    def conflicts(self) -> list[dict[str, Any]]:
        """The unresolved sync conflicts, described (desktop.sync.merge.list_conflicts; it
        tidies the conflict marks as it reads, which is no change of the user's data)."""
        from desktop.sync.merge import list_conflicts

        return list_conflicts(self._store)

    def device_info(self) -> dict[str, str]:
        """This laptop's name and key fingerprint (desktop.sync.keys.device_info; the keys are
        made on first use: device-local, no change of the user's data)."""
        from desktop.sync.identity import device_info

        return device_info(self._store)

    # -- writes ---------------------------------------------------------------------------
    def _announce(self, signal: Any, *args: Any) -> None:
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        signal.emit(*args)

    @announces("settingChanged")
    def set_setting(self, key: str, value: str | None) -> None:
        if self._store.read_only:
            return  # a read-only database remembers nothing (the last visit, filters)
        self._store.settings.set_setting(key, value)
        self.settingChanged.emit(key)

    @announces("settingChanged")
    def remember_report_options(
        self, kind: str, options: Any, inspection_id: str | None, default_date: dt.date | None
    ) -> Any:
        """Remember a document's number, date and signer (desktop.reports.context)."""
        from desktop.reports.context import resolve_options

        resolved = resolve_options(
            self._store, kind, options, inspection_id=inspection_id, default_date=default_date
        )
        self.settingChanged.emit(f"report.{kind}")
        return resolved

    @announces("evidenceChanged", "findingChanged")
    def add_evidence(self, inspection_id: str, item_id: str, **fields: Any) -> dict[str, Any]:
        """Add an evidence document to an item's finding (desktop.services.evidence)."""
        from desktop.services import evidence

        row = evidence.add_evidence(self._store, inspection_id, item_id, **fields)
        self._evidence_written(inspection_id, item_id)
        return row

    @announces("evidenceChanged", "findingChanged")
    def update_evidence(
        self, inspection_id: str, item_id: str, evidence_id: str, **fields: Any
    ) -> dict[str, Any]:
        from desktop.services import evidence

        row = evidence.update_evidence(self._store, evidence_id, **fields)
        self._evidence_written(inspection_id, item_id)
        return row

    @announces("evidenceChanged", "findingChanged")
    def delete_evidence(self, inspection_id: str, item_id: str, evidence_id: str) -> None:
        from desktop.services import evidence

        evidence.delete_evidence(self._store, evidence_id)
        self._evidence_written(inspection_id, item_id)

    def _evidence_written(self, inspection_id: str, item_id: str) -> None:
        self._announce(self.evidenceChanged, inspection_id, item_id)
        self.findingChanged.emit(inspection_id, item_id)

    @announces("attachmentsChanged", "findingChanged")
    def add_attachment(
        self, inspection_id: str, item_id: str, data_dir: Path, path: Path
    ) -> dict[str, Any]:
        """Attach a file to an item's finding (desktop.services.attachments)."""
        from desktop.services import attachments

        row = attachments.add_attachment(self._store, data_dir, inspection_id, item_id, path)
        self._announce(self.attachmentsChanged, inspection_id, item_id)
        self.findingChanged.emit(inspection_id, item_id)
        return row

    @announces("attachmentsChanged", "findingChanged")
    def remove_attachment(self, inspection_id: str, item_id: str, attachment_id: str) -> None:
        from desktop.services import attachments

        attachments.remove_attachment(self._store, attachment_id)
        self._announce(self.attachmentsChanged, inspection_id, item_id)
        self.findingChanged.emit(inspection_id, item_id)

    @announces("conclusionChanged")
    def save_conclusions(
        self, inspection_id: str, entries: Iterable[tuple[str, dict[str, Any]]]
    ) -> None:
        """Save several conclusion entries (area code, texts) in one transaction."""
        from desktop.services import conclusions

        with self._store.transaction():
            for code, texts in entries:
                conclusions.save_conclusion(self._store, inspection_id, code, **texts)
        self._announce(self.conclusionChanged, inspection_id)

    @announces("recommendationsChanged")
    def add_recommendation(self, inspection_id: str, *args: Any, **fields: Any) -> dict[str, Any]:
        from desktop.services import conclusions

        row = conclusions.add_recommendation(self._store, inspection_id, *args, **fields)
        self._announce(self.recommendationsChanged, inspection_id)
        return row

    @announces("recommendationsChanged")
    def update_recommendation(
        self, inspection_id: str, rec_id: str, **fields: Any
    ) -> dict[str, Any]:
        from desktop.services import conclusions

        row = conclusions.update_recommendation(self._store, rec_id, **fields)
        self._announce(self.recommendationsChanged, inspection_id)
        return row

    @announces("recommendationsChanged")
    def delete_recommendation(self, inspection_id: str, rec_id: str) -> None:
        from desktop.services import conclusions

        conclusions.delete_recommendation(self._store, rec_id)
        self._announce(self.recommendationsChanged, inspection_id)

    @announces("remediationChanged")
    def record_remediation(self, rec_ids: list[str], *args: Any, **kwargs: Any) -> Any:
        """A remediation report for recommendations (desktop.services.followup)."""
        from desktop.services import followup

        result = followup.record_report(self._store, rec_ids, *args, **kwargs)
        self._announce(self.remediationChanged, list(rec_ids))
        return result

    @announces("remediationChanged")
    def verify_remediation(self, rec_id: str, *args: Any, **kwargs: Any) -> Any:
        from desktop.services import followup

        result = followup.verify(self._store, rec_id, *args, **kwargs)
        self._announce(self.remediationChanged, [rec_id])
        return result

    @announces("conflictResolved")
    def resolve_conflict(
        self, conflict: dict[str, Any], keep: str, choices: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Settle a sync conflict: the whole row from one side (`keep`, desktop.sync.merge.
        resolve) or, with `choices` ({field: "mine" | "theirs"} for every differing field),
        field by field (desktop.sync.conflict_choices); the views of the row follow."""
        from desktop.sync.conflict_choices import resolve_by_field
        from desktop.sync.merge import resolve

        if choices is not None:
            result = resolve_by_field(self._store, conflict["id"], choices)
        else:
            result = resolve(self._store, conflict["id"], keep)
        table, row_id = conflict["table"], conflict["row_id"]
        self._announce(self.conflictResolved, table, row_id)
        row = self._store.core.get_row(table, row_id) or {}
        if table == "findings" and row.get("inspection_id") and row.get("item_id"):
            self.findingChanged.emit(row["inspection_id"], row["item_id"])
        elif table == "recommendations" and row.get("inspection_id"):
            self.recommendationsChanged.emit(row["inspection_id"])
        else:
            self.storeReplaced.emit()
        return result

    @announces("findingChanged")
    def apply_form(self, inspection_id: str, changes: Any) -> dict[str, Any]:
        """Write a checked self-assessment form (desktop.services.selfassessment_workbook)."""
        from desktop.services.selfassessment_workbook import apply_form

        summary = apply_form(self._store, inspection_id, changes, self.recorder)
        item_ids = [item_id for item_id, _ in changes.changes]
        if item_ids:
            self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        for item_id in item_ids:
            self.findingChanged.emit(inspection_id, item_id)
        return summary

    @announces("findingChanged")
    def record(
        self, inspection_id: str, item: dict[str, Any], changes: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Write part of the finding for `item` (a checklist row) in one transaction.

        Returns the stored finding, or None when the change was refused (then `failed` was
        emitted with the reason).
        """
        try:
            # The one write path of a finding, shared with `kiemtra finding set`.
            row = findings.record_changes(
                self._store, inspection_id, item, changes, recorded_by=self.recorder
            )
        except (ValueError, UserError, StoreError) as exc:
            self.failed.emit(str(exc))
            return None
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        self.findingChanged.emit(inspection_id, item["item_id"])
        return row

    @announces("inspectionChanged")
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

    @announces("plansChanged")
    def import_plan(
        self, path: Path, *, update: bool = False, allow_remove: bool = False
    ) -> dict[str, Any]:
        """Load a plan workbook, or amend the plan of the same number (desktop.services.
        plan_workbook); raises the service's UserError (InputFileError lists every problem,
        plans.RemovalRefused the visits and members it would remove)."""
        from desktop.services.plan_workbook import import_plan

        summary = import_plan(self._store, path, update=update, allow_remove=allow_remove)
        self._announce(self.plansChanged, summary["id"], "")
        return summary

    @announces("plansChanged")
    def add_inspection(
        self, plan_id: str, unit: str, level: str, kind: str, **fields: Any
    ) -> dict[str, Any]:
        """Add a visit to a plan on site (desktop.services.plans.add_inspection); raises
        UserError when refused."""
        from desktop.services.plans import add_inspection

        row = add_inspection(self._store, plan_id, unit, level, kind, **fields)
        self._announce(self.plansChanged, plan_id, row["id"])
        return row
