"""Sync by files with 100,000 findings: a full export vs reading the same rows into a zip
(no signing, no version history), and importing that package into an empty laptop vs
inserting the same rows with a bare executemany in one transaction."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
import zlib
from pathlib import Path
from typing import Any

from db import Store
from db.migrations import SYNCED_TABLES
from tests.bench.data import scale_db, workdir
from tests.bench.harness import Outcome, benchmark, best_of

UNITS, YEARS = 200, 8  # ≈ 100,000 findings with the default checklist
REPEAT = 3
_PACKAGE: dict[str, Any] = {}


def _export() -> tuple[Path, dict[str, int], float]:
    """Export once per run (timed by the export benchmark, reused by the import one)."""
    if not _PACKAGE:
        from desktop.sync.export import export_package

        path, counts = scale_db(UNITS, YEARS)
        out = workdir() / "tinh.kiemtra"
        store = Store.open(path)
        try:
            export_package(store, out, full=True)  # device keys made outside the timing

            measured = best_of(lambda: export_package(store, out, full=True), repeat=REPEAT)
        finally:
            store.close()
        _PACKAGE.update(path=out, counts=counts, measured=measured, db=path)
    return _PACKAGE["path"], _PACKAGE["counts"], _PACKAGE["measured"]


@benchmark
def sync_export() -> Outcome:
    """Target (issue 2): ≤ 3× reading the rows and writing them to a zip, unsigned."""
    out, counts, measured = _export()
    db = sqlite3.connect(_PACKAGE["db"])
    db.row_factory = sqlite3.Row

    def baseline() -> None:
        with zipfile.ZipFile(workdir() / "bare.zip", "w") as zf:
            for table in SYNCED_TABLES:
                lines = [
                    json.dumps(dict(r), ensure_ascii=False) + "\n"
                    for r in db.execute(f"SELECT * FROM {table}")
                ]
                zf.writestr(f"rows/{table}.jsonl", "".join(lines).encode("utf-8"))

    base = best_of(baseline, repeat=REPEAT)
    db.close()
    return Outcome(
        "sync export (full)",
        measured,
        base,
        3.0,
        f"{counts['findings']:,} findings, {counts['inspections']:,} inspections; "
        f"{out.stat().st_size / 2**20:.0f} MB package",
    )


@benchmark
def sync_import() -> Outcome:
    """Target (issue 2): ≤ 3× a bare executemany of the same rows in one transaction."""
    from desktop.sync.importer import import_package

    package, counts, _ = _export()
    template = workdir() / "empty" / "kiemtra.sqlite"
    if not template.exists():
        Store.open(template).close()
    target = workdir() / "laptop" / "kiemtra.sqlite"
    state: dict[str, Any] = {}

    def fresh() -> None:
        if "store" in state:
            state.pop("store").close()
        shutil.rmtree(target.parent, ignore_errors=True)
        target.parent.mkdir(parents=True)
        shutil.copy(template, target)

    def fresh_store() -> None:
        fresh()
        state["store"] = Store.open(target)

    measured = best_of(
        lambda: import_package(state["store"], package, trust_new=True),
        repeat=REPEAT,
        setup=fresh_store,
    )
    state.pop("store").close()

    rows: dict[str, list[dict[str, Any]]] = {}
    with zipfile.ZipFile(package) as zf:
        for table in SYNCED_TABLES:
            name = f"rows/{table}.jsonl"
            if name in zf.namelist():
                rows[table] = [json.loads(line) for line in zf.read(name).splitlines()]

    def baseline() -> None:
        db = sqlite3.connect(target, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN")
        for table, table_rows in rows.items():
            columns = list(table_rows[0])
            db.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [[r[c] for c in columns] for r in table_rows],
            )
        db.execute("COMMIT")
        db.close()

    base = best_of(baseline, repeat=REPEAT, setup=fresh)
    total = sum(len(r) for r in rows.values())
    return Outcome(
        "sync import (into an empty laptop)",
        measured,
        base,
        3.0,
        f"{len(rows.get('findings', [])):,} findings, {total:,} rows in all",
    )


@benchmark
def sync_package_size() -> Outcome:
    """Target (issue 15, finding 9): the bytes a package spends on its rows (row parts, history
    and authorship proofs as stored in the zip) ≤ 1.2× zlib level 9 of the same bytes."""
    package, counts, _ = _export()
    with zipfile.ZipFile(package) as zf:
        parts = [i for i in zf.infolist() if not i.filename.startswith("attachments/")]
        parts = [i for i in parts if i.filename.endswith(".jsonl")]
        packed = sum(i.compress_size for i in parts)
        best = sum(len(zlib.compress(zf.read(i), 9)) for i in parts)
        plain = sum(i.file_size for i in parts)
    return Outcome(
        "sync package size (rows)",
        packed / 2**20,
        best / 2**20,
        1.2,
        f"{counts['findings']:,} findings; {plain / 2**20:.0f} MB of JSON lines, "
        f"{package.stat().st_size / 2**20:.1f} MB package in all",
        extra={"unit": "MB", "baseline": "zlib -9"},
    )
