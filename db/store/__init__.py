"""The store: every read and write of the database, as plain dicts.

Split by subject into mixins; `Store` composes them. Services call it; nothing else writes SQL.
"""

from __future__ import annotations

from db.store.base import StoreBase, new_id, now_iso, stable_id
from db.store.checklists import ChecklistsMixin
from db.store.conclusions import ConclusionsMixin
from db.store.evidence import EvidenceMixin
from db.store.findings import FindingsMixin, finding_id
from db.store.followup import FollowupMixin
from db.store.lifecycle import LifecycleMixin
from db.store.plans import LEVEL_LETTERS, PlansMixin
from db.store.reports import ReportsMixin
from db.store.search import SearchMixin
from db.store.sync import SyncMixin
from db.store.ui_queries import UiQueriesMixin


class Store(
    SyncMixin,
    FollowupMixin,
    UiQueriesMixin,
    ReportsMixin,
    EvidenceMixin,
    ConclusionsMixin,
    SearchMixin,
    FindingsMixin,
    ChecklistsMixin,
    PlansMixin,
    LifecycleMixin,
    StoreBase,
):
    """The application's database. `Store.open(path, read_only=False)`: see LifecycleMixin."""


__all__ = ["LEVEL_LETTERS", "Store", "finding_id", "new_id", "now_iso", "stable_id"]
