"""Hostile sync packages: damaged, reordered, forged by a key holder, escaping, bombs.

A forger with the sender's key re-signs what it changed, so the rows themselves (not only the
signature and hashes) meet the importer. Every case ends in a clear error or success, and a
refusal leaves the receiving database exactly as it was.

Each case is imported into its own copy of a fresh receiver, so that an accepted package has
an oracle (`accepted_as`): damage nobody signed can only be accepted when the database comes
out equal to the import of the good package; a package a key holder re-signed must go in
exactly as signed (every row the database holds is one of the package's lines, value for
value, every line's row is there, every attachment's file is there with its hash).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import Store
from db.migrations import ATTACHMENT_TABLES
from desktop.services.demo import build_demo
from desktop.services.paths import data_dir_for
from desktop.sync import package as pkg
from desktop.sync.importer import import_package
from tests.fuzz.hostile import GB, MB, MemoryWatch, attempt, cut, dump, flip, refused
from tests.sync.helpers import Laptop, read_members, rebuild, with_manifest, write_members
from tests.sync.helpers import dump as rows_dump

pytestmark = pytest.mark.fuzz

# Each example imports a whole demo package: fewer of them.
FEWER = settings(max_examples=max(4, settings().max_examples // 2))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from desktop.services.attachments import add_attachment

    root = tmp_path_factory.mktemp("packages")
    sender = Laptop(root, "may-1")
    plan_id = build_demo(sender.store)
    inspection = sender.store.planning.inspections(plan_id)[0]["id"]
    item = sender.store.findings.item_id_for_code(inspection, "A1.1.1")
    photo = root / "anh.jpg"
    photo.write_bytes(b"\xff\xd8 anh chup ho so " * 50)
    add_attachment(sender.store, sender.data_dir, inspection, item, photo)
    good = root / "good.kiemtra"
    sender.cli("sync", "export", "-o", str(good), "--full")
    receiver = Laptop(root, "thu-ky")
    receiver.cli("device", "trust", sender.info()["fingerprint"], "--name", "may-1")
    receiver.close()  # the template every case copies
    world = {"root": root, "sender": sender, "template": receiver.db_path.parent, "good": good}
    world.update(n=0, case=None)
    template = Store.open(receiver.db_path)
    try:
        world["template_rows"] = rows_dump(template)
    finally:
        template.close()
    world["good_state"] = None
    good_result = run(world, good)
    assert not refused(good_result), good_result
    world["good_state"] = world["last_state"]
    yield world
    sender.close()


def fresh(world: dict[str, Any]) -> Path:
    world["n"] += 1
    return world["root"] / f"case-{world['n']}.kiemtra"


def state(store: Store, db_path: Path) -> dict[str, Any]:
    """The travelling rows and conflicts, and the attachment files: (name, sha256 of bytes)."""
    out = rows_dump(store)
    folder = data_dir_for(db_path) / "attachments"
    out["files"] = sorted(
        (p.name, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in (folder.rglob("*") if folder.exists() else [])
        if p.is_file()
    )
    return out


def run(world: dict[str, Any], path: Path, signed_by_forger: bool = False) -> Any:
    """Import `path` into a fresh copy of the receiver; on success check the oracle."""
    if world["case"] is not None:
        shutil.rmtree(world["case"], ignore_errors=True)
    case = world["root"] / f"receiver-{world['n']}-{path.stem}"
    shutil.copytree(world["template"], case, ignore=shutil.ignore_patterns("backups"))
    world["case"] = case
    db_path = case / "kiemtra.sqlite"
    store = Store.open(db_path)
    try:
        result = attempt(lambda: import_package(store, path), lambda: dump(store))
        if not refused(result):
            world["last_state"] = state(store, db_path)
            accepted_as(world, path, world["last_state"], signed_by_forger)
    finally:
        store.close()
    return result


def accepted_as(
    world: dict[str, Any], path: Path, got: dict[str, Any], signed_by_forger: bool
) -> None:
    """The oracle of an accepted package (see the module's docstring)."""
    if world["good_state"] is not None and not signed_by_forger:
        assert got == world["good_state"], "a damaged package was accepted with other content"
        return
    members = read_members(path)
    for table, rows in got.items():
        if table in ("files", "sync_conflicts"):
            continue
        part = f"rows/{table}.jsonl"
        if part not in members:
            assert rows == world["template_rows"][table], f"{table} changed with no part"
            continue
        lines: dict[str, list[Any]] = {}
        for line in members[part].splitlines():
            row = json.loads(line)
            lines.setdefault(row["id"], []).append(row)
        assert {r["id"] for r in rows} == set(lines), f"{table}: rows dropped or invented"
        for row in rows:
            assert any(
                all(row[k] == line.get(k, row[k]) for k in row) for line in lines[row["id"]]
            ), f"{table}: stored {row} is not what was signed: {lines[row['id']]}"
    assert got["sync_conflicts"] == [], "a fresh receiver has nothing to conflict with"
    assert all(name == sha for name, sha in got["files"]), "a file stored under another hash"
    stored = {sha for _, sha in got["files"]}
    for table in ATTACHMENT_TABLES:
        for row in got[table]:
            if not row["deleted"]:
                assert row["sha256"] in stored, f"{table}: the file of {row['id']} is missing"


def forged(world: dict[str, Any], mutate: Any, redeclare: bool = True) -> Path:
    """The good package changed by `mutate(manifest, members)` and re-signed by the sender."""
    return rebuild(world["good"], fresh(world), world["sender"], mutate, redeclare=redeclare)


@FEWER
@given(where=st.floats(0, 0.999))
def test_truncated(world: dict[str, Any], where: float) -> None:
    path = fresh(world)
    path.write_bytes(cut(world["good"].read_bytes(), where))
    assert refused(run(world, path))


@FEWER
@given(data=st.binary(max_size=4096))
def test_random_bytes(world: dict[str, Any], data: bytes) -> None:
    path = fresh(world)
    path.write_bytes(data)
    assert refused(run(world, path))


@FEWER
@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=6))
def test_byte_flips_anywhere(world: dict[str, Any], flips: list[Any]) -> None:
    path = fresh(world)
    path.write_bytes(flip(world["good"].read_bytes(), flips))
    run(world, path)


@FEWER
@given(data=st.data())
def test_byte_flips_in_each_part_re_signed(world: dict[str, Any], data: Any) -> None:
    """The forger flips bytes inside one part, then declares and signs the result."""
    names = sorted(n for n in read_members(world["good"]) if n not in (pkg.SIGNATURE,))
    name = data.draw(st.sampled_from(names), label="part")
    flips = data.draw(
        st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=4)
    )
    if name == pkg.MANIFEST:
        # The manifest is signed as bytes: flip them after signing (a forger cannot re-sign
        # bytes that do not parse; the signature then fails or the JSON does).
        members = read_members(world["good"])
        members[name] = flip(members[name], flips)
        path = fresh(world)
        write_members(path, members)
    else:

        def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
            members[name] = flip(members[name], flips)

        path = forged(world, mutate)
    run(world, path, signed_by_forger=name != pkg.MANIFEST)


@FEWER
@given(data=st.data())
def test_members_shuffled_dropped_or_duplicated(world: dict[str, Any], data: Any) -> None:
    members = list(read_members(world["good"]).items())
    order = data.draw(st.permutations(members), label="order")
    action = data.draw(st.sampled_from(["shuffle", "drop", "duplicate"]), label="action")
    index = data.draw(st.integers(0, len(order) - 1), label="index")
    if action == "drop":
        order = [m for i, m in enumerate(order) if i != index]
    elif action == "duplicate":
        order = [*order, (order[index][0], data.draw(st.binary(max_size=64), label="bytes"))]
    path = fresh(world)
    with zipfile.ZipFile(path, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for name, content in order:
            zf.writestr(name, content)
    result = run(world, path)
    if action != "shuffle":
        assert refused(result)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
MANIFEST_FIELDS = [
    "format",
    "format_version",
    "package_id",
    "source",
    "created",
    "scope",
    "devices",
    "encryption",
    "encryption_params",
    "parts",
    "app_version",
]


@FEWER
@given(field=st.sampled_from(MANIFEST_FIELDS), value=json_values, data=st.data())
def test_manifest_fields_of_wrong_types(
    world: dict[str, Any], field: str, value: Any, data: Any
) -> None:
    sub = data.draw(st.sampled_from(["id", "name", "public_key", "encryption_key"]), label="sub")

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        if field == "source" and data.draw(st.booleans(), label="inside source"):
            manifest["source"][sub] = value
        else:
            manifest[field] = value

    run(world, forged(world, mutate, redeclare=field != "parts"), signed_by_forger=True)


TABLES = ["plans", "inspections", "findings", "attachments", "members"]


@FEWER
@given(table=st.sampled_from(TABLES), value=json_values, data=st.data())
def test_row_fields_of_wrong_types(
    world: dict[str, Any], table: str, value: Any, data: Any
) -> None:
    """A key holder writes a row value of the wrong type (or a whole line that is no row)."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        name = f"rows/{table}.jsonl"
        if name not in members:
            return
        lines = members[name].splitlines()
        index = data.draw(st.integers(0, len(lines) - 1), label="line")
        row = json.loads(lines[index])
        column = data.draw(st.sampled_from(sorted(row) + ["khong_co"]), label="column")
        if data.draw(st.booleans(), label="whole line"):
            lines[index] = json.dumps(value).encode()
        else:
            row[column] = value
            lines[index] = json.dumps(row, ensure_ascii=False).encode()
        members[name] = b"\n".join(lines) + b"\n"

    run(world, forged(world, mutate), signed_by_forger=True)


ESCAPES = [
    "../evil.jsonl",
    "rows/../../evil.jsonl",
    "/etc/passwd",
    "/rows/plans.jsonl",
    "C:\\Windows\\evil",
    "C:/evil",
    "rows\\plans.jsonl",
    "rows/./plans.jsonl",
    "rows//plans.jsonl",
    "attachments/../../../evil",
    "rows/plans.jsonl\x00.png",
    "rows/ｐlans.jsonl",  # fullwidth letter
    unicodedata.normalize("NFD", "rows/kế_hoạch.jsonl"),
    "rows/ﬁndings.jsonl",  # the ligature NFKC folds to "fi"
    "attachments/" + "A" * 64,
    "attachments/" + "0" * 63 + "\u0660",  # an Arabic-Indic zero
    "rows/",
    "rows/plans.jsonl\nLỗi: giả mạo",
    "\u202erows/lmth.jsonl",  # right-to-left override
    "",
]


@pytest.mark.parametrize("name", ESCAPES)
@pytest.mark.parametrize("declared", [True, False])
def test_escaping_and_lookalike_names(world: dict[str, Any], name: str, declared: bool) -> None:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members[name] = b'{"id": "x"}\n'

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            path = forged(world, mutate, redeclare=declared)
        except (ValueError, OSError, IndexError):
            pytest.skip("zipfile itself cannot write this name")
    assert refused(run(world, path))
    data_dir = world["case"]
    for escaped in ("evil", "evil.jsonl", "attachments/evil"):
        assert not (data_dir.parent / escaped).exists()
        assert not (data_dir / escaped).exists()


def test_gigabyte_bomb_part(world: dict[str, Any]) -> None:
    """A declared part that inflates to 1 GB (a few MB on disk); memory stays bounded."""
    members = read_members(world["good"])
    name = "rows/findings.jsonl"
    path = fresh(world)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for other, content in members.items():
            if other != name:
                zf.writestr(other, content)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            chunk = b"\n" * (4 * MB)
            for _ in range(GB // len(chunk)):
                out.write(chunk)
    with MemoryWatch() as memory:
        assert refused(run(world, path))
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


def test_bomb_declared_and_signed_by_a_key_holder(world: dict[str, Any]) -> None:
    """The forger declares the 1 GB part honestly (size and hash): refused as a bomb."""
    import hashlib

    digest = hashlib.sha256()
    chunk = b"\n" * (4 * MB)
    for _ in range(GB // len(chunk)):
        digest.update(chunk)

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        for part in manifest["parts"]:
            if part["name"] == "rows/findings.jsonl":
                part.update(size=GB, sha256=digest.hexdigest(), rows=GB)

    path = forged(world, mutate, redeclare=False)
    with MemoryWatch() as memory:
        assert refused(run(world, path))
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


def test_the_good_package_goes_in(world: dict[str, Any]) -> None:
    result = run(world, world["good"])
    assert not refused(result) and result["inserted"] + result["unchanged"] > 100


@pytest.mark.parametrize("where", ["source", "devices"])
def test_regression_encryption_key_of_wrong_type(world: dict[str, Any], where: str) -> None:
    """Found by fuzzing: a signed manifest whose encryption_key was a list reached the
    database as a value SQLite cannot bind (sqlite3.ProgrammingError, a traceback)."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        if where == "source":
            manifest["source"]["encryption_key"] = []
        else:
            manifest["devices"] = [{"id": "d", "name": "n", "encryption_key": {"a": 1}}]

    error = run(world, forged(world, mutate))
    assert refused(error) and "manifest.json không hợp lệ" in str(error)


def test_regression_a_newline_in_a_member_name_stays_on_one_line(world: dict[str, Any]) -> None:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members["rows/x\nLỗi: giả"] = b"{}\n"

    error = run(world, forged(world, mutate))
    assert refused(error) and "\n" not in str(error) and "\\n" in str(error)


def test_regression_attachment_hash_that_is_no_hash(world: dict[str, Any]) -> None:
    """Found by fuzzing: a signed attachments row whose sha256 was not 64 hex digits raised
    ValueError (a traceback) when the importer computed where to store the file."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        lines = members["rows/attachments.jsonl"].splitlines()
        row = json.loads(lines[0])
        row["sha256"] = "../../" + row["sha256"][6:]
        members["rows/attachments.jsonl"] = b"\n".join([json.dumps(row).encode(), *lines[1:]])
        members["rows/attachments.jsonl"] += b"\n"

    error = run(world, forged(world, mutate))
    assert refused(error) and "sha256" in str(error)


def test_the_oracle_sees_a_package_that_was_changed(world: dict[str, Any]) -> None:
    """A key holder rewrites one note: it goes in as signed, and the oracle would not let it
    pass as the good package (the check every accepted damaged package gets)."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        lines = members["rows/findings.jsonl"].splitlines()
        row = json.loads(lines[0])
        row["note"] = "Ghi chú do người giả mạo viết lại."
        members["rows/findings.jsonl"] = b"\n".join([json.dumps(row).encode(), *lines[1:]])
        members["rows/findings.jsonl"] += b"\n"

    path = forged(world, mutate)
    result = run(world, path, signed_by_forger=True)
    assert not refused(result)
    notes = [f["note"] for f in world["last_state"]["findings"]]
    assert "Ghi chú do người giả mạo viết lại." in notes
    with pytest.raises(AssertionError, match="accepted with other content"):
        accepted_as(world, path, world["last_state"], signed_by_forger=False)
    # And a stored row that is not what was signed is caught too.
    tampered = {**world["last_state"]}
    tampered["findings"] = [{**f, "note": "khác"} for f in tampered["findings"]]
    with pytest.raises(AssertionError, match="not what was signed"):
        accepted_as(world, path, tampered, signed_by_forger=True)


@FEWER
@given(
    depth=st.integers(1, 200_000),
    digits=st.integers(1, 20_000),
    where=st.sampled_from(["nested", "integer", "both"]),
    signed=st.booleans(),
)
def test_deep_or_huge_manifests_before_the_signature(
    world: dict[str, Any], depth: int, digits: int, where: str, signed: bool
) -> None:
    """Found by the issue-15 review: a 100,000-deep manifest or a 5,000-digit integer gave a
    traceback before the signature was checked. Refused now, or (shallow and short enough
    when a key holder signed it) read as a manifest like any other."""
    good = read_members(world["good"])[pkg.MANIFEST]
    number = b"9" * digits
    nested = b"[" * depth + number + b"]" * depth
    value = {"nested": b"[" * depth + b"]" * depth, "integer": number, "both": nested}[where]
    current = b'"format_version":%d' % pkg.FORMAT_VERSION
    manifest = good.replace(current, b'"format_version":' + value)
    signer = world["sender"] if signed else None
    path = with_manifest(world["good"], fresh(world), manifest, signer)
    assert refused(run(world, path))
