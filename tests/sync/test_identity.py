"""A device identity per database (issue 15, finding 7): two databases in one folder have
their own keys; a database copied or restored where its key is not gets a new device id and
key on first use (its history kept); `kiemtra device new-identity` gives one on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
    original = tmp_path / "a.kiemtra"
    Kiemtra(a.db_path)("sync", "export", "-o", str(original), "--full")
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


@pytest.mark.xfail(
    strict=True,
    reason="open (attack session): edits the old device never exported cannot be proven "
    "once its key is gone; a replacement laptop's packages carrying them are refused",
)
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
