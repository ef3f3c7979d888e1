"""Authorship proven for every version (issue 15, finding 2): a version claiming device B is
merged only with B's own signature, kept when relayed; revoking B refuses B's new versions
from any relay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import build_demo
from desktop.sync import package as pkg
from tests.sync.helpers import Laptop, full_dump, rebuild, rows_of, set_rows


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """B writes the plan; A (a member) and R (the receiver) both have B's package."""
    b = Laptop(tmp_path, "may-b")
    build_demo(b.store)
    a = Laptop(tmp_path, "may-a")
    r = Laptop(tmp_path, "thu-ky")
    b_pkg = tmp_path / "b.kiemtra"
    b.cli("sync", "export", "-o", str(b_pkg), "--full")
    for laptop in (a, r):
        laptop.cli("sync", "import", str(b_pkg), "--trust-new")
    r.cli("device", "trust", a.info()["fingerprint"], "--name", "may-a")
    yield {"root": tmp_path, "a": a, "b": b, "r": r}
    for laptop in (a, b, r):
        laptop.close()


def _refused(laptop: Laptop, path: Path, says: str) -> str:
    before = full_dump(laptop.db_path)
    result = laptop.cli("sync", "import", str(path), "--json", ok=False)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("Lỗi: "), (
        result.stdout,
        result.stderr,
    )
    assert says in lines[0], lines[0]
    assert full_dump(laptop.db_path) == before
    return lines[0]


def _forge_as_b(world: dict[str, Any], name: str, **changes: Any) -> Path:
    """A's full package with one of B's findings edited "by B", re-signed by A."""
    a, b = world["a"], world["b"]
    genuine = world["root"] / f"{name}-a.kiemtra"
    a.cli("sync", "export", "-o", str(genuine), "--full")
    b_id = b.store.device_id

    def forge(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "findings")
        row = next(r for r in rows if r["origin"] == b_id)
        wall, _counter, _device = row["hlc"].split(".", 2)
        stamp = f"{int(wall) + 1000:013d}.00000.{b_id}"
        row.update(note="B chưa từng viết câu này", base_hlc=row["hlc"], hlc=stamp, origin=b_id)
        row.update(changes)
        set_rows(members, "findings", rows)

    return rebuild(genuine, world["root"] / f"{name}.kiemtra", a, forge)


def test_a_version_claiming_b_but_signed_by_a_is_refused(world: dict[str, Any]) -> None:
    forged = _forge_as_b(world, "forged")
    line = _refused(world["r"], forged, "may-b")
    assert "chữ ký" in line


def test_origin_must_be_the_stamps_device(world: dict[str, Any]) -> None:
    forged = _forge_as_b(world, "origin", origin="Giám đốc Sở")
    _refused(world["r"], forged, "origin")


def test_a_genuine_relay_keeps_bs_proof(world: dict[str, Any], tmp_path: Path) -> None:
    """B edits; A relays B's package on; a newcomer trusting only A takes B's edit as B's."""
    a, b = world["a"], world["b"]
    finding = b.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    b.store.core.update_row("findings", finding, {"note": "B sửa lần hai"})
    b_pkg = tmp_path / "b2.kiemtra"
    b.cli("sync", "export", "-o", str(b_pkg))
    a.cli("sync", "import", str(b_pkg))
    relay = tmp_path / "relay.kiemtra"
    a.cli("sync", "export", "-o", str(relay), "--full")
    newcomer = Laptop(tmp_path, "moi")
    newcomer.cli.json("sync", "import", str(relay), "--trust-new")
    row = newcomer.store.db.execute(
        "SELECT note, origin FROM findings WHERE id = ?", [finding]
    ).fetchone()
    assert tuple(row) == ("B sửa lần hai", b.store.device_id)
    newcomer.close()


def test_revoking_b_refuses_bs_new_versions_relayed(world: dict[str, Any], tmp_path: Path) -> None:
    a, b, r = world["a"], world["b"], world["r"]
    r.cli("device", "revoke", b.info()["fingerprint"])
    finding = b.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    b.store.core.update_row("findings", finding, {"note": "B sau khi bị thu hồi"})
    b_pkg = tmp_path / "b3.kiemtra"
    b.cli("sync", "export", "-o", str(b_pkg))
    a.cli("sync", "import", str(b_pkg))
    relay = tmp_path / "relay.kiemtra"
    a.cli("sync", "export", "-o", str(relay))
    line = _refused(r, relay, "thu hồi")
    assert "may-b" in line


def test_a_relay_of_versions_already_here_still_imports_after_a_revocation(
    world: dict[str, Any], tmp_path: Path
) -> None:
    """B's old versions, which R has, do not block A's own new work."""
    a, b, r = world["a"], world["b"], world["r"]
    r.cli("device", "revoke", b.info()["fingerprint"])
    finding = a.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    a.store.core.update_row("findings", finding, {"note": "A ghi"})
    relay = tmp_path / "full.kiemtra"
    a.cli("sync", "export", "-o", str(relay), "--full")
    result = r.cli.json("sync", "import", str(relay))
    assert result["updated"] == 1


def test_an_older_format_is_told_to_update(world: dict[str, Any]) -> None:
    """A format-1 package (no proofs) carrying B's versions through A is refused."""
    a = world["a"]
    genuine = world["root"] / "v1-src.kiemtra"
    a.cli("sync", "export", "-o", str(genuine), "--full")

    def older(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["format_version"] = 1
        members.pop(pkg.PROOFS, None)

    old = rebuild(genuine, world["root"] / "v1.kiemtra", a, older)
    fresh = Laptop(world["root"], "moi-2")
    fresh.cli("device", "trust", a.info()["fingerprint"], "--name", "may-a")
    _refused(fresh, old, "hãy cập nhật chương trình")
    fresh.close()


def test_a_newer_format_says_update(world: dict[str, Any]) -> None:
    a = world["a"]
    genuine = world["root"] / "v9-src.kiemtra"
    a.cli("sync", "export", "-o", str(genuine), "--full")

    def newer(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["format_version"] = pkg.FORMAT_VERSION + 1

    _refused(world["r"], rebuild(genuine, world["root"] / "v9.kiemtra", a, newer), "cập nhật")
    assert json.loads(pkg.canonical_json({"v": pkg.FORMAT_VERSION}))["v"] >= 2


def test_a_trusted_sender_cannot_bind_bs_id_to_its_own_key_for_a_newcomer(
    world: dict[str, Any],
) -> None:
    """Found by hand: A (trusted by D, who never met B) lists B's device id with a key A
    holds, signs "B's" versions with it, and D merges them as B's (`updated`, no conflict,
    history "Trần B (qua đồng bộ)"); `--dry-run` shows no key to trust; and B's genuine
    packages are refused at D for good ("mã thiết bị … đã thuộc về một khóa khác")."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop.sync import authorship
    from desktop.sync.keys import fingerprint_of

    a, b = world["a"], world["b"]
    d = Laptop(world["root"], "may-d")
    d.cli("device", "trust", a.info()["fingerprint"], "--name", "may-a")
    genuine = world["root"] / "a-full.kiemtra"
    a.cli("sync", "export", "-o", str(genuine), "--full")
    b_id = b.store.device_id
    fake = Ed25519PrivateKey.generate()
    raw = fake.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def squat(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["devices"] = [x for x in manifest["devices"] if x["id"] != b_id] + [
            {
                "id": b_id,
                "name": "may-b",
                "public_key": base64.b64encode(raw).decode("ascii"),
                "fingerprint": fingerprint_of(raw),
                "encryption_key": None,
            }
        ]
        digests = []
        for name, data in members.items():
            if name.startswith("rows/") and name.endswith(".jsonl"):
                table = name[len("rows/") : -len(".jsonl")]
                for line in data.split(b"\n"):
                    if line and json.loads(line).get("origin") == b_id:
                        digests.append(authorship.digest(table, line))
        lines = [json.loads(x) for x in members[pkg.PROOFS].splitlines()]
        lines = [x for x in lines if x["device"] != b_id]
        lines.append(authorship.to_line(authorship.sign(fake, b_id, digests)))
        members[pkg.PROOFS] = pkg.jsonl(lines)

    forged = rebuild(genuine, world["root"] / "squat.kiemtra", a, squat)
    try:
        line = _refused(d, forged, "may-b")
        assert "chưa được tin cậy" in line and "may-a" in line  # who passed the key on
        # Seen before any trust is given: the dry run lists the key, introduced by A.
        verdict = json.loads(
            d.cli("sync", "import", str(forged), "--dry-run", "--json", ok=False).stdout
        )
        listed = {k["id"]: k for k in verdict["keys_to_trust"]}
        assert listed[b_id]["fingerprint"] == fingerprint_of(raw)
        assert listed[b_id]["introduced_by"] == a.store.device_id
        assert verdict["refused"] and "may-b" in verdict["refused"]
        # B's genuine package still goes in at D once the user trusts B's real key.
        d.cli("device", "trust", b.info()["fingerprint"], "--name", "may-b")
        b_pkg = world["root"] / "b-full.kiemtra"
        b.cli("sync", "export", "-o", str(b_pkg), "--full")
        assert d.cli.json("sync", "import", str(b_pkg))["inserted"] > 0
    finally:
        d.close()


def test_a_relay_passes_on_the_authors_keys_it_was_shown_and_trusted(
    world: dict[str, Any],
) -> None:
    """Found by hand: C took A's package (B's versions, B's key listed) while B's key was
    recorded untrusted at C; C's own package then carried B's versions without B's key and a
    newcomer refused all of it. Now a listed key proves nothing until trusted: C is told so
    and trusts B's key once shown (introduced by A); C's package then lists it, and E, who
    never met B, sees it (introduced by C) and takes the whole relay."""
    a, b = world["a"], world["b"]
    c = Laptop(world["root"], "may-c")
    e = Laptop(world["root"], "may-e")
    try:
        c.cli("device", "trust", a.info()["fingerprint"], "--name", "may-a")
        a_pkg = world["root"] / "a-for-c.kiemtra"
        a.cli("sync", "export", "-o", str(a_pkg), "--full")
        line = _refused(c, a_pkg, "may-b")
        assert "--trust-new" in line
        shown = json.loads(
            c.cli("sync", "import", str(a_pkg), "--dry-run", "--json", ok=False).stdout
        )["keys_to_trust"]
        b_fp = b.info()["fingerprint"]
        assert {(k["fingerprint"], k["introduced_by"]) for k in shown} >= {
            (b_fp, a.store.device_id)
        }
        c.cli("sync", "import", str(a_pkg), "--trust-new")
        c_pkg = world["root"] / "c-full.kiemtra"
        c.cli("sync", "export", "-o", str(c_pkg), "--full")
        e.cli("device", "trust", c.info()["fingerprint"], "--name", "may-c")
        verdict = json.loads(
            e.cli("sync", "import", str(c_pkg), "--dry-run", "--json", ok=False).stdout
        )
        assert (b_fp, c.store.device_id) in {
            (k["fingerprint"], k["introduced_by"]) for k in verdict["keys_to_trust"]
        }
        result = e.cli.json("sync", "import", str(c_pkg), "--trust-new")
        assert result["inserted"] > 100
        listed = {d["fingerprint"]: d for d in e.cli.json("device", "list")}
        assert listed[b_fp]["trusted"] is True
    finally:
        c.close()
        e.close()


def _b_line(path: Path, table: str, b_id: str) -> dict[str, Any]:
    import zipfile

    name = f"rows/{table}.jsonl"
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name)}
    return next(r for r in rows_of(members, table) if r["origin"] == b_id)


@pytest.mark.parametrize("new_row", [False, True])
def test_regression_a_history_edge_does_not_make_a_forged_version_known(
    world: dict[str, Any], tmp_path: Path, new_row: bool
) -> None:
    """Found by fuzzing (issue 15): history edges (versions.jsonl) carry no proof, and "a
    version already here needs none" looked only for an edge. A (a trusted key holder) sent
    an edge naming a stamp of B's first, then "B's version" under that stamp: it was merged
    as B's ("updated 1"). Known now means held: a head of the row or an ancestor of one."""
    import uuid

    a, b, r = world["a"], world["b"], world["r"]
    genuine = tmp_path / "a.kiemtra"
    a.cli("sync", "export", "-o", str(genuine), "--full")
    b_id = b.store.device_id
    target = _b_line(genuine, "members", b_id)
    wall = int(target["hlc"].split(".")[0])
    stamp = f"{wall + 1000:013d}.00000.{b_id}"
    row_id = str(uuid.uuid4()) if new_row else target["id"]
    base = "" if new_row else target["hlc"]

    def edge_only(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        edges = [json.loads(line) for line in members[pkg.VERSIONS].splitlines()]
        edges.append(["members", row_id, stamp, base])
        members[pkg.VERSIONS] = pkg.jsonl(edges)

    r.cli.json("sync", "import", str(rebuild(genuine, tmp_path / "p1.kiemtra", a, edge_only)))

    def forged_row(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "members")
        forged = {**target, "id": row_id, "full_name": "Người B chưa từng ghi", "hlc": stamp}
        forged["base_hlc"] = base or None
        if new_row:
            rows.append(forged)
        else:
            rows = [forged if row["id"] == row_id else row for row in rows]
        set_rows(members, "members", rows)

    forged = rebuild(genuine, tmp_path / "p2.kiemtra", a, forged_row)
    line = _refused(r, forged, "may-b")
    assert "chữ ký" in line
