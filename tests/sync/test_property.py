"""Random edit histories on three laptops and a secretary, packages imported in random orders."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db import Store
from db.migrations import SYNCED_TABLES
from db.store import stable_id
from desktop.sync.export import export_package
from desktop.sync.importer import import_package
from desktop.sync.keys import ensure_device_keys

DEVICES = 4  # three laptops and the secretary (index 3), who relays
KEYS = 2  # members that may be recorded: the same key gives the same row id everywhere

names = st.sampled_from(["An", "Bình", "Chi", "Dũng"])
device = st.integers(0, DEVICES - 1)
edit = st.tuples(st.just("edit"), device, st.integers(0, KEYS - 1), names)
operation = st.one_of(
    edit,
    edit,
    edit,
    st.tuples(st.just("delete"), device, st.integers(0, KEYS - 1)),
    st.tuples(st.just("export"), device, st.booleans()),
    st.tuples(st.just("export"), device, st.booleans()),
    st.tuples(st.just("import"), device, st.integers(0, 50)),
    st.tuples(st.just("import"), device, st.integers(0, 50)),
    st.tuples(st.just("resolve"), device, st.sampled_from(["mine", "theirs"])),
)


def content(store: Store) -> dict[str, Any]:
    """Rows and open conflicts (as unordered pairs of versions): what must agree."""
    rows = {
        table: [dict(r) for r in store.db.query(f"SELECT * FROM {table} ORDER BY id")]
        for table in SYNCED_TABLES
    }
    pairs = sorted(
        (
            c["table_name"],
            c["row_id"],
            *sorted(
                (json.dumps(c["local"], sort_keys=True), json.dumps(c["remote"], sort_keys=True))
            ),
        )
        for c in store.sync_conflicts()
    )
    return {"rows": rows, "conflicts": pairs}


def known_versions(store: Store) -> dict[str, dict[str, Any]]:
    """hlc → version, for the row and every open conflict."""
    out = {}
    for row in store.db.query("SELECT * FROM members"):
        out[row["hlc"]] = dict(row)
    for conflict in store.sync_conflicts():
        for side in ("local", "remote"):
            out[conflict[side]["hlc"]] = conflict[side]
    return out


def ancestors_of_heads(store: Store, row_id: str) -> set[str]:
    heads = [r["hlc"] for r in store.row_heads("members", row_id)]
    parents = store._parents("members", row_id)
    found: set[str] = set()
    for head in heads:
        found |= store._ancestors(parents, head)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=6, max_size=24))
def test_devices_that_saw_the_same_packages_agree(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        stores = [Store.open(root / f"d{i}" / "kiemtra.sqlite") for i in range(DEVICES)]
        try:
            for s in stores:
                ensure_device_keys(s)
            plan = stores[0].create_plan({"number": "1/KH", "year": 2025, "issuer": "UBND tỉnh"})
            seed = root / "seed.kiemtra"
            export_package(stores[0], seed, full=True)
            for s in stores[1:]:
                import_package(s, seed, trust_new=True)
            packages: list[Path] = []
            written: list[dict[str, Any]] = []  # every version any device ever wrote

            for op in ops:
                kind, dev = op[0], stores[op[1]]
                if kind == "edit":
                    row = dev.upsert_row(
                        "members",
                        stable_id("member", str(op[2])),
                        {"plan_id": plan, "full_name": op[3], "role": "thanh-vien"},
                    )
                    written.append(dev.get_row("members", row["id"]) or {})
                elif kind == "delete":
                    rid = stable_id("member", str(op[2]))
                    current = dev.get_row("members", rid)
                    if current is not None and not current["deleted"]:
                        dev.delete_row("members", rid)
                        written.append(dev.get_row("members", rid) or {})
                elif kind == "export":
                    path = root / f"p{len(packages)}.kiemtra"
                    export_package(dev, path, full=op[2])
                    packages.append(path)
                elif kind == "import" and packages:
                    import_package(dev, packages[op[2] % len(packages)], trust_new=True)
                elif kind == "resolve":
                    open_ = dev.sync_conflicts()
                    if open_:
                        event("resolved a conflict")
                        dev.resolve_sync_conflict(open_[0]["id"], op[2])
                        written.append(dev.get_row(open_[0]["table_name"], open_[0]["row_id"]))

            # Nothing silently dropped, on the device that wrote each version and on the
            # secretary once everything reaches her: current, in a conflict, or built upon.
            for s in stores:
                for path in packages:
                    import_package(s, path, trust_new=True)
            final = []
            for i, s in enumerate(stores):
                path = root / f"final{i}.kiemtra"
                export_package(s, path, full=True)
                final.append(path)
            for s, path in itertools.product(stores, final):
                import_package(s, path, trust_new=True)

            reference = content(stores[0])
            event(f"conflicts at the end: {min(len(reference['conflicts']), 2)}")
            for s in stores[1:]:
                assert content(s) == reference
            for s in stores:
                # A second round changes nothing.
                before = content(s)
                result = import_package(s, final[0], trust_new=True)
                assert result["inserted"] == result["updated"] == result["conflicts"] == 0
                assert content(s) == before
                versions = known_versions(s)
                for version in written:
                    if version["hlc"] in versions:
                        assert versions[version["hlc"]] == version
                    else:
                        assert version["hlc"] in ancestors_of_heads(s, version["id"])
                # No duplicates: one row per member key, the plan once.
                ids = [r["id"] for r in s.db.query("SELECT id FROM members")]
                assert len(ids) == len(set(ids)) <= KEYS
                assert s.db.execute("SELECT count(*) FROM plans").fetchone()[0] == 1

            # The secretary settles what is left; her package settles it everywhere.
            secretary = stores[3]
            for _ in range(20):
                remaining = secretary.sync_conflicts()
                if not remaining:
                    break
                event("resolved at the end")
                secretary.resolve_sync_conflict(remaining[0]["id"], "theirs")
            settled = root / "settled.kiemtra"
            export_package(secretary, settled)
            for s in stores[:3]:
                import_package(s, settled, trust_new=True)
            for s in stores:
                assert content(s) == content(secretary)
                assert s.sync_conflicts() == []
        finally:
            for s in stores:
                s.close()
