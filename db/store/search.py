"""Full-text search over folded Vietnamese text (FTS5), kept in step with the data.

`search_index` (FTS5) holds the folded text (lower case, no diacritics, đ→d) of checklist items
(kind 'item'), finding observations ('finding') and evidence documents ('evidence').
`search_refs` (migration m002_recording) maps a row id to its FTS rowid, so replacing the text
of one row is a primary-key lookup plus an `INSERT OR REPLACE` by rowid: FTS5 UNINDEXED columns
have no index, and `DELETE ... WHERE ref_id = ?` would scan the whole index on every save.
The indexed `scope` column holds tokens that narrow a search inside FTS5 itself (an UNINDEXED
column filter reads every match: 350 ms against 18 ms on 100k matching rows): "i<inspection>"
and "rec" for findings and evidence, "v<version>" and "l<level letter>" for items.

Observations are indexed lazily: saving one marks its finding in `search_stale` (m013), and
`refresh_search_index` brings those into the index in one batch — before every search, and
when the store closes. Items and evidence documents are indexed as they are written.
"""

from __future__ import annotations

from typing import Any

from db.store.core import Core
from db.store.plans import LEVEL_LETTERS
from db.text import fold, scope_text, scope_token

_MAX_ROWID = 2**63 - 1  # SQLite's largest rowid


class Search:
    """Writing to and querying the folded full-text index."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    # -- writing --------------------------------------------------------------------------
    def index_text(self, kind: str, ref_id: str, text: str, inspection_id: str | None) -> None:
        """Put (or replace) the folded `text` of one row; empty text removes it."""
        body = fold(text or "").strip()
        if not body:
            self.unindex(ref_id)
            return
        if kind == "item":
            item = self.db.execute(
                "SELECT version_id, levels FROM checklist_items WHERE id = ?", [ref_id]
            ).fetchone()
            scope = scope_text(kind, None, item[0] if item else "", item[1] if item else "")
        else:
            scope = scope_text(kind, inspection_id)
        rowid = self.db.execute(
            "INSERT INTO search_refs (ref_id) VALUES (?) "
            "ON CONFLICT(ref_id) DO UPDATE SET ref_id = excluded.ref_id RETURNING fts_rowid",
            [ref_id],
        ).fetchone()[0]
        self.db.execute(
            "INSERT OR REPLACE INTO search_index "
            "(rowid, body, scope, kind, ref_id, inspection_id) VALUES (?, ?, ?, ?, ?, ?)",
            [rowid, body, scope, kind, ref_id, inspection_id],
        )

    def unindex(self, ref_id: str) -> None:
        """Remove one row from the index (a tombstone, an emptied note)."""
        row = self.db.execute(
            "DELETE FROM search_refs WHERE ref_id = ? RETURNING fts_rowid", [ref_id]
        ).fetchone()
        if row is not None:
            self.db.execute("DELETE FROM search_index WHERE rowid = ?", [row[0]])

    def index_checklist_version(self, version_id: str) -> int:
        """Index every item text of a checklist version; returns how many."""
        rows = self.db.execute(
            "SELECT id, code, text FROM checklist_items WHERE version_id = ? AND deleted = 0",
            [version_id],
        ).fetchall()
        for item_id, code, text in rows:
            self.index_text("item", item_id, f"{code} {text}", None)
        return len(rows)

    def mark_finding_stale(self, finding_id: str) -> None:
        """The finding's observation changed: index it before the next search."""
        self.db.execute("INSERT OR IGNORE INTO search_stale (ref_id) VALUES (?)", [finding_id])

    def refresh_search_index(self) -> int:
        """Index the observations saved since the last refresh (one transaction); how many.

        A read-only store cannot write the index: it searches what the writer has indexed.
        """
        if (
            self.db.read_only
            or not self.db.execute("SELECT 1 FROM search_stale LIMIT 1").fetchone()
        ):
            return 0
        with self.core.transaction():
            stale = self.db.execute(
                "SELECT s.ref_id, f.id, f.note, f.inspection_id, f.deleted "
                "FROM search_stale s LEFT JOIN findings f ON f.id = s.ref_id"
            ).fetchall()
            for ref_id, fid, note, inspection_id, deleted in stale:
                if fid is None:
                    self.unindex(ref_id)
                else:
                    self.index_finding_row(
                        {
                            "id": fid,
                            "note": note,
                            "inspection_id": inspection_id,
                            "deleted": deleted,
                        }
                    )
            self.db.execute("DELETE FROM search_stale")
        return len(stale)

    def index_finding_row(self, row: dict[str, Any]) -> None:
        """Index a finding's observation (or drop it when empty or tombstoned)."""
        if row.get("deleted"):
            self.unindex(row["id"])
        else:
            self.index_text("finding", row["id"], row.get("note") or "", row["inspection_id"])

    def index_evidence_row(self, row: dict[str, Any], inspection_id: str | None) -> None:
        """Index an evidence document's number and summary (or drop it when tombstoned)."""
        if row.get("deleted"):
            self.unindex(row["id"])
        else:
            text = f"{row.get('number') or ''} {row.get('summary') or ''}"
            self.index_text("evidence", row["id"], text, inspection_id)

    def rebuild_search_index(self) -> int:
        """Rebuild the whole index from the tables (after a sync import); returns rows indexed."""
        with self.core.transaction():
            self.db.execute("DELETE FROM search_index")
            self.db.execute("DELETE FROM search_refs")
            self.db.execute("DELETE FROM search_stale")
            count = 0
            for (version_id,) in self.db.execute(
                "SELECT id FROM checklist_versions WHERE deleted = 0"
            ).fetchall():
                count += self.index_checklist_version(version_id)
            for fid, note, inspection_id in self.db.execute(
                "SELECT id, note, inspection_id FROM findings WHERE deleted = 0 AND note != ''"
            ).fetchall():
                self.index_text("finding", fid, note, inspection_id)
                count += 1
            for eid, number, summary, inspection_id in self.db.execute(
                "SELECT e.id, e.number, e.summary, f.inspection_id FROM evidence_docs e "
                "JOIN findings f ON f.id = e.finding_id WHERE e.deleted = 0"
            ).fetchall():
                self.index_text("evidence", eid, f"{number} {summary}", inspection_id)
                count += 1
        return count

    # -- reading --------------------------------------------------------------------------
    def search_hits(
        self, match: str, inspection_id: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        """Rows matching an FTS5 expression (built by the caller, never raw user text).

        Each hit: kind, ref_id, inspection_id, item_id, item_code, text (the original, not
        folded), number/summary for evidence. Scoped to an inspection: items applicable to
        its unit level and version, findings and evidence of that inspection. Unscoped: items
        of the current checklist version, findings and evidence of every live inspection.
        The observations saved since the last search are indexed first.
        """
        self.refresh_search_index()
        if inspection_id is not None:
            insp = self.db.execute(
                "SELECT checklist_version_id, unit_level FROM inspections WHERE id = ?",
                [inspection_id],
            ).fetchone()
            if insp is None:
                return []
            letter = LEVEL_LETTERS.get(insp[1], "?").lower()
            scope = (
                f'scope : "{scope_token("i", inspection_id)}" OR '
                f'scope : ("{scope_token("v", insp[0] or "")}" AND "l{letter}")'
            )
            extra = ""
        else:
            current = self.db.execute(
                "SELECT id FROM checklist_versions WHERE deleted = 0 "
                "ORDER BY activated_at DESC, hlc DESC LIMIT 1"
            ).fetchone()
            scope = 'scope : "rec"'
            if current:
                scope += f' OR scope : "{scope_token("v", current[0])}"'
            extra = (
                " AND (s.kind = 'item' OR s.inspection_id IN "
                "(SELECT id FROM inspections WHERE deleted = 0))"
            )
        expression = f"body : ({match}) AND ({scope})"
        hits = self.db.execute(
            f"SELECT s.kind, s.ref_id, s.inspection_id FROM search_index s "
            f"WHERE search_index MATCH ?{extra} ORDER BY s.rank LIMIT ?",
            [expression, limit],
        ).fetchall()
        out: list[dict[str, Any]] = []
        for kind, ref_id, insp_id in hits:
            detail = self._hit_detail(kind, ref_id)
            if detail is None:
                continue
            out.append({"kind": kind, "ref_id": ref_id, "inspection_id": insp_id, **detail})
        return out

    def _hit_detail(self, kind: str, ref_id: str) -> dict[str, Any] | None:
        if kind == "item":
            row = self.db.execute(
                "SELECT id, code, text FROM checklist_items WHERE id = ?", [ref_id]
            ).fetchone()
            if row is None:
                return None
            return {"item_id": row[0], "item_code": row[1], "text": row[2]}
        if kind == "finding":
            row = self.db.execute(
                "SELECT item_id, item_code, note FROM findings WHERE id = ? AND deleted = 0",
                [ref_id],
            ).fetchone()
            if row is None:
                return None
            return {"item_id": row[0], "item_code": row[1], "text": row[2]}
        row = self.db.execute(
            "SELECT f.item_id, f.item_code, e.number, e.summary, e.finding_id "
            "FROM evidence_docs e JOIN findings f ON f.id = e.finding_id "
            "WHERE e.id = ? AND e.deleted = 0",
            [ref_id],
        ).fetchone()
        if row is None:
            return None
        text = " — ".join(x for x in (row[2], row[3]) if x)
        return {
            "item_id": row[0],
            "item_code": row[1],
            "text": text,
            "number": row[2],
            "summary": row[3],
            "finding_id": row[4],
        }

    def reindex_row(self, table: str, row_id: str) -> None:
        """Bring one row written by a sync merge or a conflict resolution into the index."""
        row = self.core.get_row(table, row_id)
        if row is None:
            return
        if table == "findings":
            self.index_finding_row(row)
        elif table == "evidence_docs":
            parent = self.core.get_row("findings", row["finding_id"])
            self.index_evidence_row(row, parent["inspection_id"] if parent else None)
        elif table == "checklist_items":
            if row["deleted"]:
                self.unindex(row_id)
            else:
                self.index_text("item", row_id, f"{row['code']} {row['text']}", None)

    def index_new_findings(self, versions: list[dict[str, Any]]) -> None:
        """reindex_row of just-inserted findings in one pass: the same refs, rowids and texts."""
        ids = [v["id"] for v in versions]
        indexed: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            indexed.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT ref_id FROM search_refs WHERE ref_id IN ({marks})", chunk
                )
            )
        last = self.db.execute("SELECT max(fts_rowid) FROM search_refs").fetchone()[0] or 0
        if indexed or last > _MAX_ROWID - len(ids):
            # A ref left from an earlier life of an id, or rowids about to run out: row by row.
            for row_id in ids:
                self.reindex_row("findings", row_id)
            return
        scopes: dict[Any, str] = {}
        entries: list[tuple[str, str, str, Any]] = []
        for version in versions:
            note, inspection_id = version.get("note"), version.get("inspection_id")
            deleted = version.get("deleted")
            if type(note) is not str or type(inspection_id) is not str or type(deleted) is not int:
                # Not stored as given (a default, a column affinity): read the row back.
                row = self.core.get_row("findings", version["id"]) or {}
                note, inspection_id = row.get("note"), row.get("inspection_id")
                deleted = row.get("deleted")
            if deleted:
                continue  # unindex: nothing to remove
            body = fold(note or "").strip()
            if not body:
                continue
            scope = scopes.get(inspection_id)
            if scope is None:
                scope = scopes[inspection_id] = scope_text("finding", inspection_id)
            entries.append((version["id"], body, scope, inspection_id))
        if not entries:
            return
        conn = self.db.conn
        conn.executemany("INSERT INTO search_refs (ref_id) VALUES (?)", [(e[0],) for e in entries])
        rowids = dict(
            conn.execute(
                "SELECT ref_id, fts_rowid FROM search_refs WHERE fts_rowid > ?", [last]
            ).fetchall()
        )
        conn.executemany(
            "INSERT OR REPLACE INTO search_index "
            "(rowid, body, scope, kind, ref_id, inspection_id) "
            "VALUES (?, ?, ?, 'finding', ?, ?)",
            [(rowids[ref_id], body, scope, ref_id, insp) for ref_id, body, scope, insp in entries],
        )
