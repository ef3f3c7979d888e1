"""The bulk path of an import (rows this laptop does not have yet) leaves the database exactly
as merging the same versions one by one does: rows and their rowids, sync_versions in the same
order, conflicts, the search index (refs, rowids, texts)."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db import Store
from desktop.services.demo import build_demo
from desktop.services.errors import UserError
from desktop.sync.export import export_package
from desktop.sync.importer import SYNC_REQUIRED, _check_row, _rows_checker, import_package
from tests.sync.helpers import Laptop

# Set by the import itself (ids and clocks of this run), not by what was merged.
VOLATILE = {
    "sync_imports": ("id", "imported_at"),
    "audit_heads_seen": ("seen_at",),
    "sync_conflicts": ("detected_at",),
    "devices": ("created_at",),
    # The audit entries of a merge (issue 15, finding 6) carry the clock, so do their links
    # and the recorded head.
    "audit_log": ("at", "prev_hash", "hash"),
    "settings": ("value",),
}


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    return "WITHOUT ROWID" not in sql.upper()


def database_dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table row by row with its rowid; the full-text index by what it holds."""
    conn = sqlite3.connect(path)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        for table in tables:
            if table.startswith(("search_index", "sqlite_stat")):
                continue  # FTS5 storage: its segments depend on when it flushed
            rowid = "rowid, " if _has_rowid(conn, table) else ""
            cursor = conn.execute(f"SELECT {rowid}* FROM {table} ORDER BY 1")
            names = [d[0] for d in cursor.description]
            skip = {names.index(c) for c in VOLATILE.get(table, ()) if c in names}
            out[table] = [tuple(v for i, v in enumerate(row) if i not in skip) for row in cursor]
        out["search_index"] = conn.execute(
            "SELECT rowid, body, scope, kind, ref_id, inspection_id FROM search_index "
            "ORDER BY rowid"
        ).fetchall()
        out["search_hits"] = conn.execute(
            "SELECT ref_id FROM search_index WHERE search_index MATCH 'body:ket*' ORDER BY rowid"
        ).fetchall()
        return out
    finally:
        conn.close()


def one_by_one(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `store` merge every version through the general path."""
    monkeypatch.setattr(
        store.sync.merge,
        "merge_versions",
        lambda table, versions: [store.sync.merge.merge_version(table, v) for v in versions],
    )


def import_both_ways(
    template: Path, package: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Import `package` into two copies of the `template` database: bulk, and one by one."""
    results, dumps = [], []
    # Two copies of one database: each would take its own identity (and keys) to sign its
    # audit head; what is compared here is the merge.
    monkeypatch.setattr(Store, "head_signer_factory", None)
    for name in ("bulk", "general"):
        path = root / name / "kiemtra.sqlite"
        path.parent.mkdir(parents=True)
        shutil.copy(template, path)
        store = Store.open(path)
        try:
            if name == "general":
                one_by_one(store, monkeypatch)
            results.append(import_package(store, package, trust_new=True))
            again = import_package(store, package, trust_new=True)
            assert again["inserted"] == again["updated"] == again["conflicts"] == 0
        finally:
            store.close()
        dumps.append(database_dump(path))
    assert results[0] == results[1]
    assert dumps[0] == dumps[1]
    return results[0], dumps[0]


@pytest.fixture
def delegation(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The demo plan on two laptops that both edited one finding; a secretary holding both
    versions (a conflict) exports everything."""
    snv = Laptop(tmp_path, "so-noi-vu")
    build_demo(snv.store)
    plan = tmp_path / "plan.kiemtra"
    export_package(snv.store, plan, full=True)
    may1, may2, sec = (Laptop(tmp_path, n) for n in ("may-1", "may-2", "thu-ky"))
    for laptop in (may1, may2, sec):
        import_package(laptop.store, plan, trust_new=True)
        laptop.reopen()
    insp = may1.cli.json("inspections")[0]["id"]
    may1.cli("finding", "set", insp, "A1.1.1", "--result", "dat", "--note", "Kết luận máy 1")
    may1.cli("finding", "set", insp, "A1.1.2", "--note", "Kế hoạch đã ban hành")
    may2.cli("finding", "set", insp, "A1.1.1", "--result", "khong-dat", "--note", "Kết quả 2")
    may2.cli("finding", "set", insp, "A2.1.1", "--note", "")
    packages = {}
    for laptop in (may1, may2):
        laptop.reopen()
        packages[laptop.name] = tmp_path / f"{laptop.name}.kiemtra"
        export_package(laptop.store, packages[laptop.name])
        import_package(sec.store, packages[laptop.name], trust_new=True)
    sec.reopen()
    full = tmp_path / "thu-ky.kiemtra"
    export_package(sec.store, full, full=True)
    empty = tmp_path / "empty" / "kiemtra.sqlite"
    Store.open(empty).close()
    yield {
        "tmp": tmp_path,
        "full": full,
        "plan": plan,
        "empty": empty,
        "may1": may1,
        "insp": insp,
        **packages,
    }
    for laptop in (snv, may1, may2, sec):
        laptop.close()


def test_into_an_empty_laptop(delegation: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    result, dumped = import_both_ways(
        delegation["empty"], delegation["full"], delegation["tmp"] / "a", monkeypatch
    )
    assert result["inserted"] > 100 and result["conflicts"] == 1  # two versions of one row
    assert len([r for r in dumped["sync_conflicts"] if r[-1] is None]) == 1
    assert dumped["search_index"] and dumped["search_hits"]


def test_into_a_laptop_that_has_most_rows(
    delegation: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """New rows and known ones interleaved: runs of new rows between general merges."""
    may1 = delegation["may1"]
    may1.close()
    result, _ = import_both_ways(
        may1.db_path, delegation["full"], delegation["tmp"] / "b", monkeypatch
    )
    assert result["unchanged"] > 100 and result["conflicts"] == 1
    may1.reopen()


def test_a_stale_search_ref_takes_the_general_path(
    delegation: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incoming finding whose id the index still names (from an earlier life)."""
    empty = delegation["empty"]
    noted = (
        delegation["may1"]
        .store.db.execute("SELECT id FROM findings WHERE note != '' ORDER BY hlc LIMIT 1 OFFSET 3")
        .fetchone()[0]
    )
    store = Store.open(empty)
    try:
        with store.transaction():
            store.search.index_text("finding", noted, "cũ", None)
            store.search.index_text("finding", "not-a-row", "khác", None)
    finally:
        store.close()
    import_both_ways(empty, delegation["full"], delegation["tmp"] / "c", monkeypatch)


def test_versions_not_stored_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """merge_versions called directly: a version without a note (the column default), with a
    number where text is kept, a boolean tombstone; then versions whose edge is new here
    (base_hlc "" where the history says none), which the bulk path leaves to the general one."""
    source = Laptop(tmp_path, "nguon")
    build_demo(source.store)
    rows = [dict(r) for r in source.store.db.query("SELECT * FROM findings ORDER BY hlc")][:6]
    source.close()
    rows[0].pop("note")
    rows[1]["note"] = 12
    rows[2]["deleted"] = True
    for row in rows[3:]:
        row["base_hlc"] = ""  # the edge (id, hlc, "") is not in sync_versions
    dumps = []
    monkeypatch.setattr(Store, "head_signer_factory", None)  # as in import_both_ways
    for name in ("bulk", "general"):
        path = tmp_path / name / "kiemtra.sqlite"
        path.parent.mkdir(parents=True)
        shutil.copy(source.db_path, path)
        store = Store.open(path)
        general: list[str] = []
        try:
            if name == "general":
                one_by_one(store, monkeypatch)
            else:

                def spy(
                    table: str,
                    v: dict[str, Any],
                    seen: list[str] = general,
                    merge: Any = store.sync.merge.merge_version,
                ) -> str:
                    seen.append(v["id"])
                    return str(merge(table, v))

                # merge_versions calls its own repository's merge_version
                monkeypatch.setattr(store.sync.merge, "merge_version", spy)
            with store.transaction():
                for table in ("evidence_docs", "attachments", "findings"):
                    store.db.execute(f"DELETE FROM {table}")
                store.db.execute("DELETE FROM search_refs")
                store.db.execute("DELETE FROM search_index")
                outcomes = store.sync.merge.merge_versions("findings", [dict(r) for r in rows[:3]])
                outcomes += store.sync.merge.merge_versions("findings", [dict(r) for r in rows[3:]])
            assert outcomes == ["inserted"] * 6
        finally:
            store.close()
        if name == "bulk":
            assert general == [r["id"] for r in rows[3:]]
        dumps.append(database_dump(path))
    assert dumps[0] == dumps[1]
    assert any(r[4] == rows[1]["id"] and r[1] == "12" for r in dumps[0]["search_index"])


VALUES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "Ke\u0302\u0301t lua\u0323n",  # NFD: made NFC by both checks
            "3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0d",
            "1795327197751.00001.192cd910-b3e1-400f-a870-780d471138e4",
            "not a stamp",
            "a" * 64,
            0,
            1,
            2,
            1.5,
            True,
            False,
            [],
            {},
        ]
    ),
    st.text(max_size=5),
    st.integers(),
)


@pytest.mark.parametrize("table", ["findings", "attachments", "units"])
@given(data=st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_quick_row_check_never_passes_a_row_the_full_check_refuses(
    store: Store, table: str, data: st.DataObject
) -> None:
    columns = {c["name"]: c for c in store.sync.versions.sync_columns(table)}
    required = sorted(
        {c["name"] for c in columns.values() if c["notnull"] and c["default"] is None}
        | set(SYNC_REQUIRED)
    )
    goods: dict[str, dict[str, Any]] = {
        "findings": dict(
            id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0d",
            inspection_id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0e",
            item_id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0f",
            item_code="A1.1.1",
            note="Ke\u0302\u0301t lua\u0323n",
        ),
        "attachments": dict(
            id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0d",
            finding_id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0e",
            sha256="a" * 64,
            filename="a.pdf",
            size=3,
            added_at="2024-01-01",
        ),
        "units": dict(id="3f0c4a52-9b1e-4f7a-8d2c-5e6f7a8b9c0d", name="Xã", level="X"),
    }
    good = goods[table]
    row: Any = {
        **good,
        "hlc": "1795327197751.00001.192cd910-b3e1-400f-a870-780d471138e4",
        "origin": "o",
        "deleted": 0,
    }
    for _ in range(data.draw(st.integers(0, 3))):
        column = data.draw(st.sampled_from([*columns, "unknown"]))
        if data.draw(st.booleans()):
            row.pop(column, None)
        else:
            row[column] = data.draw(VALUES)
    if data.draw(st.integers(0, 20)) == 0:
        row = data.draw(VALUES)
    checked = _rows_checker(table, columns, required)(copy.deepcopy(row))
    passed = checked is not None
    event(f"quick check {'passed' if passed else 'declined'}")
    try:
        _check_row(row, {"name": table, "line": 1}, table, columns, required)
    except UserError:
        assert not passed
    else:
        if passed:
            assert checked == row
            assert list(checked) == list(row)  # the column order the inserts group by
            # Keyed by the schema's own names (one str per column, not one per row).
            assert all(any(k is name for name in columns) for k in checked)
