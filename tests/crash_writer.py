"""A helper process for the crash-safety and single-writer tests (not a test module).

python tests/crash_writer.py DB write TAG   record findings in a loop through the app's own
                                            code; print "ready", then one JSON line
                                            [inspection, item, note] after each commit
python tests/crash_writer.py DB hold APP    open DB for writing as APP, print the pid and
                                            "ready", keep it open until a line on stdin
python tests/crash_writer.py DB try         try to open DB for writing; print "ok" or
                                            "locked <message>"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db import DatabaseLockedError, Store  # noqa: E402
from desktop.domain import Result  # noqa: E402
from desktop.services import findings  # noqa: E402


def write(db: str, tag: str) -> None:
    store = Store.open(db, app="crash-writer")
    targets = [
        (inspection["id"], item["code"])
        for inspection in store.planning.inspections()[:3]
        for item in store.findings.inspection_items(inspection["id"])[:20]
    ]
    print("ready", flush=True)
    n = 0
    while True:
        inspection_id, code = targets[n % len(targets)]
        note = f"{tag}:{n}"
        findings.record(store, inspection_id, code, result=Result.DAT, note=note)
        # Printed only once record() has returned, i.e. once its transaction is committed.
        print(json.dumps([inspection_id, code, note]), flush=True)
        n += 1


def hold(db: str, app: str) -> None:
    store = Store.open(db, app=app)
    print(json.dumps({"pid": __import__("os").getpid()}), flush=True)
    print("ready", flush=True)
    sys.stdin.readline()
    store.close()
    print("closed", flush=True)


def attempt(db: str) -> None:
    try:
        store = Store.open(db, app="try")
    except DatabaseLockedError as exc:
        print(f"locked {exc}", flush=True)
        return
    store.close()
    print("ok", flush=True)


if __name__ == "__main__":
    # UTF-8 into the pipe on Windows too (its ANSI code page has no "ơ"), as the program does.
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    path, mode, *rest = sys.argv[1:]
    if mode == "write":
        write(path, rest[0])
    elif mode == "hold":
        hold(path, rest[0])
    else:
        attempt(path)
