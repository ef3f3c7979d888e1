"""Random edit histories on three laptops and a secretary, packages imported in random orders,
their clocks skewed forward and back (within the one-day bound the import keeps), one of them
possibly stopped with its counter near the end of its width, laptops closed and reopened.

Relays and authorship (issue 15): the secretary relays everyone's versions; she may also
forward a package with one version forged as another laptop's (re-signed with her own key),
which every laptop must refuse, unchanged; and one laptop may revoke another. The revoker then
refuses every package carrying the revoked device's versions it does not hold (and never holds
one of them), so it is left out of the convergence checks: the laptops that trust the same
keys (everyone else) must still agree, and lose nothing."""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from db import Store
from db.hlc import MAX_COUNTER, STAMP, format_stamp
from db.migrations import SYNCED_TABLES
from db.store import stable_id
from desktop.services.paths import data_dir_for
from desktop.sync.export import export_package
from desktop.sync.identity import ensure_device_keys
from desktop.sync.importer import import_package
from desktop.sync.keys import load_keys
from tests.fuzz import hostile
from tests.sync.helpers import read_members, rebuild

DEVICES = 4  # three laptops and the secretary (index 3), who relays
KEYS = 2  # members that may be recorded: the same key gives the same row id everywhere

names = st.sampled_from(["An", "Bình", "Chi", "Dũng"])
device = st.integers(0, DEVICES - 1)
edit = st.tuples(st.just("edit"), device, st.integers(0, KEYS - 1), names)
# A finding edit: which item, which field, which value (findings share ids across laptops).
finding_edit = st.tuples(
    st.just("finding"),
    device,
    st.integers(0, KEYS - 1),
    st.sampled_from(["result", "note", "score"]),
    st.integers(0, 3),
)
RESULTS = ["dat", "khong-dat", "mot-phan", "khong-ap-dung"]
TRACKED = ("members", "findings")
# A checklist of two items: enough for findings to meet, small enough for fast packages.
TINY_CHECKLIST = {
    "version": "t1",
    "name": "Thử",
    "areas": [
        {
            "code": "A1",
            "name": "Chỉ đạo",
            "max_points": 2,
            "criteria": [
                {
                    "code": "A1.1",
                    "name": "Kế hoạch",
                    "items": [
                        {"code": f"A1.1.{n}", "text": f"Nội dung {n}", "type": "YES_NO",
                         "max_score": 1, "levels": ["S"]}
                        for n in range(1, KEYS + 1)
                    ],
                }
            ],
        }
    ],
}  # fmt: skip
operation = st.one_of(
    edit,
    edit,
    finding_edit,
    finding_edit,
    st.tuples(st.just("delete"), device, st.integers(0, KEYS - 1)),
    st.tuples(st.just("export"), device, st.booleans()),
    st.tuples(st.just("export"), device, st.booleans()),
    st.tuples(st.just("import"), device, st.integers(0, 50)),
    st.tuples(st.just("import"), device, st.integers(0, 50)),
    st.tuples(st.just("resolve"), device, st.sampled_from(["mine", "theirs"])),
    st.tuples(st.just("reopen"), device),
    # The secretary forwards package n with one version forged as laptop v's.
    st.tuples(st.just("forge"), st.just(DEVICES - 1), st.integers(0, 50), st.integers(0, 2)),
    # Laptop d revokes laptop v (the first such operation only).
    st.tuples(st.just("revoke"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(
        st.just("resolve_fields"),
        device,
        st.sampled_from(["mine", "theirs"]),
        st.sampled_from(["result", "note", "score", "full_name", "deleted"]),
    ),
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
        for c in store.sync.conflicts.settle_and_list()
    )
    return {"rows": rows, "conflicts": pairs}


def known_versions(store: Store) -> dict[str, dict[str, Any]]:
    """hlc → version, for the row and every open conflict."""
    out = {}
    for table in TRACKED:
        for row in store.db.query(f"SELECT * FROM {table}"):
            out[row["hlc"]] = dict(row)
    for conflict in store.sync.conflicts.settle_and_list():
        for side in ("local", "remote"):
            out[conflict[side]["hlc"]] = conflict[side]
    return out


def ancestors_of_heads(store: Store, table: str, row_id: str) -> set[str]:
    heads = [r["hlc"] for r in store.sync.conflicts.row_heads(table, row_id)]
    parents = store.sync.versions.parents(table, row_id)
    found: set[str] = set()
    for head in heads:
        found |= store.sync.versions.ancestors(parents, head)
    return found


def stamps_of(store: Store, device_id: str) -> set[tuple[str, str, str]]:
    """Every version of `device_id` this laptop knows: (table, row id, stamp)."""
    return {
        (r["table_name"], r["row_id"], r["hlc"])
        for r in store.db.query("SELECT table_name, row_id, hlc FROM sync_versions")
        if r["hlc"].endswith("." + device_id)
    }


def claimed_by(store: Store, device_id: str) -> set[tuple[str, str, str]]:
    """The versions this laptop holds as rows or conflict sides whose origin is `device_id`."""
    out = set()
    for table in SYNCED_TABLES:
        for row in store.db.query(f"SELECT id, hlc, origin FROM {table}"):
            if row["origin"] == device_id:
                out.add((table, row["id"], row["hlc"]))
    for conflict in store.sync.conflicts.settle_and_list():
        for side in ("local", "remote"):
            if conflict[side]["origin"] == device_id:
                out.add((conflict["table_name"], conflict[side]["id"], conflict[side]["hlc"]))
    return out


class Signer:
    """A laptop's key, as tests.sync.helpers.rebuild signs with it."""

    def __init__(self, store: Store, path: Path) -> None:
        self.store, self.data_dir = store, data_dir_for(path)


_SYNC_TEXT = ("id", "hlc", "origin", "base_hlc")


def forge(package: Path, target: Path, signer: Signer, victim: str, pick: int) -> Path | None:
    """`package` forwarded by `signer` (its source and signature now the signer's) with one
    row replaced by a new version claiming `victim`, edited; None when it carries no row."""
    members = read_members(package)
    parts = sorted(n for n in members if n.startswith("rows/") and members[n].strip())
    if not parts:
        return None
    keys = load_keys(signer.data_dir, signer.store.device_id)
    assert keys is not None
    name = parts[pick % len(parts)]

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = [json.loads(line) for line in members[name].splitlines()]
        row = rows[pick % len(rows)]
        wall, _counter, _device = row["hlc"].split(".", 2)
        forged = {**row, "hlc": f"{int(wall) + 1:013d}.99999.{victim}", "origin": victim}
        forged["base_hlc"] = row["hlc"]
        text = [k for k, v in row.items() if isinstance(v, str) and k not in _SYNC_TEXT]
        text = [k for k in text if not k.endswith("_id") and k != "sha256"]
        if text:
            forged[text[0]] = row[text[0]] + " (sửa giả)"
        else:
            forged["deleted"] = 1 - row["deleted"]
        rows[pick % len(rows)] = forged
        members[name] = b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)
        manifest["source"] = {
            "id": signer.store.device_id,
            "name": signer.store.device_name,
            "public_key": keys.public_key,
            "encryption_key": keys.encryption_key,
        }

    return rebuild(package, target, signer, mutate)  # type: ignore[arg-type]


HOUR_MS = 3_600_000
# Pairwise at most 22 hours apart: inside the one-day bound, so no package is refused.
skews = st.lists(st.integers(-11 * HOUR_MS, 11 * HOUR_MS), min_size=DEVICES, max_size=DEVICES)


class Clocks:
    """Each device's wall clock: skewed by a fixed amount, or (device 0, when `stopped`)
    standing still with its counter a few stamps from the end of its width."""

    def __init__(self, skew: list[int], stopped: bool) -> None:
        self.skew, self.stopped = skew, stopped
        self.start = int(time.time() * 1000)

    def wall(self, index: int) -> Callable[[], int]:
        if self.stopped and index == 0:
            return lambda: self.start + self.skew[0]
        return lambda: int(time.time() * 1000) + self.skew[index]

    def apply(self, store: Store, index: int) -> Store:
        store.clock.wall_ms = self.wall(index)
        if self.stopped and index == 0:
            frozen = self.start + self.skew[0]
            store.clock.observe(format_stamp(frozen, MAX_COUNTER - 3, store.device_id))
        return store


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=6, max_size=24), skews, st.booleans())
def test_devices_that_saw_the_same_packages_agree(
    ops: list[tuple[Any, ...]], skew: list[int], stopped: bool
) -> None:
    clocks = Clocks(skew, stopped)
    if stopped:
        event("a stopped clock at the end of its counter")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = [root / f"d{i}" / "kiemtra.sqlite" for i in range(DEVICES)]
        stores = [clocks.apply(Store.open(p), i) for i, p in enumerate(paths)]
        try:
            for s in stores:
                ensure_device_keys(s)
            plan = stores[0].planning.create_plan(
                {"number": "1/KH", "year": 2025, "issuer": "UBND tỉnh"}
            )
            version = stores[0].checklists.import_checklist(TINY_CHECKLIST)
            unit = stores[0].planning.ensure_unit("Sở Y tế", "so", None)
            inspection = stores[0].planning.create_inspection(
                {
                    "plan_id": plan,
                    "unit_id": unit,
                    "unit_name": "Sở Y tế",
                    "unit_level": "so",
                    "checklist_version_id": version,
                }
            )
            items = [stable_id(version, f"A1.1.{n}") for n in range(1, KEYS + 1)]
            seed = root / "seed.kiemtra"
            export_package(stores[0], seed, full=True)
            for s in stores[1:]:
                import_package(s, seed, trust_new=True)
            packages: list[Path] = []
            # every version any device ever wrote, by table
            written: list[tuple[str, dict[str, Any]]] = []
            # The revocation, if any: who revoked whom, and what of its versions it knew then.
            revoked: dict[str, Any] = {"by": None, "id": "", "known": set()}

            def take(index: int, path: Path) -> bool:
                """Import `path` on laptop `index`. Only the revoker may refuse it, and only
                for the revocation (one line, its database unchanged)."""
                s = stores[index]
                if index != revoked["by"]:
                    import_package(s, path, trust_new=True)
                    return True
                result = hostile.attempt(
                    lambda: import_package(s, path, trust_new=True), lambda: hostile.dump(s)
                )
                if hostile.refused(result):
                    assert "thu hồi" in str(result), str(result)
                    event("refused after a revocation")
                    return False
                return True

            for op in ops:
                kind, dev = op[0], stores[op[1]]
                if kind == "reopen":
                    # A fresh clock from the stamps stored (where a six-digit counter, sorting
                    # below five digits as text, made the next edits reuse old stamps).
                    dev.close()
                    stores[op[1]] = clocks.apply(Store.open(paths[op[1]]), op[1])
                elif kind == "edit":
                    row = dev.core.upsert_row(
                        "members",
                        stable_id("member", str(op[2])),
                        {"plan_id": plan, "full_name": op[3], "role": "thanh-vien"},
                    )
                    written.append(("members", dev.core.get_row("members", row["id"]) or {}))
                elif kind == "finding":
                    field, n = op[3], op[4]
                    value: Any = {"result": RESULTS[n], "note": f"Nhận xét {n}", "score": n / 4}
                    row = dev.findings.set_finding(inspection, items[op[2]], {field: value[field]})
                    written.append(("findings", dev.core.get_row("findings", row["id"]) or {}))
                elif kind == "delete":
                    rid = stable_id("member", str(op[2]))
                    current = dev.core.get_row("members", rid)
                    if current is not None and not current["deleted"]:
                        dev.core.delete_row("members", rid)
                        written.append(("members", dev.core.get_row("members", rid) or {}))
                elif kind == "export":
                    path = root / f"p{len(packages)}.kiemtra"
                    export_package(dev, path, full=op[2])
                    packages.append(path)
                elif kind == "import" and packages:
                    take(op[1], packages[op[2] % len(packages)])
                elif kind == "revoke" and revoked["by"] is None and op[1] != op[2]:
                    event("a laptop revoked another")
                    victim = stores[op[2]]
                    fingerprint = victim.sync.devices.self_device()["fingerprint"]
                    dev.sync.devices.set_device_trust(fingerprint, trusted=False, name=None)
                    revoked.update(by=op[1], id=victim.device_id)
                    revoked["known"] = stamps_of(dev, victim.device_id)
                elif kind == "forge" and packages:
                    signer = Signer(dev, paths[op[1]])
                    source = packages[op[2] % len(packages)]
                    victim_id = stores[op[3]].device_id
                    target = root / f"forged{len(packages)}-{op[2]}.kiemtra"
                    forged = forge(source, target, signer, victim_id, op[2])
                    if forged is not None:
                        event("the relay forwarded a forged version")
                        for s in stores:
                            result = hostile.attempt(
                                lambda s=s, f=forged: import_package(s, f, trust_new=True),
                                lambda s=s: hostile.dump(s),
                            )
                            assert hostile.refused(result), "a forged version was accepted"
                elif kind == "resolve":
                    open_ = dev.sync.conflicts.settle_and_list()
                    if open_:
                        event("resolved a conflict")
                        dev.sync.conflicts.resolve_sync_conflict(open_[0]["id"], op[2])
                        table = open_[0]["table_name"]
                        written.append((table, dev.core.get_row(table, open_[0]["row_id"]) or {}))
                elif kind == "resolve_fields":
                    open_ = dev.sync.conflicts.settle_and_list()
                    if open_:
                        conflict = open_[-1]
                        other = "theirs" if op[2] == "mine" else "mine"
                        sides = {"mine": conflict["local"], "theirs": conflict["remote"]}
                        fields = {op[3]: other} if op[3] in conflict["local"] else {}
                        event("resolved field by field")
                        row = dev.sync.conflicts.resolve_sync_conflict(
                            conflict["id"], op[2], fields
                        )
                        for column in conflict["local"]:
                            if column in ("id", "hlc", "origin", "base_hlc"):
                                continue
                            side = fields.get(column, op[2])
                            assert row[column] == sides[side][column], column
                        written.append((conflict["table_name"], row))

            # Nothing silently dropped, on the device that wrote each version and on the
            # secretary once everything reaches her: current, in a conflict, or built upon.
            for i in range(DEVICES):
                for path in packages:
                    take(i, path)
            final = []
            for i, s in enumerate(stores):
                path = root / f"final{i}.kiemtra"
                export_package(s, path, full=True)
                final.append(path)
            for i, path in itertools.product(range(DEVICES), final):
                take(i, path)
            # The laptops that trust the same keys: all but a revoker.
            same_trust = [s for i, s in enumerate(stores) if i != revoked["by"]]
            if revoked["by"] is not None:
                # The revoked device's versions it did not know when it revoked never arrive.
                revoker = stores[revoked["by"]]
                assert claimed_by(revoker, revoked["id"]) <= revoked["known"]

            # No stamp issued twice: two different versions never share one, and every stamp
            # keeps the fixed width.
            by_stamp: dict[str, dict[str, Any]] = {}
            for _table, version in written:
                assert STAMP.match(version["hlc"]), version["hlc"]
                assert by_stamp.setdefault(version["hlc"], version) == version
            reference = content(same_trust[0])
            event(f"conflicts at the end: {min(len(reference['conflicts']), 2)}")
            for s in same_trust[1:]:
                assert content(s) == reference
            for i, s in enumerate(stores):
                # A second round changes nothing (the revoker: its own package).
                before = content(s)
                again = final[i] if i == revoked["by"] else final[0]
                result = import_package(s, again, trust_new=True)
                assert result["inserted"] == result["updated"] == result["conflicts"] == 0
                assert content(s) == before
                versions = known_versions(s)
                for table, version in written:
                    if table not in TRACKED:
                        continue
                    if i == revoked["by"] and version["origin"] != s.device_id:
                        continue  # a revoker may lack what came only with refused packages
                    if version["hlc"] in versions:
                        assert versions[version["hlc"]] == version
                    else:
                        assert version["hlc"] in ancestors_of_heads(s, table, version["id"])
                # No duplicates: one row per member key, the plan once.
                ids = [r["id"] for r in s.db.query("SELECT id FROM members")]
                assert len(ids) == len(set(ids)) <= KEYS
                assert s.db.execute("SELECT count(*) FROM plans").fetchone()[0] == 1

            # The secretary settles what is left; her package settles it everywhere.
            secretary = stores[3]
            for attempt in range(20):
                remaining = secretary.sync.conflicts.settle_and_list()
                if not remaining:
                    break
                event("resolved at the end")
                first = remaining[0]
                differing = sorted(
                    k
                    for k in first["local"]
                    if k not in ("id", "hlc", "origin", "base_hlc")
                    and first["local"][k] != first["remote"][k]
                )
                # Every other one field by field: the first differing field from "mine".
                fields = {differing[0]: "mine"} if differing and attempt % 2 else {}
                if fields:
                    event("resolved field by field at the end")
                secretary.sync.conflicts.resolve_sync_conflict(first["id"], "theirs", fields)
            settled = root / "settled.kiemtra"
            export_package(secretary, settled)
            for i in range(DEVICES - 1):
                take(i, settled)
            for s in same_trust:
                assert content(s) == content(secretary)
                assert s.sync.conflicts.settle_and_list() == []
        finally:
            for s in stores:
                s.close()
