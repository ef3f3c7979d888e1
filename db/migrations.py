"""Schema migrations: one function per step, applied in the order of `STEPS`, each in its own
transaction. A step's number is its place in that list.

Never edit a migration that has shipped; add a new one at the end of `STEPS`, numbered next.
Tests open a database made by every earlier schema and check nothing is lost.

Until version 0.1.1 the steps were numbered as they were written (m001, m003, m002, m008, …)
and applied in another order; they were renumbered to their place. `RENAMED` maps the names
those versions recorded in `_sqlite_migrations` to today's, and `open_database` rewrites them
(`rename_applied`) before looking for pending steps, so such a database is not migrated again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

# The name sqlite-utils records the steps under, in the _sqlite_migrations table.
MIGRATION_SET = "kiemtra"
MIGRATIONS_TABLE = "_sqlite_migrations"

Step = Callable[["sqlite_utils.Database"], None]

# Name recorded by version 0.1.1 or earlier → the name of the same step today (never shrink it:
# a database made by any earlier version must still open).
RENAMED: dict[str, str] = {
    "m003_recording": "m002_recording",
    "m002_sync": "m003_sync",
    "m008_indexes": "m004_indexes",
    "m010_remediation_attachments": "m005_remediation_attachments",
    "m011_start_up_indexes": "m006_start_up_indexes",
    "m012_drop_duplicate_indexes": "m007_drop_duplicate_indexes",
    "m013_search_stale": "m008_search_stale",
}


def current_name(name: str) -> str:
    """Today's name of a step recorded under `name` (by this or an earlier version)."""
    return RENAMED.get(name, name)


def migration_set(only: Collection[str] | None = None) -> sqlite_utils.Migrations:
    """The sqlite-utils Migrations over STEPS (or those named in `only`), which applies them
    (imports sqlite-utils). Opening an up-to-date database needs only `pending_names`."""
    from sqlite_utils import Migrations

    built = Migrations(MIGRATION_SET)
    wanted = None if only is None else {current_name(name) for name in only}
    for fn in STEPS:
        if wanted is None or fn.__name__ in wanted:
            built()(fn)
    return built


def __getattr__(name: str) -> Any:
    # `from db.migrations import migrations`: the same, for scripts and tests.
    if name == "migrations":
        return migration_set()
    raise AttributeError(name)


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """The steps recorded as applied on `conn`, in the order recorded, under the names they
    were recorded with (an earlier version's names included)."""
    known = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if not known:
        return []
    return [
        r[0]
        for r in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET],
        )
    ]


def pending_names(conn: sqlite3.Connection) -> list[str]:
    """The names of the steps not yet applied to the database on `conn`, in order.

    Reads only: a step recorded under an earlier version's name counts as applied.
    """
    applied = {current_name(name) for name in applied_names(conn)}
    return [fn.__name__ for fn in STEPS if fn.__name__ not in applied]


def rename_applied(conn: sqlite3.Connection) -> int:
    """Rewrite the names an earlier version recorded to today's (one transaction); how many.

    sqlite-utils' Migrations, which applies the pending steps, knows only today's names.
    """
    old = [name for name in applied_names(conn) if name in RENAMED]
    if not old:
        return 0
    conn.execute("BEGIN")
    try:
        for name in old:
            conn.execute(
                f"UPDATE {MIGRATIONS_TABLE} SET name = ? WHERE migration_set = ? AND name = ?",
                [RENAMED[name], MIGRATION_SET, name],
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return len(old)


# Columns every row that travels between laptops carries.
SYNC_COLUMNS = """
    hlc TEXT NOT NULL,
    origin TEXT NOT NULL,
    base_hlc TEXT,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
"""

# Tables whose rows travel in sync packages, parents before children.
SYNCED_TABLES = (
    "plans",
    "units",
    "checklist_versions",
    "checklist_areas",
    "checklist_criteria",
    "checklist_items",
    "inspections",
    "members",
    "findings",
    "evidence_docs",
    "attachments",
    "conclusions",
    "recommendations",
    "remediations",
    "remediation_attachments",
)
# The travelling tables m001_initial and m003_sync were written for: a shipped migration keeps
# doing exactly what it did; a later table brings its own sync index and triggers.
M001_SYNCED_TABLES = SYNCED_TABLES[: SYNCED_TABLES.index("remediations") + 1]
# Tables whose rows name a content-addressed file (<data_dir>/attachments/<sha[:2]>/<sha>).
ATTACHMENT_TABLES = ("attachments", "remediation_attachments")


def _fk(table: str) -> str:
    # Deferred: a sync import may write a child before its parent in one transaction.
    return f"REFERENCES {table}(id) DEFERRABLE INITIALLY DEFERRED"


def m001_initial(db: sqlite_utils.Database) -> None:
    """The whole data model of DESIGN.md."""
    statements = f"""
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);

    CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key TEXT,
        fingerprint TEXT,
        is_self INTEGER NOT NULL DEFAULT 0,
        trusted INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );

    CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        issued_on TEXT,
        year INTEGER NOT NULL,
        issuer TEXT NOT NULL,
        province TEXT,
        title TEXT,
        period_from TEXT,
        period_to TEXT,
        {SYNC_COLUMNS}
    );

    CREATE TABLE units (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('so', 'dvsn', 'huyen', 'xa')),
        parent_id TEXT {_fk("units")},
        {SYNC_COLUMNS}
    );
    CREATE INDEX units_parent ON units(parent_id);

    CREATE TABLE checklist_versions (
        id TEXT PRIMARY KEY,
        version TEXT NOT NULL,
        name TEXT NOT NULL,
        source TEXT,
        activated_at TEXT NOT NULL,
        {SYNC_COLUMNS}
    );

    CREATE TABLE checklist_areas (
        id TEXT PRIMARY KEY,
        version_id TEXT NOT NULL {_fk("checklist_versions")},
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        max_points REAL NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,
        {SYNC_COLUMNS}
    );
    CREATE INDEX checklist_areas_version ON checklist_areas(version_id, position);

    CREATE TABLE checklist_criteria (
        id TEXT PRIMARY KEY,
        version_id TEXT NOT NULL {_fk("checklist_versions")},
        area_id TEXT NOT NULL {_fk("checklist_areas")},
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        {SYNC_COLUMNS}
    );
    CREATE INDEX checklist_criteria_area ON checklist_criteria(area_id, position);

    CREATE TABLE checklist_items (
        id TEXT PRIMARY KEY,
        version_id TEXT NOT NULL {_fk("checklist_versions")},
        area_id TEXT NOT NULL {_fk("checklist_areas")},
        criterion_id TEXT NOT NULL {_fk("checklist_criteria")},
        code TEXT NOT NULL,
        text TEXT NOT NULL,
        guidance TEXT NOT NULL DEFAULT '',
        legal_basis TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL CHECK (type IN
            ('YES_NO', 'LEVEL', 'PERCENT', 'COUNT', 'DATE_ON_TIME', 'TEXT')),
        max_score REAL NOT NULL DEFAULT 0,
        levels TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '',
        thresholds TEXT NOT NULL DEFAULT '[]',
        position INTEGER NOT NULL,
        {SYNC_COLUMNS}
    );
    CREATE INDEX checklist_items_version ON checklist_items(version_id, position);
    CREATE UNIQUE INDEX checklist_items_code ON checklist_items(version_id, code);

    CREATE TABLE inspections (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL {_fk("plans")},
        unit_id TEXT NOT NULL {_fk("units")},
        unit_name TEXT NOT NULL,
        unit_level TEXT NOT NULL,
        parent_id TEXT {_fk("inspections")},
        month INTEGER CHECK (month BETWEEN 1 AND 12),
        kind TEXT NOT NULL DEFAULT 'theo-ke-hoach',
        mode TEXT NOT NULL DEFAULT 'truc-tiep',
        status TEXT NOT NULL DEFAULT 'chua-kiem-tra',
        visit_date TEXT,
        place TEXT,
        checklist_version_id TEXT {_fk("checklist_versions")},
        position INTEGER NOT NULL DEFAULT 0,
        {SYNC_COLUMNS}
    );
    CREATE INDEX inspections_plan ON inspections(plan_id, position);
    CREATE INDEX inspections_parent ON inspections(parent_id);
    CREATE INDEX inspections_unit ON inspections(unit_id);

    CREATE TABLE members (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL {_fk("plans")},
        full_name TEXT NOT NULL,
        position_title TEXT NOT NULL DEFAULT '',
        agency TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL,
        areas TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0,
        {SYNC_COLUMNS}
    );
    CREATE INDEX members_plan ON members(plan_id, position);

    CREATE TABLE findings (
        id TEXT PRIMARY KEY,
        inspection_id TEXT NOT NULL {_fk("inspections")},
        item_id TEXT NOT NULL {_fk("checklist_items")},
        item_code TEXT NOT NULL,
        result TEXT CHECK (result IN ('dat', 'khong-dat', 'mot-phan', 'khong-ap-dung')),
        score REAL,
        note TEXT NOT NULL DEFAULT '',
        numerator REAL,
        denominator REAL,
        value TEXT,
        self_result TEXT,
        self_score REAL,
        self_evidence TEXT NOT NULL DEFAULT '',
        recorded_by TEXT,
        recorded_at TEXT,
        {SYNC_COLUMNS}
    );
    CREATE UNIQUE INDEX findings_item ON findings(inspection_id, item_id);
    CREATE INDEX findings_hlc ON findings(hlc);

    CREATE TABLE evidence_docs (
        id TEXT PRIMARY KEY,
        finding_id TEXT NOT NULL {_fk("findings")},
        number TEXT NOT NULL DEFAULT '',
        issued_on TEXT,
        summary TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0,
        {SYNC_COLUMNS}
    );
    CREATE INDEX evidence_docs_finding ON evidence_docs(finding_id);

    CREATE TABLE attachments (
        id TEXT PRIMARY KEY,
        finding_id TEXT NOT NULL {_fk("findings")},
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        filename TEXT NOT NULL,
        media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        {SYNC_COLUMNS}
    );
    CREATE INDEX attachments_finding ON attachments(finding_id);
    CREATE INDEX attachments_sha ON attachments(sha256);

    CREATE TABLE conclusions (
        id TEXT PRIMARY KEY,
        inspection_id TEXT NOT NULL {_fk("inspections")},
        area_code TEXT NOT NULL DEFAULT '',
        strengths TEXT NOT NULL DEFAULT '',
        limitations TEXT NOT NULL DEFAULT '',
        causes TEXT NOT NULL DEFAULT '',
        {SYNC_COLUMNS}
    );
    CREATE UNIQUE INDEX conclusions_area ON conclusions(inspection_id, area_code);

    CREATE TABLE recommendations (
        id TEXT PRIMARY KEY,
        inspection_id TEXT NOT NULL {_fk("inspections")},
        number INTEGER NOT NULL,
        area_code TEXT,
        item_code TEXT,
        text TEXT NOT NULL,
        responsible TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        status TEXT NOT NULL DEFAULT 'mo',
        {SYNC_COLUMNS}
    );
    CREATE INDEX recommendations_inspection ON recommendations(inspection_id, number);

    CREATE TABLE remediations (
        id TEXT PRIMARY KEY,
        recommendation_id TEXT NOT NULL {_fk("recommendations")},
        reported_on TEXT,
        doc_number TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        verdict TEXT CHECK (verdict IN ('ok', 'reject')),
        verified_on TEXT,
        verify_note TEXT NOT NULL DEFAULT '',
        {SYNC_COLUMNS}
    );
    CREATE INDEX remediations_recommendation ON remediations(recommendation_id);

    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        device_id TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL,
        old TEXT,
        new TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX audit_log_row ON audit_log(table_name, row_id);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    CREATE TABLE sync_exports (
        id TEXT PRIMARY KEY,
        package_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        target TEXT,
        plan_id TEXT,
        up_to_hlc TEXT,
        rows INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE sync_imports (
        id TEXT PRIMARY KEY,
        package_id TEXT NOT NULL,
        source_device TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        inserted INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        conflicts INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE sync_conflicts (
        id TEXT PRIMARY KEY,
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL,
        local TEXT NOT NULL,
        remote TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT
    );
    CREATE INDEX sync_conflicts_row ON sync_conflicts(table_name, row_id);

    -- Folded (no diacritics, lower case, đ→d) copy of searchable text.
    CREATE VIRTUAL TABLE search_index USING fts5(
        body, kind UNINDEXED, ref_id UNINDEXED, inspection_id UNINDEXED,
        tokenize = 'unicode61'
    );
    """
    for table in M001_SYNCED_TABLES:
        statements += f"\nCREATE INDEX {table}_hlc_sync ON {table}(hlc);"
    _execute_script(db, statements)


def _execute_script(db: sqlite_utils.Database, script: str) -> None:
    """Run statements one by one inside the migration's transaction.

    sqlite3's executescript() would COMMIT first and break the all-or-nothing migration.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.conn.execute(buffer)


def m002_recording(db: sqlite_utils.Database) -> None:
    """On-site recording: a row-id → FTS rowid map for cheap index updates, and a backfill.

    FTS5 UNINDEXED columns are not indexed, so replacing one row's text by `ref_id` would scan
    the whole index; `search_refs` turns it into a primary-key lookup and a replace by rowid.
    The index is rebuilt with an indexed `scope` column (tokens for the inspection, or the
    checklist version and unit levels) so that a scoped search is narrowed inside FTS5.
    """
    from db.text import fold, scope_text

    _execute_script(
        db,
        """
        DROP TABLE search_index;
        CREATE VIRTUAL TABLE search_index USING fts5(
            body, scope, kind UNINDEXED, ref_id UNINDEXED, inspection_id UNINDEXED,
            tokenize = 'unicode61'
        );
        CREATE TABLE search_refs (fts_rowid INTEGER PRIMARY KEY, ref_id TEXT NOT NULL UNIQUE);
        """,
    )
    rows: list[tuple[str, str, str, str | None, str]] = []
    for item_id, code, text, version_id, levels in db.conn.execute(
        "SELECT id, code, text, version_id, levels FROM checklist_items WHERE deleted = 0"
    ):
        rows.append(
            ("item", item_id, f"{code} {text}", None, scope_text("item", None, version_id, levels))
        )
    for fid, note, inspection_id in db.conn.execute(
        "SELECT id, note, inspection_id FROM findings WHERE deleted = 0 AND note != ''"
    ):
        rows.append(("finding", fid, note, inspection_id, scope_text("finding", inspection_id)))
    for eid, number, summary, inspection_id in db.conn.execute(
        "SELECT e.id, e.number, e.summary, f.inspection_id FROM evidence_docs e "
        "JOIN findings f ON f.id = e.finding_id WHERE e.deleted = 0"
    ):
        rows.append(
            (
                "evidence",
                eid,
                f"{number} {summary}",
                inspection_id,
                scope_text("evidence", inspection_id),
            )
        )
    for kind, ref_id, text, inspection_id, scope in rows:
        body = fold(text).strip()
        if not body:
            continue
        cursor = db.conn.execute("INSERT INTO search_refs (ref_id) VALUES (?)", [ref_id])
        db.conn.execute(
            "INSERT INTO search_index (rowid, body, scope, kind, ref_id, inspection_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [cursor.lastrowid, body, scope, kind, ref_id, inspection_id],
        )


def m003_sync(db: sqlite_utils.Database) -> None:
    """Sync by files: the version history of every travelling row, and encryption keys.

    `sync_versions` holds one edge (version → the version it was edited from) per change,
    filled by triggers, so an import can tell "they edited what we already have" from "we both
    edited the same thing" even after several edits between two exports. `seq` orders the edges
    as this laptop learnt them: an incremental export takes what arrived after the last one.
    """
    statements = """
    ALTER TABLE devices ADD COLUMN encryption_key TEXT;
    ALTER TABLE sync_exports ADD COLUMN up_to_seq INTEGER;
    CREATE TABLE sync_versions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        table_name TEXT NOT NULL,
        row_id TEXT NOT NULL,
        hlc TEXT NOT NULL,
        parent TEXT NOT NULL DEFAULT '',
        UNIQUE (table_name, row_id, hlc, parent)
    );
    CREATE INDEX sync_versions_row ON sync_versions(table_name, row_id);
    """
    for table in M001_SYNCED_TABLES:
        record = (
            "INSERT OR IGNORE INTO sync_versions (table_name, row_id, hlc, parent) "
            f"VALUES ('{table}', NEW.id, NEW.hlc, coalesce(NEW.base_hlc, ''));"
        )
        statements += f"""
    INSERT OR IGNORE INTO sync_versions (table_name, row_id, hlc, parent)
        SELECT '{table}', id, hlc, coalesce(base_hlc, '') FROM {table};
    CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table}
        BEGIN {record} END;
    CREATE TRIGGER {table}_sync_update AFTER UPDATE OF hlc ON {table}
        WHEN NEW.hlc IS NOT OLD.hlc BEGIN {record} END;
    """
    _execute_script(db, statements)


def m004_indexes(db: sqlite_utils.Database) -> None:
    """Read-only indexes for hot queries at scale (EXPLAIN QUERY PLAN in tests/test_scale.py).

    A search across every inspection keeps the hits of live inspections: `inspections_live`
    answers "SELECT id FROM inspections WHERE deleted = 0" from the index alone instead of
    reading the whole table.
    """
    db.conn.execute("CREATE INDEX IF NOT EXISTS inspections_live ON inspections(deleted, id)")


def m005_remediation_attachments(db: sqlite_utils.Database) -> None:
    """Files attached to a unit's remediation report (báo cáo kết quả khắc phục).

    A travelling table of its own (attachments.finding_id is NOT NULL): one row per
    (remediation, content), the file stored by hash like a finding's attachment. It gets the
    sync index and the version triggers m003_sync gives every travelling table.
    """
    table = "remediation_attachments"
    record = (
        "INSERT OR IGNORE INTO sync_versions (table_name, row_id, hlc, parent) "
        f"VALUES ('{table}', NEW.id, NEW.hlc, coalesce(NEW.base_hlc, ''));"
    )
    _execute_script(
        db,
        f"""
    CREATE TABLE {table} (
        id TEXT PRIMARY KEY,
        remediation_id TEXT NOT NULL {_fk("remediations")},
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        filename TEXT NOT NULL,
        media_type TEXT NOT NULL DEFAULT 'application/octet-stream',
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        {SYNC_COLUMNS}
    );
    CREATE INDEX {table}_remediation ON {table}(remediation_id);
    CREATE INDEX {table}_sha ON {table}(sha256);
    CREATE INDEX {table}_hlc_sync ON {table}(hlc);
    CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table}
        BEGIN {record} END;
    CREATE TRIGGER {table}_sync_update AFTER UPDATE OF hlc ON {table}
        WHEN NEW.hlc IS NOT OLD.hlc BEGIN {record} END;
    """,
    )


def m006_start_up_indexes(db: sqlite_utils.Database) -> None:
    """Indexes for what the window reads before it is first shown (issue 8: start-up).

    `findings_done` holds only the findings that count as recorded (a result or an
    observation): the navigator's progress of every visit is counted from it alone.
    `inspections_plan_live`: the plan list counts each plan's live inspections from the index;
    without it SQLite walked every live inspection of every year for each plan.
    """
    db.conn.execute(
        "CREATE INDEX IF NOT EXISTS findings_done ON findings(inspection_id) "
        "WHERE deleted = 0 AND (result IS NOT NULL OR note != '')"
    )
    db.conn.execute(
        "CREATE INDEX IF NOT EXISTS inspections_plan_live ON inspections(plan_id, deleted)"
    )


def m007_drop_duplicate_indexes(db: sqlite_utils.Database) -> None:
    """Two indexes every edit of a finding kept up to date for nothing.

    `findings_hlc_sync` (m003_sync) is `findings_hlc` (m001_initial) again, and
    `sync_versions_row (table_name, row_id)` is the leading part of sync_versions' own UNIQUE
    (table_name, row_id, hlc, parent) index, which answers the same lookups. Dropping them
    takes four of the 23 pages a finding save wrote to the WAL.
    """
    db.conn.execute("DROP INDEX IF EXISTS findings_hlc_sync")
    db.conn.execute("DROP INDEX IF EXISTS sync_versions_row")


def m008_search_stale(db: sqlite_utils.Database) -> None:
    """Findings whose observation changed since the full-text index last saw them.

    Saving an observation marks its finding here (one small row) instead of rewriting the
    FTS5 index at every keystroke-save (about a fifth of a save's time and most of its pages);
    the index catches up in one batch before the next search, and when the store closes.
    """
    db.conn.execute("CREATE TABLE search_stale (ref_id TEXT PRIMARY KEY) WITHOUT ROWID")


def m009_inspection_kinds(db: sqlite_utils.Database) -> None:
    """Kinds of inspection as data, re-inspection, the level word users write, teams.

    - "qua báo cáo" is a kind (with theo kế hoạch, đột xuất, tái kiểm tra), no longer a mode;
      the rows that stored it as a mode are rewritten (no new stamp: every laptop rewrites
      them the same way, and reads map a row still arriving from an older laptop).
    - `inspections.reinspects_id`: the earlier inspection a re-inspection re-checks.
    - `units.level_name`, `inspections.level_name`: the level as the plan wrote it ("Phường",
      "Bộ phận Một cửa", "Quận"); `level` stays the checklist level (so, dvsn, huyen, xa).
    - `inspections.team`, `members.team`: the Tổ kiểm tra; `members.units`: the units a member
      is assigned to (their names, one a line).
    """
    db.conn.execute(
        "UPDATE inspections SET kind = 'qua-bao-cao', mode = 'truc-tiep' WHERE mode = 'qua-bao-cao'"
    )
    for statement in (
        f"ALTER TABLE inspections ADD COLUMN reinspects_id TEXT {_fk('inspections')}",
        "ALTER TABLE inspections ADD COLUMN level_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE inspections ADD COLUMN team TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE units ADD COLUMN level_name TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE members ADD COLUMN team TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE members ADD COLUMN units TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX inspections_reinspects ON inspections(reinspects_id)",
    ):
        db.conn.execute(statement)


def m010_sync_authorship(db: sqlite_utils.Database) -> None:
    """Sync trust (issue 15): proof of authorship for every version, and trust that can be
    traced to who introduced it.

    `sync_attestations`: one row per signed list of version digests (an author device signs
    the digests of its own versions once per export; relays carry the list on). `devices`
    gains `introduced_by` (the device whose package brought this key, NULL when the user
    trusted it directly) and `trusted_directly` (1 when the user trusted it by hand: revoking
    the introducer leaves it trusted).
    """
    _execute_script(
        db,
        """
    CREATE TABLE sync_attestations (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        digests BLOB NOT NULL
    );
    CREATE INDEX sync_attestations_device ON sync_attestations(device_id);
    ALTER TABLE devices ADD COLUMN introduced_by TEXT;
    ALTER TABLE devices ADD COLUMN trusted_directly INTEGER NOT NULL DEFAULT 0;
    UPDATE devices SET trusted_directly = 1 WHERE trusted = 1 AND is_self = 0;
    """,
    )


def m011_signed_audit_heads(db: sqlite_utils.Database) -> None:
    """An audit chain that needs the key to forge (issue 15, finding 8).

    `sync_exports.audit_head`: the chain's head signed at that export (JSON: device_id, seq,
    hash, at, signature), an append-only record the stored signed head is checked against: it
    may not be older, and every head recorded must still be in the chain. `audit_heads_seen`:
    per other device, the newest signed head a package of its carried (what `audit verify`
    lists as `heads_seen`).
    """
    _execute_script(
        db,
        """
    ALTER TABLE sync_exports ADD COLUMN audit_head TEXT;
    CREATE TABLE audit_heads_seen (
        device_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        signature TEXT NOT NULL,
        package_id TEXT NOT NULL,
        seen_at TEXT NOT NULL
    );
    """,
    )


# The steps in the order they are applied; each is numbered by its place here.
STEPS: list[Step] = [
    m001_initial,
    m002_recording,
    m003_sync,
    m004_indexes,
    m005_remediation_attachments,
    m006_start_up_indexes,
    m007_drop_duplicate_indexes,
    m008_search_stale,
    m009_inspection_kinds,
    m010_sync_authorship,
    m011_signed_audit_heads,
]
