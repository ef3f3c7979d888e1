"""A device identity per database (issue 15, finding 7): two databases in one folder have
their own keys; a database copied or restored where its key is not gets a new device id and
key on first use (its history kept); `kiemtra device new-identity` gives one on demand."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from db import Store
from desktop.services.demo import build_demo
from tests.conftest import Kiemtra
from tests.sync.helpers import Laptop


def test_two_databases_in_one_folder_have_their_own_keys(tmp_path: Path) -> None:
    first, second = tmp_path / "mot.sqlite", tmp_path / "hai.sqlite"
    for path in (first, second):
        Store.open(path).close()
    one = Kiemtra(first).json("device", "show")
    two = Kiemtra(second).json("device", "show")
    assert one["id"] != two["id"] and one["fingerprint"] != two["fingerprint"]
    assert Kiemtra(first).json("device", "show") == one  # stable


def test_a_copied_database_gets_a_new_identity_with_its_history(tmp_path: Path) -> None:
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    old = a.info()
    a.close()
    # The original has exported what it wrote (its versions signed) before it was copied.
    original = tmp_path / "a.kiemtra"
    Kiemtra(a.db_path)("sync", "export", "-o", str(original), "--full")
    copy = tmp_path / "may-moi" / "kiemtra.sqlite"
    copy.parent.mkdir()
    shutil.copy2(a.db_path, copy)
    new = Kiemtra(copy).json("device", "show")
    assert new["id"] != old["id"] and new["fingerprint"] != old["fingerprint"]
    listed = {d["id"]: d for d in Kiemtra(copy).json("device", "list")}
    assert listed[old["id"]]["fingerprint"] == old["fingerprint"]
    assert not listed[old["id"]]["is_self"]
    # The original keeps its identity.
    assert Kiemtra(a.db_path).json("device", "show") == old
    # A laptop that has the original's data takes the copy's package once it trusts the new
    # key: what the old device wrote it has, and what the copy writes is the copy's own.
    r = Laptop(tmp_path, "thu-ky")
    r.cli("sync", "import", str(original), "--trust-new")
    store = Store.open(copy)
    finding = store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    store.core.update_row("findings", finding, {"note": "Ghi ở máy mới"})
    store.close()
    out = tmp_path / "copy.kiemtra"
    Kiemtra(copy)("sync", "export", "-o", str(out), "--full")
    result = r.cli.json("sync", "import", str(out), "--trust-new")
    assert result["updated"] == 1 and result["inserted"] == 0
    r.close()


def test_new_identity_on_demand(tmp_path: Path) -> None:
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    a.close()
    old = Kiemtra(a.db_path).json("device", "show")
    Kiemtra(a.db_path)("device", "new-identity")
    new = Kiemtra(a.db_path).json("device", "show")
    assert new["id"] != old["id"] and new["fingerprint"] != old["fingerprint"]
    assert new["name"] == old["name"]


def test_edits_not_yet_exported_survive_a_restore_on_a_replacement_laptop(
    tmp_path: Path,
) -> None:
    """Found by hand: S edits a finding, backs up, its laptop dies before the next export;
    the backup restored elsewhere takes a new identity, but the edit still claims the old
    device, whose key is gone: every laptop refuses the replacement's packages ("… ghi là
    của thiết bị … nhưng không có chữ ký của thiết bị đó") while the export said nothing."""
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    r = Laptop(tmp_path, "thu-ky")
    first = tmp_path / "a1.kiemtra"
    a.cli("sync", "export", "-o", str(first), "--full")
    r.cli("sync", "import", str(first), "--trust-new")
    finding = a.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    a.store.core.update_row("findings", finding, {"note": "Sửa rồi máy hỏng, chưa xuất"})
    a.close()
    copy = tmp_path / "may-thay-the" / "kiemtra.sqlite"
    copy.parent.mkdir()
    shutil.copy2(a.db_path, copy)
    shutil.rmtree(a.db_path.parent)  # the dead laptop, its keys with it
    out = tmp_path / "thay-the.kiemtra"
    Kiemtra(copy)("sync", "export", "-o", str(out))
    try:
        result = r.cli.json("sync", "import", str(out), "--trust-new")
        assert result["updated"] == 1
    finally:
        r.close()


def _replace(tmp_path: Path, a: Laptop, name: str = "may-thay-the") -> Path:
    """A's database restored on another laptop; A dies, its keys with it."""
    a.close()
    copy = tmp_path / name / "kiemtra.sqlite"
    copy.parent.mkdir()
    shutil.copy2(a.db_path, copy)
    shutil.rmtree(a.db_path.parent)
    return copy


def _row(path: Path, table: str, row_id: str) -> dict[str, Any]:
    store = Store.open(path)
    try:
        row = store.core.get_row(table, row_id)
        assert row is not None
        return row
    finally:
        store.close()


def _take_overs(path: Path) -> list[dict[str, Any]]:
    store = Store.open(path)
    try:
        return [
            {**dict(r), "old": json.loads(r["old"]), "new": json.loads(r["new"])}
            for r in store.db.query("SELECT * FROM audit_log WHERE action = 'take-over'")
        ]
    finally:
        store.close()


def test_a_restore_takes_over_only_what_was_never_exported(tmp_path: Path) -> None:
    """S's edit exported before the crash keeps S as its author (the receiver has it, proven
    by S's key); the one never exported is re-issued by the replacement, a plain successor
    of S's version: no conflict anywhere, the audit chain intact and saying so."""
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    old_id = a.info()["id"]
    r = Laptop(tmp_path, "thu-ky")
    first, second = tmp_path / "a1.kiemtra", tmp_path / "a2.kiemtra"
    a.cli("sync", "export", "-o", str(first))
    r.cli("sync", "import", str(first), "--trust-new")
    sent, unsent = (
        row[0] for row in a.store.db.execute("SELECT id FROM findings ORDER BY id LIMIT 2")
    )
    a.store.core.update_row("findings", sent, {"note": "Đã gửi trước khi hỏng"})
    a.cli("sync", "export", "-o", str(second))
    r.cli("sync", "import", str(second))
    a.store.core.update_row("findings", unsent, {"note": "Sửa rồi máy hỏng, chưa xuất"})
    before = a.store.core.get_row("findings", unsent)
    assert before is not None
    copy = _replace(tmp_path, a)
    replacement = Kiemtra(copy)
    new_id = replacement.json("device", "show")["id"]
    assert new_id != old_id

    kept, taken = _row(copy, "findings", sent), _row(copy, "findings", unsent)
    assert kept["origin"] == old_id and kept["hlc"].endswith(f".{old_id}")
    assert taken["origin"] == new_id and taken["hlc"].endswith(f".{new_id}")
    assert taken["base_hlc"] == before["hlc"] and taken["hlc"] > before["hlc"]
    hidden = ("hlc", "origin", "base_hlc")
    assert {k: v for k, v in taken.items() if k not in hidden} == {
        k: v for k, v in before.items() if k not in hidden
    }
    [entry] = _take_overs(copy)
    assert entry["old"] == {"device_id": old_id}
    assert entry["new"] == {"device_id": new_id, "versions": 1, "tables": {"findings": 1}}
    assert replacement.json("audit", "verify")["ok"] is True

    out = tmp_path / "thay-the.kiemtra"
    replacement("sync", "export", "-o", str(out))
    result = r.cli.json("sync", "import", str(out), "--trust-new")
    assert result["updated"] == 1 and result["conflicts"] == 0 and result["inserted"] == 0
    r.reopen()
    assert r.store.core.get_row("findings", sent) == kept
    assert r.store.core.get_row("findings", unsent) == taken
    assert r.store.sync.conflicts.read_all() == []
    assert r.cli.json("audit", "verify")["ok"] is True
    # Taking over happens once: the next start finds nothing more to take.
    assert replacement.json("device", "show")["id"] == new_id
    assert len(_take_overs(copy)) == 1
    r.close()


def test_a_replacement_meets_the_old_version_as_its_predecessor(tmp_path: Path) -> None:
    """A laptop that has S's version after all (the original lived on and exported it) sees
    the replacement's as a plain successor, whichever package comes first."""
    for order in ("old-first", "new-first"):
        root = tmp_path / order
        root.mkdir()
        a = Laptop(root, "may-a")
        build_demo(a.store)
        r = Laptop(root, "thu-ky")
        first = root / "a1.kiemtra"
        a.cli("sync", "export", "-o", str(first))
        r.cli("sync", "import", str(first), "--trust-new")
        finding = a.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
        a.store.core.update_row("findings", finding, {"note": "Sửa, chưa xuất"})
        a.close()
        copy = root / "ban-sao" / "kiemtra.sqlite"
        copy.parent.mkdir()
        shutil.copy2(a.db_path, copy)
        from_copy, from_original = root / "copy.kiemtra", root / "original.kiemtra"
        Kiemtra(copy)("sync", "export", "-o", str(from_copy))
        Kiemtra(a.db_path)("sync", "export", "-o", str(from_original))
        packages = [from_original, from_copy]
        if order == "new-first":
            packages.reverse()
        outcomes = [r.cli.json("sync", "import", str(p), "--trust-new") for p in packages]
        assert [o["conflicts"] for o in outcomes] == [0, 0]
        r.reopen()
        assert r.store.core.get_row("findings", finding) == _row(copy, "findings", finding)
        r.close()


def test_new_identity_with_the_old_key_signs_what_it_never_exported(tmp_path: Path) -> None:
    """`device new-identity` where the old key is: the edits not yet exported are signed with
    it before the switch and travel on as the old device's; nothing is taken over."""
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    old_id = a.info()["id"]
    r = Laptop(tmp_path, "thu-ky")
    first = tmp_path / "a1.kiemtra"
    a.cli("sync", "export", "-o", str(first))
    r.cli("sync", "import", str(first), "--trust-new")
    finding = a.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    edited = a.store.core.update_row("findings", finding, {"note": "Sửa, chưa xuất"})
    a.close()
    a.cli("device", "new-identity")
    assert a.info()["id"] != old_id
    assert _take_overs(a.db_path) == []
    assert _row(a.db_path, "findings", finding) == edited
    out = tmp_path / "moi.kiemtra"
    a.cli("sync", "export", "-o", str(out))
    result = r.cli.json("sync", "import", str(out), "--trust-new")
    assert result["updated"] == 1 and result["conflicts"] == 0
    r.reopen()
    assert r.store.core.get_row("findings", finding) == edited
    assert edited["origin"] == old_id
    assert a.cli.json("audit", "verify")["ok"] is True
    r.close()


def _losing_side(
    tmp_path: Path,
) -> tuple[Laptop, Laptop, str, dict[str, Any], dict[str, Any]]:
    """A's unexported edit of a finding lost to a newer one from R: it waits in a conflict
    beside it on A (the row shows R's). Returns A (closed), R, the finding, A's, R's."""
    a = Laptop(tmp_path, "may-a")
    build_demo(a.store)
    r = Laptop(tmp_path, "thu-ky")
    first = tmp_path / "a1.kiemtra"
    a.cli("sync", "export", "-o", str(first))
    r.cli("sync", "import", str(first), "--trust-new")
    finding = a.store.db.execute("SELECT id FROM findings LIMIT 1").fetchone()[0]
    mine = a.store.core.update_row("findings", finding, {"note": "Của máy hỏng"})
    r.reopen()
    theirs = r.store.core.update_row("findings", finding, {"note": "Của thư ký"})
    assert theirs["hlc"] > mine["hlc"]
    from_r = tmp_path / "r1.kiemtra"
    r.cli("sync", "export", "-o", str(from_r))
    a.close()
    assert a.cli.json("sync", "import", str(from_r), "--trust-new")["conflicts"] == 1
    assert _row(a.db_path, "findings", finding)["note"] == "Của thư ký"
    return a, r, finding, mine, theirs


def test_new_identity_with_the_old_key_signs_its_side_of_a_conflict(tmp_path: Path) -> None:
    """The losing side of a conflict is carried by every export too: signed with the old
    key before the switch, it reaches R as the old device's (the same conflict there)."""
    a, r, finding, mine, theirs = _losing_side(tmp_path)
    a.cli("device", "new-identity")
    assert _take_overs(a.db_path) == []
    out = tmp_path / "moi.kiemtra"
    a.cli("sync", "export", "-o", str(out))
    result = r.cli.json("sync", "import", str(out), "--trust-new")
    assert result["conflicts"] == 1
    r.reopen()
    [there] = r.store.sync.conflicts.read_all()
    assert {there[s]["hlc"] for s in ("local", "remote")} == {mine["hlc"], theirs["hlc"]}
    r.close()


def test_a_restore_takes_over_its_side_of_a_conflict(tmp_path: Path) -> None:
    """A's unexported edit waits in a conflict beside R's newer one: the replacement
    re-issues A's side (now the newest, the row shows it) and the conflict stands between
    the two, here and on R."""
    a, r, finding, mine, theirs = _losing_side(tmp_path)
    copy = _replace(tmp_path, a)
    replacement = Kiemtra(copy)
    new_id = replacement.json("device", "show")["id"]
    shown = _row(copy, "findings", finding)
    assert shown["note"] == "Của máy hỏng" and shown["origin"] == new_id
    assert shown["base_hlc"] == mine["hlc"]
    [conflict] = replacement.json("sync", "conflicts")
    store = Store.open(copy)
    try:
        [open_conflict] = store.sync.conflicts.read_all()
        sides = {open_conflict[s]["hlc"] for s in ("local", "remote")}
        assert sides == {theirs["hlc"], shown["hlc"]}
        assert open_conflict["local"]["origin"] == new_id
    finally:
        store.close()
    assert conflict
    out = tmp_path / "thay-the.kiemtra"
    replacement("sync", "export", "-o", str(out))
    result = r.cli.json("sync", "import", str(out), "--trust-new")
    assert result["conflicts"] == 1
    r.reopen()
    [there] = r.store.sync.conflicts.read_all()
    assert {there[s]["hlc"] for s in ("local", "remote")} == sides
    assert r.store.core.get_row("findings", finding) == shown
    r.close()
