"""Sync: proofs of authorship (`sync_attestations`, m010): lists of version digests, each
signed by the device that wrote those versions. The signing and checking are in
desktop/sync/authorship.py; this keeps them and finds them again for a relay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.store.core import Core
from db.store.sync.conflicts import Conflicts
from db.store.sync.versions import Versions


class Proofs:
    """Signed digest lists by device: stored once, carried on by every export."""

    def __init__(self, core: Core, versions: Versions, conflicts: Conflicts) -> None:
        self.core = core
        self.db = core.db
        self.versions = versions
        self.conflicts = conflicts

    def of_devices(self, device_ids: Iterable[str]) -> list[dict[str, Any]]:
        """Every attestation signed by these devices: id, device_id, signature, digests."""
        wanted = sorted(set(device_ids))
        found: list[dict[str, Any]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found.extend(
                dict(r)
                for r in self.db.query(
                    "SELECT id, device_id, signature, digests FROM sync_attestations "
                    f"WHERE device_id IN ({marks}) ORDER BY rowid",
                    chunk,
                )
            )
        return found

    def add(self, attestations: Iterable[dict[str, Any]]) -> None:
        """Keep attestations (already verified, or made here); the same one twice is kept once."""
        with self.core.transaction():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO sync_attestations (id, device_id, signature, digests) "
                "VALUES (?, ?, ?, ?)",
                [(a["id"], a["device_id"], a["signature"], a["digests"]) for a in attestations],
            )

    def known_versions(self, table: str, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (row_id, hlc) versions this laptop already holds: a head of the row
        (the row itself or a side of an open conflict) or an ancestor of one, so that merging
        it again changes nothing. An edge of the history alone is not enough: a package's
        versions.jsonl carries no proof and can name any stamp (issue 15)."""
        wanted: dict[str, set[str]] = {}
        for row_id, hlc in pairs:
            wanted.setdefault(row_id, set()).add(hlc)
        found: set[tuple[str, str]] = set()
        for row_id, stamps in wanted.items():
            heads = {h["hlc"] for h in self.conflicts.row_heads(table, row_id)}
            held = stamps & heads
            if stamps - held:
                parents = self.versions.parents(table, row_id)
                for head in heads:
                    held |= stamps & self.versions.ancestors(parents, head)
            found.update((row_id, hlc) for hlc in held)
        return found
