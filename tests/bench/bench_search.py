"""Search over 100,000 findings: desktop.services.search.search vs a bare FTS5 MATCH over the
same folded text (ranked, first 200 hits with their original text)."""

from __future__ import annotations

import sqlite3

from db import Store
from db.text import fold
from desktop.services import search
from tests.bench.data import scale_db, workdir
from tests.bench.harness import Outcome, benchmark, best_of

UNITS, YEARS = 200, 8  # ≈ 100,000 findings with the default checklist
QUERIES = ["bao cao cham", "niem yet", "ho so tre han", "ke hoach"]
LIMIT = 200


@benchmark
def search_findings() -> Outcome:
    """Target (issue 4): ≤ 2× a bare FTS5 MATCH on the same folded text."""
    path, counts = scale_db(UNITS, YEARS)
    store = Store.open(path)
    try:

        def ours() -> None:
            for q in QUERIES:
                assert search.search(store, q, limit=LIMIT)

        measured = best_of(ours, repeat=5)
        notes = store.db.execute(
            "SELECT note FROM findings WHERE deleted = 0 AND note IS NOT NULL AND note != ''"
        ).fetchall()
    finally:
        store.close()

    bare_path = workdir() / "bare-search.sqlite"
    bare_path.unlink(missing_ok=True)
    bare = sqlite3.connect(bare_path)
    bare.execute("CREATE VIRTUAL TABLE bare USING fts5(body, note UNINDEXED)")
    with bare:
        bare.executemany(
            "INSERT INTO bare (body, note) VALUES (?, ?)", ((fold(n), n) for (n,) in notes)
        )

    def baseline() -> None:
        for q in QUERIES:
            match = " ".join(f'"{t}"*' for t in search.query_terms(q))
            assert bare.execute(
                "SELECT rowid, note FROM bare WHERE bare MATCH ? ORDER BY rank LIMIT ?",
                [match, LIMIT],
            ).fetchall()

    base = best_of(baseline, repeat=5)
    bare.close()
    return Outcome(
        "search (4 queries, 200 hits each)",
        measured,
        base,
        2.0,
        f"{counts['findings']:,} findings ({UNITS} units × {YEARS} years)",
    )
