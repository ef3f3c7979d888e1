"""The store's core: ids, change stamps, tombstones and the hash-chained audit log."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from db.database import Database
from db.hlc import HybridClock
from db.migrations import SYNCED_TABLES

GENESIS_HASH = "0" * 64
# settings key holding "seq:hash" of the newest audit entry, written with every append: a
# deleted last entry (which the chain alone cannot show) leaves the head pointing past the end.
AUDIT_HEAD_KEY = "audit_head"
# settings key holding the head signed with the device key (issue 15, finding 8): written, in
# the same transaction, at every append when the desktop layer gave the core a signer.
SIGNED_HEAD_KEY = "audit_head_signed"
# Given (seq, hash) of the new head, the signed head to keep (JSON text), or None when no key
# is at hand. The desktop layer sets it (Store.head_signer_factory); db/ knows no keys.
HeadSigner = Callable[[int, str], "str | None"]
# A fixed namespace so that the same (inspection, item) gives the same finding id on
# every laptop: two members recording the same item meet as one row (a conflict at
# worst), never as duplicates.
# (uuid and socket are imported where used: together with platform they cost ~5 ms of every
# start, and opening the window makes no id.)
ID_NAMESPACE = "6f0c6a52-5d0e-4d53-9a57-3f3c1c1b2a10"


def new_id() -> str:
    """A random UUID for a row that may travel between laptops."""
    import uuid

    return str(uuid.uuid4())


@functools.cache
def _namespace() -> Any:
    import uuid

    return uuid.UUID(ID_NAMESPACE)


def stable_id(*parts: str) -> str:
    """A UUID derived from its parts, identical on every device."""
    import uuid

    return str(uuid.uuid5(_namespace(), "\x1f".join(parts)))


def now_iso() -> str:
    """The current local time as ISO 8601 with seconds."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# Built once: json.dumps with options builds a new encoder at every call, and a merge's trace
# dumps each of its thousands of entries three times. The same text as json.dumps gives.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_STORED = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """The audit chain link: sha256 over the previous hash and the entry's canonical JSON."""
    import hashlib  # here: OpenSSL's ~2 ms is not needed to show the window

    payload = _CANONICAL.encode(entry)
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


class Core:
    """Owns the connection, the device identity and the clock; every row write goes here."""

    def __init__(self, db: Database, actor: str = "") -> None:
        self.db = db
        self.actor = actor
        self.device_id, self.device_name = self._ensure_device()
        self.clock = HybridClock(self.device_id, self._last_stamp())
        self.head_signer: HeadSigner | None = None

    def transaction(self) -> AbstractContextManager[None]:
        """One user action = one transaction: the database's own (Database.transaction)."""
        return self.db.transaction()

    # -- identity -------------------------------------------------------------------------
    def _ensure_device(self) -> tuple[str, str]:
        row = self.db.execute("SELECT id, name FROM devices WHERE is_self = 1").fetchone()
        if row:
            return row[0], row[1]
        from db.lock import host_name

        device_id, name = new_id(), host_name() or "may-tinh"
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO devices (id, name, is_self, trusted, created_at) "
                "VALUES (?, ?, 1, 1, ?)",
                [device_id, name, now_iso()],
            )
        return device_id, name

    def _last_stamp(self) -> str | None:
        stamps = [
            self.db.execute(f"SELECT max(hlc) FROM {table}").fetchone()[0]
            for table in SYNCED_TABLES
        ]
        present = [s for s in stamps if s]
        return max(present) if present else None

    # -- rows that travel -----------------------------------------------------------------
    def get_row(self, table: str, row_id: str) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def live_row(self, table: str, row_id: str) -> dict[str, Any] | None:
        """The row with this id, or None when it is absent or tombstoned."""
        row = self.get_row(table, row_id)
        return row if row is not None and not row["deleted"] else None

    def insert_row(self, table: str, row: dict[str, Any], *, audit: bool = True) -> dict[str, Any]:
        """Insert a new synced row stamped with a fresh clock value."""
        assert table in SYNCED_TABLES, table
        stamped = dict(row)
        stamped.setdefault("id", new_id())
        stamped.update(hlc=self.clock.now(), origin=self.device_id, base_hlc=None, deleted=0)
        with self.transaction():
            columns = ", ".join(stamped)
            marks = ", ".join("?" for _ in stamped)
            self.db.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(stamped.values())
            )
            if audit:
                self.append_audit("insert", table, stamped["id"], None, row)
        return stamped

    def insert_rows(self, table: str, rows: list[dict[str, Any]]) -> int:
        """Bulk-insert new synced rows (same columns each) with fresh stamps; no audit entries.

        For generated data (demo, benchmarks) where a per-row audit entry means nothing.
        """
        assert table in SYNCED_TABLES, table
        if not rows:
            return 0
        columns = [*rows[0], "hlc", "origin", "base_hlc", "deleted"]
        values = [[*row.values(), self.clock.now(), self.device_id, None, 0] for row in rows]
        marks = ", ".join("?" for _ in columns)
        with self.transaction():
            self.db.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values
            )
        return len(rows)

    def update_row(
        self,
        table: str,
        row_id: str,
        changes: dict[str, Any],
        *,
        audit: bool = True,
        current: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Change some fields of a synced row; records the version it was edited from.

        `current`: the row as the caller just read it in this transaction (not read again).
        """
        assert table in SYNCED_TABLES, table
        with self.transaction():
            old = current if current is not None else self.get_row(table, row_id)
            if old is None:
                raise KeyError(f"{table} {row_id}")
            real = {k: v for k, v in changes.items() if old.get(k) != v}
            if not real:
                return old
            stamp = self.clock.now()
            assignments = dict(real, hlc=stamp, origin=self.device_id, base_hlc=old["hlc"])
            sql_set = ", ".join(f"{k} = ?" for k in assignments)
            self.db.execute(
                f"UPDATE {table} SET {sql_set} WHERE id = ?", [*assignments.values(), row_id]
            )
            if audit:
                self.append_audit("update", table, row_id, {k: old[k] for k in real}, real)
            return {**old, **assignments}

    def upsert_row(self, table: str, row_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Insert the row with this id, or update it when it exists (tombstone lifted)."""
        with self.transaction():
            if self.get_row(table, row_id) is None:
                return self.insert_row(table, {"id": row_id, **values})
            return self.update_row(table, row_id, {**values, "deleted": 0})

    def delete_row(self, table: str, row_id: str) -> None:
        """Deleting is a tombstone that travels, never a DELETE."""
        self.update_row(table, row_id, {"deleted": 1})

    # -- audit ----------------------------------------------------------------------------
    def append_audit(
        self,
        action: str,
        table: str,
        row_id: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
    ) -> None:
        """Append one entry to the hash-chained log (inside the caller's transaction).

        The entry links to the recorded head (not merely the last row left in the table), so
        an entry appended after a deleted tail breaks the chain visibly; the head moves on in
        the same transaction.
        """
        head = self.audit_head()
        last = self.db.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        prev = last[1] if last else GENESIS_HASH
        if head is not None and (last is None or head[0] > int(last[0])):
            prev = head[1]
        entry = {
            "at": now_iso(),
            "device_id": self.device_id,
            "actor": self.actor,
            "action": action,
            "table_name": table,
            "row_id": row_id,
            "old": json.dumps(old, ensure_ascii=False, sort_keys=True) if old is not None else None,
            "new": json.dumps(new, ensure_ascii=False, sort_keys=True) if new is not None else None,
        }
        digest = entry_hash(prev, entry)
        columns = ", ".join([*entry, "prev_hash", "hash"])
        with self.db.atomic():
            cursor = self.db.execute(
                f"INSERT INTO audit_log ({columns}) VALUES ({', '.join('?' * (len(entry) + 2))})",
                [*entry.values(), prev, digest],
            )
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [AUDIT_HEAD_KEY, f"{cursor.lastrowid}:{digest}"],
            )
            self._sign_head(int(cursor.lastrowid or 0), digest)

    def append_audit_many(self, entries: list[dict[str, Any]]) -> None:
        """Append many entries at once (inside the caller's transaction), chained as
        append_audit chains them one by one: one read of the head, one executemany.

        Each: action, table, row_id, old, new, and optionally device_id (whose change it is:
        a merged version's author) and actor.
        """
        if not entries:
            return
        head = self.audit_head()
        last = self.db.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        prev = last[1] if last else GENESIS_HASH
        if head is not None and (last is None or head[0] > int(last[0])):
            prev = head[1]
        # SQLite gives each the next rowid, as append_audit's single inserts get it.
        seq = int(last[0]) if last else 0
        at = now_iso()
        rows = []
        encode = _STORED.encode
        for item in entries:
            old, new = item.get("old"), item.get("new")
            entry = {
                "at": at,
                "device_id": item.get("device_id") or self.device_id,
                "actor": item.get("actor", self.actor),
                "action": item["action"],
                "table_name": item["table"],
                "row_id": item["row_id"],
                "old": None if old is None else encode(old),
                "new": None if new is None else encode(new),
            }
            digest = entry_hash(prev, entry)
            seq += 1
            rows.append((seq, *entry.values(), prev, digest))
            prev = digest
        columns = "seq, at, device_id, actor, action, table_name, row_id, old, new, prev_hash, hash"
        with self.db.atomic():
            self.db.conn.executemany(
                f"INSERT INTO audit_log ({columns}) VALUES ({', '.join('?' * 11)})", rows
            )
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [AUDIT_HEAD_KEY, f"{seq}:{prev}"],
            )
            self._sign_head(seq, prev)

    def _sign_head(self, seq: int, digest: str) -> None:
        """Keep the new head signed (inside the append's transaction), when a signer is set."""
        if self.head_signer is None:
            return
        signed = self.head_signer(seq, digest)
        if signed is not None:
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [SIGNED_HEAD_KEY, signed],
            )

    def audit_head(self) -> tuple[int, str] | None:
        """(seq, hash) of the newest entry as recorded at its append; None before the first."""
        row = self.db.execute(
            "SELECT value FROM settings WHERE key = ?", [AUDIT_HEAD_KEY]
        ).fetchone()
        value = row[0] if row else None
        if not value or ":" not in value:
            return None
        seq, digest = value.split(":", 1)
        try:
            return int(seq), digest
        except ValueError:
            return None

    def audit_truncated_after(self) -> int | None:
        """When entries after the last one present were removed: that last seq (0 for none).

        None when the newest entry is the recorded head (or no head was ever recorded).
        """
        head = self.audit_head()
        if head is None:
            return None
        last = self.db.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if last is not None and (int(last[0]), last[1]) == head:
            return None
        if last is not None and int(last[0]) > head[0]:
            return None  # entries past the head: the chain walk names the first bad one
        return int(last[0]) if last else 0

    def verify_audit(self) -> int | None:
        """Walk the chain; return the seq of the first broken entry, or None when intact."""
        prev = GENESIS_HASH
        cursor = self.db.execute(
            "SELECT seq, at, device_id, actor, action, table_name, row_id, old, new, prev_hash, "
            "hash FROM audit_log ORDER BY seq"
        )
        names = [c[0] for c in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            entry = {k: row[k] for k in names if k not in ("seq", "prev_hash", "hash")}
            if row["prev_hash"] != prev or entry_hash(prev, entry) != row["hash"]:
                return int(row["seq"])
            prev = row["hash"]
        return None

    def history(self, table: str, row_id: str) -> list[dict[str, Any]]:
        """Audit entries of one row, oldest first."""
        return [
            dict(r)
            for r in self.db.query(
                "SELECT seq, at, actor, device_id, action, old, new FROM audit_log "
                "WHERE table_name = ? AND row_id = ? ORDER BY seq",
                [table, row_id],
            )
        ]

    # -- audit of a finding ---------------------------------------------------------------
    def finding_audit(self, fid: str) -> list[dict[str, Any]]:
        """Audit entries of a finding and of its evidence documents and attachments, in order.

        Each: seq, at, actor, device_id, device_name, action, table_name, row_id, old, new
        (old/new still JSON text, as stored).
        """
        return [
            dict(r)
            for r in self.db.query(
                "SELECT a.seq, a.at, a.actor, a.device_id, d.name AS device_name, a.action, "
                "a.table_name, a.row_id, a.old, a.new FROM audit_log a "
                "LEFT JOIN devices d ON d.id = a.device_id "
                "WHERE (a.table_name = 'findings' AND a.row_id = :fid) "
                "OR (a.table_name = 'evidence_docs' AND a.row_id IN "
                "    (SELECT id FROM evidence_docs WHERE finding_id = :fid)) "
                "OR (a.table_name = 'attachments' AND a.row_id IN "
                "    (SELECT id FROM attachments WHERE finding_id = :fid)) "
                "ORDER BY a.seq",
                {"fid": fid},
            )
        ]

    def audit_last(self) -> tuple[int, str] | None:
        """(seq, hash) of the newest entry in the log; None when it is empty."""
        row = self.db.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def audit_hash_at(self, seq: int) -> str | None:
        """The hash of entry `seq` (None when there is none)."""
        row = self.db.execute("SELECT hash FROM audit_log WHERE seq = ?", [seq]).fetchone()
        return str(row[0]) if row else None

    def audit_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    def audit_mismatches(
        self, table: str, fields: list[str], origins: list[str]
    ) -> list[dict[str, Any]]:
        """Rows of `table` whose current version was written by one of `origins` (this
        database's own device ids) and whose `fields` differ from what the audit log last
        recorded for them: {"row_id", "field", "audited", "current"}, in row order. A field
        the log never recorded for a row is not compared."""
        assert table in SYNCED_TABLES, table
        wanted = set(fields)
        audited: dict[str, dict[str, Any]] = {}
        for row_id, new in self.db.execute(
            "SELECT row_id, new FROM audit_log WHERE table_name = ? AND new IS NOT NULL "
            "ORDER BY seq",
            [table],
        ):
            try:
                values = json.loads(new)
            except ValueError:
                continue
            if isinstance(values, dict):
                kept = {k: v for k, v in values.items() if k in wanted}
                if kept:
                    audited.setdefault(row_id, {}).update(kept)
        if not audited:
            return []
        columns = sorted(wanted)
        out = []
        marks = ", ".join("?" * len(origins))
        for row_id, *values in self.db.execute(
            f"SELECT id, {', '.join(columns)} FROM {table} WHERE origin IN ({marks}) ORDER BY id",
            origins,
        ):
            last = audited.get(row_id)
            if last is None:
                continue
            for field, current in zip(columns, values, strict=True):
                if field in last and last[field] != current:
                    out.append(
                        {
                            "row_id": row_id,
                            "field": field,
                            "audited": last[field],
                            "current": current,
                        }
                    )
        return out

    def audit_count_after(self, seq: int) -> int:
        return int(
            self.db.execute("SELECT count(*) FROM audit_log WHERE seq > ?", [seq]).fetchone()[0]
        )

    def audit_entry(self, seq: int) -> dict[str, Any] | None:
        """One audit entry by its sequence number (for reporting a broken link)."""
        rows = list(
            self.db.query(
                "SELECT seq, at, actor, device_id, action, table_name, row_id FROM audit_log "
                "WHERE seq = ?",
                [seq],
            )
        )
        return dict(rows[0]) if rows else None

    def has_records(self) -> bool:
        """Whether anything was ever recorded (an empty new database needs no backup)."""
        return self.db.execute("SELECT 1 FROM audit_log LIMIT 1").fetchone() is not None
