"""The store: every read and write of the database, as plain dicts.

`Store` owns small repositories, each given what it needs when built (sqlite-utils'
Database/Table shape); none reaches another except through its constructor:

    core          rows, change stamps, tombstones, the audit log, the one transaction()
    settings      values kept on this laptop only
    search        the folded full-text index
    planning      plans, units, inspections, delegation members
    checklists    versioned checklists (indexes items through search)
    findings      what was recorded per item (checklists, search)
    evidence      evidence documents and attachment rows (findings, search)
    outcomes      conclusions and recommendations
    followup      remediation of recommendations
    reports       reads shaped for the report builders
    sync          devices, versions, conflicts, merge, export_scope

Services call it; nothing else writes SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import ClassVar

from db.connection import backup_to, open_database
from db.database import Database
from db.errors import StoreError, store_error
from db.hlc import HybridClock
from db.lock import WriterLock
from db.store.checklists import Checklists
from db.store.core import Core, HeadSigner, new_id, now_iso, stable_id
from db.store.evidence import Evidence
from db.store.findings import Findings, finding_id
from db.store.followup import Followup
from db.store.outcomes import Outcomes
from db.store.plans import LEVEL_LETTERS, Planning
from db.store.reports import Reports
from db.store.search import Search
from db.store.settings import Settings
from db.store.sync import Sync


class Store:
    """The application's database: `Store.open(path, read_only=False)`, then its repositories."""

    path: Path | None = None
    writer_lock: WriterLock | None = None
    # Set once by the desktop layer (desktop.sync.audit_head.install): given a store opened
    # for writing, the signer of its audit chain's head (Core.head_signer).
    head_signer_factory: ClassVar[Callable[[Store], HeadSigner | None] | None] = None

    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.core = Core(db, actor)
        self.settings = Settings(self.core)
        self.search = Search(self.core)
        self.planning = Planning(self.core)
        self.checklists = Checklists(self.core, self.search)
        self.findings = Findings(self.core, self.checklists, self.search)
        self.evidence = Evidence(self.core, self.findings, self.search)
        self.outcomes = Outcomes(self.core)
        self.followup = Followup(self.core)
        self.reports = Reports(self.core)
        self.sync = Sync(self.core, self.search)

    # -- who writes -------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        """The person named in the audit entries of the writes that follow."""
        return self.core.actor

    @actor.setter
    def actor(self, value: str) -> None:
        self.core.actor = value

    @property
    def device_id(self) -> str:
        return self.core.device_id

    @property
    def device_name(self) -> str:
        return self.core.device_name

    @property
    def clock(self) -> HybridClock:
        return self.core.clock

    @property
    def read_only(self) -> bool:
        """Opened read-only: every write raises StorageReadOnlyError."""
        return self.db.read_only

    def transaction(self) -> AbstractContextManager[None]:
        """One user action = one transaction (Database.transaction); blocks inside join it."""
        return self.core.transaction()

    # -- opening and closing ----------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: str | Path,
        actor: str = "",
        *,
        read_only: bool = False,
        app: str | None = None,
    ) -> Store:
        """Open (creating and migrating as needed) the database file at `path`.

        For writing, first takes the writer lock: when another program holds it, raises
        DatabaseLockedError saying who (app, host, pid, since when). `read_only=True` takes no
        lock, never migrates, and every write raises StoreError.
        """
        path = Path(path)
        lock: WriterLock | None = None
        if not read_only and str(path) != ":memory:":
            lock = WriterLock(path, app)
            lock.acquire()
        try:
            store = cls(open_database(path, read_only=read_only), actor=actor)
        except sqlite3.OperationalError as exc:
            if lock:
                lock.release()
            if read_only:
                raise StoreError(f"Không đọc được cơ sở dữ liệu {path}: {exc}") from exc
            mapped = store_error(exc)
            if mapped is None:
                raise
            raise mapped from exc
        except BaseException:
            if lock:
                lock.release()
            raise
        store.path = path
        store.writer_lock = lock
        if not read_only and cls.head_signer_factory is not None:
            store.core.head_signer = cls.head_signer_factory(store)
        return store

    def close(self) -> None:
        """Close the connection and let another program write (releases the writer lock).

        The observations saved since the last search are indexed first, so that the file
        left behind searches completely (a backup, another program opening it read-only).
        """
        try:
            self.search.refresh_search_index()
        except (StoreError, sqlite3.Error):
            pass  # a full disk must not keep the database open; the next open catches up
        self.db.conn.close()
        if self.writer_lock is not None:
            self.writer_lock.release()
            self.writer_lock = None

    def backup(self, target: str | Path) -> Path:
        """Copy the live database to `target` with SQLite's online backup API."""
        return backup_to(self.db.conn, Path(target))

    def has_records(self) -> bool:
        """Whether anything was ever recorded (an empty new database needs no backup)."""
        return self.core.has_records()


__all__ = ["LEVEL_LETTERS", "Store", "finding_id", "new_id", "now_iso", "stable_id"]
