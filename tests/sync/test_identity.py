"""A device identity per database (issue 15, finding 7): two databases in one folder have
their own keys; a database copied or restored where its key is not gets a new device id and
key on first use (its history kept); `kiemtra device new-identity` gives one on demand."""

from __future__ import annotations

import shutil
from pathlib import Path

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
