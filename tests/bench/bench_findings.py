"""Saving one finding edit vs a bare UPDATE + commit of the same row."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from db import Store
from desktop.services.demo import build_demo
from desktop.sync.audit_head import install
from tests.bench.harness import Outcome, benchmark, best_of

install()  # as the command line and the window do: the audit head is signed at every save

EDITS = 200
# Each timing covers several passes over the visit's items (≥ 200 edits), median of REPEAT:
# a pass of the bare UPDATE takes ~20 ms, short enough for scheduling noise to swing the ratio.
PASSES = 3
REPEAT = 5


@benchmark
def finding_save() -> Outcome:
    """Target (issue 3): ≤ 3× a bare SQLite UPDATE + commit, audit log and FTS included."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite"
        store = Store.open(path)
        build_demo(store)
        inspection = store.planning.inspections()[0]["id"]
        items = store.findings.inspection_items(inspection)[:EDITS]
        counter = iter(range(10**9))

        def ours() -> None:
            for _ in range(PASSES):
                for item in items:
                    store.findings.set_finding(
                        inspection,
                        item["item_id"],
                        {"note": f"Ghi chú kiểm tra số {next(counter)} niêm yết"},
                    )

        measured = best_of(ours, repeat=REPEAT) / (len(items) * PASSES)
        store.close()

        bare = sqlite3.connect(path, isolation_level=None)
        bare.execute("PRAGMA journal_mode = WAL")
        bare.execute("PRAGMA synchronous = FULL")
        ids = [
            r[0]
            for r in bare.execute(
                "SELECT id FROM findings WHERE inspection_id = ? LIMIT ?", [inspection, EDITS]
            )
        ]

        def baseline() -> None:
            for _ in range(PASSES):
                for fid in ids:
                    bare.execute("BEGIN")
                    bare.execute(
                        "UPDATE findings SET note = ? WHERE id = ?",
                        [f"Ghi chú kiểm tra số {next(counter)} niêm yết", fid],
                    )
                    bare.execute("COMMIT")

        base = best_of(baseline, repeat=REPEAT) / (len(ids) * PASSES)
        bare.close()
    return Outcome(
        "finding save (per edit)",
        measured,
        base,
        3.0,
        f"{len(items)} items × {PASSES} passes, median of {REPEAT}; demo plan",
    )
