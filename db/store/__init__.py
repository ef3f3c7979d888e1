"""The store: every read and write of the database, as plain dicts.

Split by subject into mixins; `Store` composes them. Services call it; nothing else writes SQL.
"""

from __future__ import annotations

from pathlib import Path

from db.connection import open_database
from db.store.base import StoreBase, new_id, now_iso, stable_id
from db.store.checklists import ChecklistsMixin
from db.store.conclusions import ConclusionsMixin
from db.store.evidence import EvidenceMixin
from db.store.findings import FindingsMixin, finding_id
from db.store.followup import FollowupMixin
from db.store.plans import LEVEL_LETTERS, PlansMixin
from db.store.reports import ReportsMixin
from db.store.search import SearchMixin
from db.store.sync import SyncMixin


class Store(
    SyncMixin,
    FollowupMixin,
    ReportsMixin,
    EvidenceMixin,
    ConclusionsMixin,
    SearchMixin,
    FindingsMixin,
    ChecklistsMixin,
    PlansMixin,
    StoreBase,
):
    """The application's database."""

    @classmethod
    def open(cls, path: str | Path, actor: str = "") -> Store:
        """Open (creating and migrating as needed) the database file at `path`."""
        store = cls(open_database(path), actor=actor)
        store.path = Path(path)
        return store

    path: Path | None = None

    def close(self) -> None:
        self.db.conn.close()


__all__ = ["LEVEL_LETTERS", "Store", "finding_id", "new_id", "now_iso", "stable_id"]
