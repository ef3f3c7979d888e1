"""Forged authorship, relays and skewed clocks, randomised (issue 15).

The attacker is a trusted key holder: laptop A, which holds only its own key, takes a genuine
relay (its full package, carrying B's versions with B's proofs) and changes it — versions
claiming B edited, re-stamped or invented, A's rows passed off as B's, proof lines dropped,
duplicated, moved to another device, their digests swapped or extended, B's proof replayed
over A's rows — then re-signs the manifest (and its own proofs) with its own key.

The oracle (`only_genuine_b`) does not trust the importer's verdict: after the attempt, every
row and every conflict side in the receiver's database that names B (its `origin` or its
stamp's device) must be, column for column, a version B really wrote; and a refused package
leaves the database dump unchanged (`hostile.attempt`).

The same world also checks revocation (B's new versions relayed by C refused once B is
revoked, B's old ones still passing) and stamps pushed ahead of the receiver's clock.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from db import Store
from db.hlc import DAY_MS, MAX_COUNTER, STAMP
from db.migrations import SYNCED_TABLES
from db.store import stable_id
from desktop.sync import authorship
from desktop.sync import package as pkg
from desktop.sync.export import export_package
from desktop.sync.identity import ensure_device_keys
from desktop.sync.importer import import_package
from desktop.sync.keys import load_keys
from tests.conftest import Kiemtra
from tests.fuzz.hostile import attempt, dump, refused
from tests.sync.helpers import Laptop, read_members, rebuild, reprove
from tests.sync.test_property import TINY_CHECKLIST

pytestmark = pytest.mark.fuzz

SYNC = ("id", "hlc", "origin", "base_hlc", "deleted")


def _claims(row: dict[str, Any], device: str) -> bool:
    return bool(row.get("origin") == device or str(row.get("hlc", "")).endswith("." + device))


def _b_versions(path: Path, b_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(table, id, hlc) -> the row, of every version of B a package carries."""
    out = {}
    for name, data in read_members(path).items():
        if name.startswith("rows/") and name.endswith(".jsonl"):
            table = name[len("rows/") : -len(".jsonl")]
            for line in data.splitlines():
                row = json.loads(line)
                if row["origin"] == b_id:
                    out[(table, row["id"], row["hlc"])] = row
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """B writes a small plan (b1), edits it (b2) and, later, again (b3). A and C hold all of
    it; A and C wrote versions of their own. The receiver R has b1 only and trusts A and C."""
    root = tmp_path_factory.mktemp("authorship")
    b, a, c, r = (Laptop(root, name) for name in ("may-b", "may-a", "may-c", "thu-ky"))
    for laptop in (b, a, c, r):
        ensure_device_keys(laptop.store)
    store = b.store
    plan = store.planning.create_plan({"number": "1/KH", "year": 2025, "issuer": "UBND tỉnh"})
    version = store.checklists.import_checklist(TINY_CHECKLIST)
    unit = store.planning.ensure_unit("Sở Y tế", "so", None)
    inspection = store.planning.create_inspection(
        {
            "plan_id": plan,
            "unit_id": unit,
            "unit_name": "Sở Y tế",
            "unit_level": "so",
            "checklist_version_id": version,
        }
    )
    items = [stable_id(version, f"A1.1.{n}") for n in (1, 2)]

    def member(laptop: Laptop, key: str, name: str) -> None:
        values = {"plan_id": plan, "full_name": name, "role": "thanh-vien"}
        laptop.store.core.upsert_row("members", stable_id("member", key), values)

    member(b, "0", "An")
    member(b, "1", "Bình")
    store.findings.set_finding(inspection, items[0], {"result": "dat", "note": "B ghi lần đầu"})
    store.findings.set_finding(inspection, items[1], {"result": "dat"})
    packages = {name: root / f"{name}.kiemtra" for name in ("b1", "b2", "b3", "relay_a")}
    export_package(store, packages["b1"], full=True)
    for laptop in (a, c, r):
        import_package(laptop.store, packages["b1"], trust_new=True)
    # B again: a history on B's rows, versions R does not hold.
    member(b, "0", "An (sửa)")
    member(b, "2", "Chi")
    store.findings.set_finding(inspection, items[0], {"note": "B ghi lần hai", "score": 0.5})
    export_package(store, packages["b2"])
    for laptop in (a, c):
        import_package(laptop.store, packages["b2"])
    # A's own work, on its own rows and on B's.
    member(a, "1", "Bình (A sửa)")
    member(a, "a0", "Dũng")
    a.store.findings.set_finding(inspection, items[1], {"result": "khong-dat"})
    export_package(a.store, packages["relay_a"], full=True)
    # Later B writes once more (after R revokes it, in the revocation test); C relays it.
    member(b, "0", "An (sau khi thu hồi)")
    member(b, "3", "Giang")
    export_package(store, packages["b3"])
    import_package(c.store, packages["b3"])
    member(c, "c0", "Hà")
    relay_c = root / "relay_c.kiemtra"
    export_package(c.store, relay_c, full=True)
    b_id, a_id, c_id = b.store.device_id, a.store.device_id, c.store.device_id
    genuine: dict[tuple[str, str, str], dict[str, Any]] = {}
    for name in ("b1", "b2", "b3"):
        genuine.update(_b_versions(packages[name], b_id))
    b.close()
    r.close()
    for other in (a, c):
        Kiemtra(r.db_path)("device", "trust", other.info()["fingerprint"], "--name", other.name)
    # The revoked template: R, then B revoked.
    revoked = root / "revoked"
    shutil.copytree(r.db_path.parent, revoked, ignore=shutil.ignore_patterns("backups"))
    Kiemtra(revoked / "kiemtra.sqlite")("device", "revoke", b.info()["fingerprint"])
    held = set(_b_versions(packages["b1"], b_id))  # what R holds of B's
    yield {
        "root": root,
        "a": a,
        "c": c,
        "template": r.db_path.parent,
        "revoked": revoked,
        "relay_a": packages["relay_a"],
        "relay_c": relay_c,
        "genuine": genuine,
        "held": held,
        "ids": {"a": a_id, "b": b_id, "c": c_id},
        "n": 0,
        "case": None,
    }
    a.close()
    c.close()


def fresh(world: dict[str, Any], stem: str) -> Path:
    world["n"] += 1
    return world["root"] / f"{stem}-{world['n']}.kiemtra"


def receiver(world: dict[str, Any], template: str = "template") -> Path:
    """A fresh copy of a receiver template; returns its database path."""
    if world["case"] is not None:
        shutil.rmtree(world["case"], ignore_errors=True)
    world["n"] += 1
    case = world["root"] / f"case-{world['n']}"
    shutil.copytree(world[template], case, ignore=shutil.ignore_patterns("backups"))
    world["case"] = case
    return case / "kiemtra.sqlite"


def only_genuine_b(world: dict[str, Any], store: Store) -> None:
    """Every row and conflict side naming B is a version B wrote, column for column."""
    b_id, genuine = world["ids"]["b"], world["genuine"]
    for table in SYNCED_TABLES:
        for row in store.db.query(f"SELECT * FROM {table}"):
            if _claims(dict(row), b_id):
                key = (table, row["id"], row["hlc"])
                assert key in genuine, f"{table}: a version B never wrote: {dict(row)}"
                assert dict(row) == genuine[key], f"{table}: B's version changed: {dict(row)}"
    for conflict in store.db.query("SELECT table_name, local, remote FROM sync_conflicts"):
        for side in ("local", "remote"):
            version = json.loads(conflict[side])
            if _claims(version, b_id):
                key = (conflict["table_name"], version["id"], version["hlc"])
                assert genuine.get(key) == version, f"a conflict holds a forged B: {version}"


def run(
    world: dict[str, Any],
    path: Path,
    template: str = "template",
    prelude: Path | None = None,
    **clock: Any,
) -> Any:
    """Import `path` into a fresh receiver (after `prelude`, when given); check the oracle
    whatever the verdict."""
    db_path = receiver(world, template)
    store = Store.open(db_path)
    if "wall" in clock:
        store.clock.wall_ms = clock["wall"]
    try:
        if prelude is not None:
            attempt(lambda: import_package(store, prelude), lambda: dump(store))
            only_genuine_b(world, store)
        result = attempt(lambda: import_package(store, path), lambda: dump(store))
        only_genuine_b(world, store)
        if not refused(result) and "after" in clock:
            clock["after"](store)
    finally:
        store.close()
    return result


# -- forged authorship ------------------------------------------------------------------------

ROW_MUTATIONS = [
    "edit",  # a field of a version claiming B, its stamp kept
    "restamp",  # a version claiming B, stamped again later (and maybe edited)
    "counter",  # only the counter of B's stamp moved
    "new_version",  # a new version claiming B of any row, built on the row's version
    "new_row",  # a row B never had
    "a_row_as_b",  # one of A's versions: origin and stamp made B's
    "origin_only",  # origin B, A's stamp
    "stamp_only",  # B's stamp, origin A
    "swap_stamps",  # two versions claiming B exchange stamps
]
PROOF_MUTATIONS = [
    "drop",
    "duplicate",
    "reorder",
    "move",  # a proof line said to be another device's
    "swap_digests",
    "cut_digests",
    "add_digests",  # the digests of the changed lines added to B's list
    "replay_b_over_a",  # B's signature with A's digests
    "a_signs_as_b",  # A signs the forged digests and says the line is B's
    "a_claims_b_digests",  # A's own proof over the forged versions
]
MANIFEST_MUTATIONS = ["rekey_b", "source_as_b", "none"]


def _tables(members: dict[str, bytes]) -> list[str]:
    return sorted(
        n[len("rows/") : -len(".jsonl")]
        for n in members
        if n.startswith("rows/") and n.endswith(".jsonl")
    )


def _load(members: dict[str, bytes], table: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in members[f"rows/{table}.jsonl"].splitlines()]


def _save(members: dict[str, bytes], table: str, rows: list[dict[str, Any]]) -> None:
    members[f"rows/{table}.jsonl"] = pkg.jsonl(rows)


def _later(stamp: str, device: str, draw: Any) -> str:
    wall, counter, _ = stamp.split(".", 2)
    ahead = draw(st.integers(0, 3_600_000), label="ms later")
    new_counter = draw(st.integers(0, MAX_COUNTER), label="counter")
    if ahead == 0:
        new_counter = min(MAX_COUNTER, int(counter) + 1)
    return f"{int(wall) + ahead:013d}.{new_counter:05d}.{device}"


def _edited(row: dict[str, Any], draw: Any) -> dict[str, Any]:
    """The row with one content column changed (a string, a number, or deleted flipped)."""
    columns = sorted(k for k, v in row.items() if k not in SYNC and isinstance(v, str | int))
    columns = [k for k in columns if not k.endswith("_id")] or ["deleted"]
    column = draw(st.sampled_from([*columns, "deleted"]), label="column")
    value = row.get(column)
    if column == "deleted":
        changed: Any = 1 - int(row["deleted"])
    elif isinstance(value, str):
        changed = value + draw(st.text(min_size=1, max_size=6), label="text")
    else:
        changed = int(value) + draw(st.integers(1, 3), label="plus")
    return {**row, column: changed}


def mutate_rows(
    members: dict[str, bytes], kind: str, ids: dict[str, str], draw: Any
) -> list[tuple[str, bytes]]:
    """Apply one row mutation; returns (table, line) of the versions it wrote."""
    b_id, a_id = ids["b"], ids["a"]
    tables = _tables(members)
    table = draw(st.sampled_from(tables), label="table")
    rows = _load(members, table)
    mine = [i for i, r in enumerate(rows) if r["origin"] == a_id]
    bs = [i for i, r in enumerate(rows) if r["origin"] == b_id]
    if kind in ("edit", "restamp", "counter", "swap_stamps") and not bs:
        kind = "new_version"
    if kind in ("a_row_as_b", "origin_only", "stamp_only") and not mine:
        kind = "new_version"
    written: list[dict[str, Any]] = []
    if kind == "edit":
        i = draw(st.sampled_from(bs), label="row")
        rows[i] = _edited(rows[i], draw)
        written.append(rows[i])
    elif kind in ("restamp", "counter"):
        i = draw(st.sampled_from(bs), label="row")
        row = rows[i]
        if kind == "counter":
            wall, counter, _ = row["hlc"].split(".", 2)
            stamp = f"{wall}.{(int(counter) + 1) % (MAX_COUNTER + 1):05d}.{b_id}"
        else:
            stamp = _later(row["hlc"], b_id, draw)
            row = {**row, "base_hlc": row["hlc"]}
            if draw(st.booleans(), label="edit too"):
                row = _edited(row, draw)
        rows[i] = {**row, "hlc": stamp}
        written.append(rows[i])
    elif kind == "new_version":
        i = draw(st.integers(0, len(rows) - 1), label="row")
        row = _edited(rows[i], draw)
        row.update(hlc=_later(rows[i]["hlc"], b_id, draw), base_hlc=rows[i]["hlc"], origin=b_id)
        if draw(st.booleans(), label="replace"):
            rows[i] = row
        else:
            rows.append(row)
        written.append(row)
    elif kind == "new_row":
        template = rows[draw(st.integers(0, len(rows) - 1), label="row")]
        row = {**template, "id": str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1))))}
        row.update(origin=b_id, base_hlc=None, hlc=_later(template["hlc"], b_id, draw))
        rows.append(row)
        written.append(row)
    elif kind in ("a_row_as_b", "origin_only", "stamp_only"):
        i = draw(st.sampled_from(mine), label="row")
        row = dict(rows[i])
        wall, counter, _ = row["hlc"].split(".", 2)
        if kind != "origin_only":
            row["hlc"] = f"{wall}.{counter}.{b_id}"
        if kind != "stamp_only":
            row["origin"] = b_id
        rows[i] = row
        written.append(row)
    elif kind == "swap_stamps":
        i, j = draw(st.sampled_from(bs), label="row"), draw(st.sampled_from(bs), label="other")
        rows[i], rows[j] = {**rows[i], "hlc": rows[j]["hlc"]}, {**rows[j], "hlc": rows[i]["hlc"]}
        written.extend([rows[i], rows[j]])
    _save(members, table, rows)
    return [(table, pkg.canonical_json(row)) for row in written]


def mutate_proofs(
    members: dict[str, bytes],
    kind: str,
    ids: dict[str, str],
    forged: list[tuple[str, bytes]],
    signing: Any,
    draw: Any,
) -> None:
    lines = [json.loads(line) for line in members.get(pkg.PROOFS, b"").splitlines()]
    b_lines = [i for i, line in enumerate(lines) if line["device"] == ids["b"]]
    digests = [authorship.digest(table, line) for table, line in forged]
    if not digests:  # something to claim: the digests of A's own rows
        for table in _tables(members):
            for row in _load(members, table):
                if row["origin"] == ids["a"]:
                    digests.append(authorship.digest(table, pkg.canonical_json(row)))
    if kind == "drop" and lines:
        del lines[draw(st.integers(0, len(lines) - 1), label="line")]
    elif kind == "duplicate" and lines:
        lines.append(lines[draw(st.integers(0, len(lines) - 1), label="line")])
    elif kind == "reorder":
        lines = draw(st.permutations(lines), label="order")
    elif kind == "move" and lines:
        i = draw(st.integers(0, len(lines) - 1), label="line")
        device = draw(st.sampled_from([*ids.values(), "khong-co"]), label="device")
        lines[i] = {**lines[i], "device": device}
    elif kind == "swap_digests" and len(lines) > 1:
        i, j = draw(st.permutations(range(len(lines))), label="pair")[:2]
        lines[i], lines[j] = (
            {**lines[i], "digests": lines[j]["digests"]},
            {**lines[j], "digests": lines[i]["digests"]},
        )
    elif kind == "cut_digests" and lines:
        i = draw(st.integers(0, len(lines) - 1), label="line")
        blob = base64.b64decode(lines[i]["digests"])
        parts = authorship.split(blob)
        keep = draw(st.integers(0, max(0, len(parts) - 1)), label="keep")
        lines[i] = {**lines[i], "digests": base64.b64encode(b"".join(parts[:keep])).decode()}
    elif kind == "add_digests" and b_lines:
        i = draw(st.sampled_from(b_lines), label="line")
        blob = base64.b64decode(lines[i]["digests"]) + b"".join(digests)
        lines[i] = {**lines[i], "digests": base64.b64encode(blob).decode()}
    elif kind == "replay_b_over_a" and b_lines:
        i = draw(st.sampled_from(b_lines), label="line")
        blob = b"".join(sorted(set(digests)))
        lines.append({**lines[i], "digests": base64.b64encode(blob).decode()})
    elif kind == "a_signs_as_b":
        lines.append(authorship.to_line(authorship.sign(signing, ids["b"], digests)))
    elif kind == "a_claims_b_digests":
        lines.append(authorship.to_line(authorship.sign(signing, ids["a"], digests)))
    members[pkg.PROOFS] = pkg.jsonl(lines)


@given(data=st.data())
def test_forged_authorship_never_reaches_the_database(world: dict[str, Any], data: Any) -> None:
    """A (trusted, its own key only) changes a genuine relay so that it claims B's
    authorship; whatever it does, nothing B did not write is stored as B's."""
    draw = data.draw
    rows_kinds = draw(st.lists(st.sampled_from(ROW_MUTATIONS), min_size=0, max_size=3))
    proof_kinds = draw(st.lists(st.sampled_from(PROOF_MUTATIONS), min_size=0, max_size=2))
    manifest_kind = draw(st.sampled_from(MANIFEST_MUTATIONS))
    # First a package whose history (versions.jsonl, which carries no proof) names the
    # forged versions' stamps: they must not count as "already here" after it.
    history_first = draw(st.booleans(), label="history first")
    ids = world["ids"]
    a: Laptop = world["a"]
    keys = load_keys(a.data_dir, ids["a"])
    assert keys is not None

    edges: list[list[str]] = []

    def forge(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        forged: list[tuple[str, bytes]] = []
        for kind in rows_kinds:
            forged += mutate_rows(members, kind, ids, draw)
        for table, line in forged:
            row = json.loads(line)
            edges.append([table, row["id"], row["hlc"], row.get("base_hlc") or ""])
        reprove(members, a)  # A re-signs what it claims as its own
        for kind in proof_kinds:
            mutate_proofs(members, kind, ids, forged, keys.signing, draw)
        if manifest_kind == "rekey_b":
            for device in manifest["devices"]:
                if device["id"] == ids["b"]:
                    device.update(public_key=keys.public_key, fingerprint=keys.fingerprint)
        elif manifest_kind == "source_as_b":
            manifest["source"]["id"] = ids["b"]

    for kind in [*rows_kinds, *proof_kinds, manifest_kind]:
        event(kind)
    path = rebuild(world["relay_a"], fresh(world, "forged"), a, forge)
    prelude = None
    if history_first and edges:
        event("history first")

        def history(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            lines = [json.loads(line) for line in members[pkg.VERSIONS].splitlines()]
            members[pkg.VERSIONS] = pkg.jsonl(lines + edges)

        prelude = rebuild(world["relay_a"], fresh(world, "history"), a, history)
    result = run(world, path, prelude=prelude)
    event("refused" if refused(result) else "accepted")


def test_the_genuine_relay_goes_in_and_the_oracle_sees_a_forgery(world: dict[str, Any]) -> None:
    """The relay unchanged is taken (B's versions as B's); one of B's rows edited behind the
    importer's back fails the oracle."""
    db_path = receiver(world)
    store = Store.open(db_path)
    try:
        result = import_package(store, world["relay_a"])
        assert result["inserted"] + result["updated"] >= 4
        only_genuine_b(world, store)
        b_rows = store.db.execute(
            "SELECT count(*) FROM members WHERE origin = ?", [world["ids"]["b"]]
        ).fetchone()[0]
        assert b_rows >= 2
        store.db.execute(
            "UPDATE members SET full_name = 'Giả' WHERE origin = ?", [world["ids"]["b"]]
        )
        with pytest.raises(AssertionError, match="B's version changed"):
            only_genuine_b(world, store)
    finally:
        store.close()


# -- revocation and relays --------------------------------------------------------------------


@given(data=st.data())
def test_a_revoked_devices_new_versions_are_refused_from_any_relay(
    world: dict[str, Any], data: Any
) -> None:
    """R revoked B. C's relay carries B's versions: some R holds (from before), some new.
    Any new one refuses the whole package, saying B was revoked; without one, C's relay goes
    in (C's own versions with it)."""
    ids = world["ids"]
    c_rows: list[tuple[str, str, str]] = []
    kept_new: list[tuple[str, str, str]] = []

    def choose(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        for table in _tables(members):
            rows = _load(members, table)
            kept = []
            for row in rows:
                key = (table, row["id"], row["hlc"])
                if row["origin"] == ids["b"] and key not in world["held"]:
                    if not data.draw(st.booleans(), label=f"keep {table} {row['id'][:8]}"):
                        continue
                    kept_new.append(key)
                if row["origin"] == ids["c"]:
                    c_rows.append((table, row["id"], row["hlc"]))
                kept.append(row)
            _save(members, table, kept)

    path = rebuild(world["relay_c"], fresh(world, "relay-c"), world["c"], choose)
    result = run(world, path, "revoked")
    if kept_new:
        event("a new version of B relayed")
        assert refused(result), result
        assert "thu hồi" in str(result) and "may-b" in str(result), str(result)
    else:
        event("only versions R holds")
        assert not refused(result), str(result)
        store = Store.open(world["case"] / "kiemtra.sqlite")
        try:
            assert c_rows
            for table, row_id, hlc in c_rows:
                row = store.core.get_row(table, row_id)
                assert row is not None and row["hlc"] == hlc
        finally:
            store.close()


# -- skewed clocks ----------------------------------------------------------------------------

MARGIN = 1_000  # ms either side of the one-day bound
# Ahead of the receiver's clock: beyond the bound (up to the last 13-digit wall), or within it.
beyond = st.integers(DAY_MS + MARGIN, 200 * 365 * DAY_MS)
within = st.integers(-DAY_MS, DAY_MS - MARGIN)


def _push(
    members: dict[str, bytes], where: str, stamp_of: Any, ids: dict[str, str], draw: Any
) -> None:
    """One stamp of A's rows (its own, its base, or a history edge) set by `stamp_of(device)`."""
    tables = [
        t for t in _tables(members) if any(r["origin"] == ids["a"] for r in _load(members, t))
    ]
    table = draw(st.sampled_from(tables), label="table")
    rows = _load(members, table)
    i = draw(st.sampled_from([i for i, r in enumerate(rows) if r["origin"] == ids["a"]]))
    if where == "hlc":
        rows[i] = {**rows[i], "hlc": stamp_of(ids["a"])}
    elif where == "base_hlc":
        rows[i] = {**rows[i], "base_hlc": stamp_of(ids["a"])}
    else:
        edges = [json.loads(line) for line in members[pkg.VERSIONS].splitlines()]
        edges.append([table, rows[i]["id"], stamp_of(ids["a"]), rows[i]["hlc"]])
        members[pkg.VERSIONS] = pkg.jsonl(edges)
    _save(members, table, rows)


def _seen_max(store: Store) -> str:
    stamps = []
    for table in SYNCED_TABLES:
        top = store.db.execute(f"SELECT max(hlc), max(base_hlc) FROM {table}").fetchone()
        stamps += [s for s in top if s]
    top = store.db.execute("SELECT max(hlc), max(parent) FROM sync_versions").fetchone()
    stamps += [s for s in top if s]
    return max(stamps)


@given(
    where=st.sampled_from(["hlc", "base_hlc", "history"]),
    far=st.booleans(),
    beyond_ms=beyond,
    within_ms=within,
    counter=st.integers(0, MAX_COUNTER),
    data=st.data(),
)
def test_stamps_beyond_a_day_are_refused_and_within_it_keep_the_clock_in_width(
    world: dict[str, Any],
    where: str,
    far: bool,
    beyond_ms: int,
    within_ms: int,
    counter: int,
    data: Any,
) -> None:
    ids = world["ids"]
    now = int(time.time() * 1000)
    ahead = beyond_ms if far else within_ms
    wall = min(now + ahead, 10**13 - 1)
    # Beyond the bound, the stamp may name B (forged): refused for its date first.
    named = data.draw(st.sampled_from(["a", "b"]), label="device") if far else "a"

    def skew(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        device = ids[named]
        _push(members, where, lambda _a: f"{wall:013d}.{counter:05d}.{device}", ids, data.draw)

    path = rebuild(world["relay_a"], fresh(world, "skew"), world["a"], skew)

    def after(store: Store) -> None:
        """The receiver's next stamp: fixed width, after everything it has seen."""
        seen = _seen_max(store)
        values = {"plan_id": _a_plan(store), "full_name": "Thư ký ghi", "role": "thanh-vien"}
        row = store.core.upsert_row("members", str(uuid.uuid4()), values)
        assert STAMP.match(row["hlc"]) and row["hlc"] > seen, (row["hlc"], seen)

    result = run(world, path, wall=lambda: now, after=after)
    if far:
        event("beyond the bound")
        assert refused(result), result
        moment = dt.datetime.fromtimestamp(wall / 1000, tz=dt.UTC).astimezone()
        message = str(result)
        assert f"may-{named}" in message and moment.strftime("%d/%m/%Y") in message, message
        assert "một ngày" in message
    else:
        event("within the bound")
        assert not refused(result), str(result)


def _a_plan(store: Store) -> str:
    return str(store.db.execute("SELECT id FROM plans LIMIT 1").fetchone()[0])


@given(
    shape=st.sampled_from(["counter6", "wall14", "wall12", "counter4"]),
    where=st.sampled_from(["hlc", "base_hlc", "history"]),
    data=st.data(),
)
def test_stamps_out_of_width_are_refused(
    world: dict[str, Any], shape: str, where: str, data: Any
) -> None:
    """A six-digit counter (sorting below five digits as text) or a wall of the wrong width."""
    now = int(time.time() * 1000)
    counter = data.draw(st.integers(0, 10 * MAX_COUNTER))
    stamps = {
        "counter6": f"{now:013d}.{MAX_COUNTER + 1 + counter:06d}",
        "wall14": f"{10**13 + counter:014d}.{counter % (MAX_COUNTER + 1):05d}",
        "wall12": f"{counter:012d}.00000",
        "counter4": f"{now:013d}.{counter % 10_000:04d}",
    }

    def wide(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        _push(members, where, lambda device: f"{stamps[shape]}.{device}", world["ids"], data.draw)

    path = rebuild(world["relay_a"], fresh(world, "wide"), world["a"], wide)
    result = run(world, path, wall=lambda: now)
    assert refused(result), result
    assert "dấu thời gian" in str(result) or "lịch sử phiên bản" in str(result), str(result)


def test_oracle_helpers_are_not_vacuous(world: dict[str, Any]) -> None:
    """The world has what the tests mutate: versions of B that R holds and that it does not,
    A's own versions, proofs of both, and B's new versions in C's relay."""
    members = read_members(world["relay_a"])
    origins = {json.loads(line)["origin"] for t in _tables(members) for line in
               members[f"rows/{t}.jsonl"].splitlines()}  # fmt: skip
    assert {world["ids"]["a"], world["ids"]["b"]} <= origins
    devices = {json.loads(line)["device"] for line in members[pkg.PROOFS].splitlines()}
    assert {world["ids"]["a"], world["ids"]["b"]} <= devices
    genuine, held = world["genuine"], world["held"]
    assert held < set(genuine)
    relayed = read_members(world["relay_c"])
    new_of_b = [
        row
        for t in _tables(relayed)
        for row in _load(relayed, t)
        if row["origin"] == world["ids"]["b"] and (t, row["id"], row["hlc"]) not in held
    ]
    assert new_of_b
