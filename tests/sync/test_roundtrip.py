"""Sở Nội vụ → two laptops → secretary, over the command line: conflicts, idempotence, order."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db.store import finding_id
from desktop.services.demo import build_demo
from desktop.sync import package as pkg
from desktop.sync.attachments_path import attachment_path
from tests.sync.helpers import Laptop, dump, read_members


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Sở Nội vụ with the demo plan, trusting the delegation's laptops, and its plan package."""
    snv = Laptop(tmp_path, "so-noi-vu")
    plan_id = build_demo(snv.store)
    laptops = {name: Laptop(tmp_path, name) for name in ("may-1", "may-2", "thu-ky", "thu-ky-2")}
    for laptop in laptops.values():
        info = laptop.info()
        snv.cli("device", "trust", info["fingerprint"], "--name", laptop.name)
    plan_file = tmp_path / "ke-hoach.kiemtra"
    snv.cli("sync", "export", "-o", str(plan_file), "--plan", plan_id, "--full")
    snv_fp = snv.info()["fingerprint"]
    for laptop in laptops.values():
        laptop.cli("device", "trust", snv_fp, "--name", "Sở Nội vụ")
        result = laptop.cli.json("sync", "import", str(plan_file))
        assert result["inserted"] > 100 and result["conflicts"] == 0
        laptop.reopen()
    yield {"snv": snv, "plan_id": plan_id, "plan_file": plan_file, "tmp": tmp_path, **laptops}
    for laptop in [snv, *laptops.values()]:
        laptop.close()


def first_inspection(laptop: Laptop) -> str:
    rows = laptop.cli.json("inspections")
    return str(rows[0]["id"])


def record(laptop: Laptop, inspection: str, code: str, *args: str) -> None:
    laptop.cli("finding", "set", inspection, code, *args)


def test_plan_package_brings_plan_and_trust(office: dict[str, Any]) -> None:
    snv, may1 = office["snv"], office["may-1"]
    assert dump(may1.store)["plans"] == dump(snv.store)["plans"]
    assert dump(may1.store)["findings"] == dump(snv.store)["findings"]
    # The plan package carried the keys Sở Nội vụ trusts: laptops trust one another.
    may2_fp = office["may-2"].info()["fingerprint"]
    listed = {d["fingerprint"]: d for d in may1.cli.json("device", "list")}
    assert listed[may2_fp]["trusted"] is True
    members = read_members(office["plan_file"])
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "kiemtra-sync" and manifest["format_version"] == pkg.FORMAT_VERSION
    assert manifest["encryption"] == "none"
    assert "PRIVATE" not in b"".join(members.values()).decode("utf-8", "replace")


def test_two_laptops_then_secretary(office: dict[str, Any]) -> None:
    may1, may2, sec, sec2, tmp = (
        office["may-1"],
        office["may-2"],
        office["thu-ky"],
        office["thu-ky-2"],
        office["tmp"],
    )
    insp = first_inspection(may1)
    record(may1, insp, "A1.1.1", "--result", "dat", "--note", "Máy 1 ghi")
    record(may1, insp, "A1.1.1", "--note", "Máy 1 ghi lại")  # two edits before one export
    record(may1, insp, "A1.1.2", "--result", "dat")
    record(may2, insp, "A1.1.1", "--result", "khong-dat", "--note", "Máy 2 ghi")
    record(may2, insp, "A2.1.1", "--result", "mot-phan")
    f1, f2 = tmp / "may1.kiemtra", tmp / "may2.kiemtra"
    may1.cli("sync", "export", "-o", str(f1))
    may2.cli("sync", "export", "-o", str(f2))

    a = sec.cli.json("sync", "import", str(f1))
    b = sec.cli.json("sync", "import", str(f2))
    assert a["conflicts"] == 0 and a["from"]["name"] == "may-1"
    assert b["conflicts"] == 1
    sec2.cli.json("sync", "import", str(f2))
    sec2.cli.json("sync", "import", str(f1))
    sec.reopen()
    sec2.reopen()
    assert dump(sec.store) == dump(sec2.store)  # A then B == B then A

    again = sec.cli.json("sync", "import", str(f1))
    assert again["inserted"] == again["updated"] == again["conflicts"] == 0
    assert again["unchanged"] > 0
    before = dump(sec.store)
    sec.reopen()
    assert dump(sec.store) == before

    conflicts = sec.cli.json("sync", "conflicts")
    assert len(conflicts) == 1
    conflict = conflicts[0]
    item = sec.store.findings.item_id_for_code(insp, "A1.1.1")
    assert conflict["table"] == "findings" and conflict["row_id"] == finding_id(insp, item)
    fields = {d["field"]: d for d in conflict["differences"]}
    assert {"result", "note"} <= set(fields)
    versions = {conflict["local"]["value"]["note"], conflict["remote"]["value"]["note"]}
    assert versions == {"Máy 1 ghi lại", "Máy 2 ghi"}
    assert {conflict["local"]["who"], conflict["remote"]["who"]} == {"may-1", "may-2"}
    # The row shows the version with the greater stamp (may-2 recorded last).
    shown = sec.store.core.get_row("findings", conflict["row_id"])
    assert shown["note"] == "Máy 2 ghi"

    # The secretary keeps may-1's version: a new change that settles the conflict everywhere.
    keep = "mine" if conflict["local"]["who"] == "may-1" else "theirs"
    sec.cli("sync", "resolve", conflict["id"], "--keep", keep)
    sec.reopen()
    row = sec.store.core.get_row("findings", conflict["row_id"])
    assert row["note"] == "Máy 1 ghi lại" and row["result"] == "dat"
    assert row["base_hlc"] == max(conflict["local"]["hlc"], conflict["remote"]["hlc"])
    assert sec.cli.json("sync", "conflicts") == []
    resolved = sec.cli.json("sync", "conflicts", "--all")
    assert resolved[0]["resolution"] == keep

    out = tmp / "thu-ky.kiemtra"
    sec.cli("sync", "export", "-o", str(out))
    for laptop in (sec2, may1, may2):
        laptop.cli.json("sync", "import", str(out))
        laptop.reopen()
        assert laptop.store.core.get_row("findings", conflict["row_id"]) == row
    assert sec2.cli.json("sync", "conflicts") == []
    # may-2 sends its packages again: nothing comes back to life.
    result = sec.cli.json("sync", "import", str(f2))
    assert result["conflicts"] == 0 and result["updated"] == 0
    assert sec.cli.json("sync", "conflicts") == []


def test_incremental_export_holds_only_changes(office: dict[str, Any]) -> None:
    may1, sec, tmp = office["may-1"], office["thu-ky"], office["tmp"]
    insp = first_inspection(may1)
    first = may1.cli.json("sync", "export", "-o", str(tmp / "1.kiemtra"))
    assert first["full"] is True and first["rows"] > 100  # nothing exported before: everything
    empty = may1.cli.json("sync", "export", "-o", str(tmp / "2.kiemtra"))
    assert empty["rows"] == 0
    record(may1, insp, "A1.1.1", "--result", "dat")
    third = may1.cli.json("sync", "export", "-o", str(tmp / "3.kiemtra"))
    members = read_members(tmp / "3.kiemtra")
    assert "rows/findings.jsonl" in members and "rows/plans.jsonl" not in members
    assert 1 <= third["rows"] <= 2  # the finding (and the visit's status)
    full = may1.cli.json("sync", "export", "-o", str(tmp / "4.kiemtra"), "--full")
    assert full["rows"] >= first["rows"] and full["full"] is True
    for name in ("2", "3"):
        sec.cli.json("sync", "import", str(tmp / f"{name}.kiemtra"))
    sec.reopen()
    assert sec.store.core.get_row(
        "findings", finding_id(insp, sec.store.findings.item_id_for_code(insp, "A1.1.1"))
    ) == may1.store.core.get_row(
        "findings", finding_id(insp, may1.store.findings.item_id_for_code(insp, "A1.1.1"))
    )


def test_relay_forwards_what_arrived_later(office: dict[str, Any]) -> None:
    """An older edit imported after the secretary's last export still goes in the next one."""
    may1, sec, snv, tmp = office["may-1"], office["thu-ky"], office["snv"], office["tmp"]
    insp = first_inspection(may1)
    record(may1, insp, "A1.1.1", "--result", "dat")
    may1.cli("sync", "export", "-o", str(tmp / "m1.kiemtra"))
    sec.cli("sync", "export", "-o", str(tmp / "s0.kiemtra"))  # before may-1's package arrives
    sec.cli("sync", "import", str(tmp / "m1.kiemtra"), "--json")
    sec.cli("sync", "export", "-o", str(tmp / "s1.kiemtra"))
    snv.cli("sync", "import", str(tmp / "s1.kiemtra"), "--json")
    snv.reopen()
    fid = finding_id(insp, snv.store.findings.item_id_for_code(insp, "A1.1.1"))
    assert snv.store.core.get_row("findings", fid)["result"] == "dat"


def test_attachments_travel_by_hash(office: dict[str, Any]) -> None:
    from desktop.services.attachments import add_attachment, path_of

    may1, sec, tmp = office["may-1"], office["thu-ky"], office["tmp"]
    insp = first_inspection(may1)
    source = tmp / "bien-ban.pdf"
    source.write_bytes(b"%PDF-1.4 bien ban kiem tra " * 100)
    item = may1.store.findings.item_id_for_code(insp, "A1.1.1")
    row = add_attachment(may1.store, may1.data_dir, insp, item, source)
    assert attachment_path(may1.data_dir, row["sha256"]) == path_of(may1.data_dir, row["sha256"])
    out = tmp / "m1.kiemtra"
    may1.cli("sync", "export", "-o", str(out))
    assert f"attachments/{row['sha256']}" in read_members(out)
    sec.cli.json("sync", "import", str(out))
    target = attachment_path(sec.data_dir, row["sha256"])
    assert target.read_bytes() == source.read_bytes()
    stamp = target.stat().st_mtime_ns
    sec.cli.json("sync", "import", str(out))
    assert target.stat().st_mtime_ns == stamp  # already present: not copied again


def test_encryption_for_recipient_and_passphrase(office: dict[str, Any]) -> None:
    may1, may2, sec, tmp = office["may-1"], office["may-2"], office["thu-ky"], office["tmp"]
    # may-1 learns the secretary's encryption key from a package the secretary made.
    sec.cli("sync", "export", "-o", str(tmp / "hello.kiemtra"))
    may1.cli.json("sync", "import", str(tmp / "hello.kiemtra"))
    insp = first_inspection(may1)
    record(may1, insp, "A1.1.1", "--result", "dat", "--note", "Bí mật")
    sealed = tmp / "for-sec.kiemtra"
    sec_fp = sec.info()["fingerprint"]
    may1.cli("sync", "export", "-o", str(sealed), "--for", sec_fp)
    members = read_members(sealed)
    assert set(members) == {"manifest.json", "manifest.sig", "payload.bin"}
    assert json.loads(members["manifest.json"])["encryption"] == "recipient"
    assert "Bí mật".encode() not in members["payload.bin"]
    refused = may2.cli("sync", "import", str(sealed), ok=False)
    assert refused.exit_code != 0 and "thiết bị khác" in refused.stderr
    assert sec.cli.json("sync", "import", str(sealed))["updated"] >= 1

    secret = tmp / "pass.txt"
    secret.write_text("mật khẩu đoàn kiểm tra\n", encoding="utf-8")
    locked = tmp / "pass.kiemtra"
    may1.cli("sync", "export", "-o", str(locked), "--full", "--passphrase-file", str(secret))
    assert json.loads(read_members(locked)["manifest.json"])["encryption"] == "passphrase"
    missing = may2.cli("sync", "import", str(locked), ok=False)
    assert missing.exit_code != 0 and "--passphrase-file" in missing.stderr
    wrong = tmp / "wrong.txt"
    wrong.write_text("sai rồi", encoding="utf-8")
    bad = may2.cli("sync", "import", str(locked), "--passphrase-file", str(wrong), ok=False)
    assert bad.exit_code != 0 and "mật khẩu không đúng" in bad.stderr
    good = may2.cli.json("sync", "import", str(locked), "--passphrase-file", str(secret))
    assert good["updated"] >= 1


def test_device_trust_revoke_and_show(office: dict[str, Any]) -> None:
    may1 = office["may-1"]
    info = may1.info()
    assert set(info) == {"id", "name", "fingerprint", "public_key"}
    assert info["name"] == "may-1"
    # One folder of keys per database (issue 15, finding 7), named by its device id.
    key_file = may1.data_dir / "keys" / info["id"] / "device_ed25519.pem"
    if sys.platform != "win32":  # chmod only sets read-only there: the folder's ACL protects
        assert key_file.stat().st_mode & 0o777 == 0o600
    assert may1.info() == info  # stable
    fake = "ab" * 32
    may1.cli("device", "trust", fake, "--name", "Máy lạ")
    listed = {d["name"]: d for d in may1.cli.json("device", "list")}
    assert listed["Máy lạ"]["trusted"] is True
    may1.cli("device", "revoke", fake)
    listed = {d["name"]: d for d in may1.cli.json("device", "list")}
    assert listed["Máy lạ"]["revoked"] is True and listed["Máy lạ"]["trusted"] is False
    assert may1.cli("device", "revoke", info["fingerprint"], ok=False).exit_code != 0
    assert may1.cli("device", "trust", "xyz", ok=False).exit_code != 0


def test_two_laptops_starting_the_same_visit_do_not_conflict(office: dict[str, Any]) -> None:
    """The visit's status and date follow from its findings: starting it edits no shared row."""
    may1, may2, sec, tmp = office["may-1"], office["may-2"], office["thu-ky"], office["tmp"]
    untouched = next(i for i in may1.cli.json("inspections") if i["done"] == 0)
    assert untouched["status"] == "chua-kiem-tra" and untouched["visit_date"] is None
    record(may1, untouched["id"], "A1.1.2", "--result", "dat")
    record(may2, untouched["id"], "A2.1.1", "--result", "khong-dat")
    f1, f2 = tmp / "bat-dau-1.kiemtra", tmp / "bat-dau-2.kiemtra"
    may1.cli("sync", "export", "-o", str(f1))
    may2.cli("sync", "export", "-o", str(f2))
    assert sec.cli.json("sync", "import", str(f1))["conflicts"] == 0
    assert sec.cli.json("sync", "import", str(f2))["conflicts"] == 0
    seen = next(i for i in sec.cli.json("inspections") if i["id"] == untouched["id"])
    assert seen["status"] == "dang-kiem-tra" and seen["done"] == 2
    assert seen["visit_date"] is not None
