"""The shipped default checklist is the same rows on every laptop: sync never copies it."""

from __future__ import annotations

from pathlib import Path

from desktop.services.checklists import default_version_id, load_default
from tests.sync.helpers import Laptop, dump

TABLES = ("checklist_versions", "checklist_areas", "checklist_criteria", "checklist_items")


def checklist_rows(laptop: Laptop) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: [tuple(r) for r in laptop.store.db.execute(f"SELECT * FROM {t} ORDER BY id")]
        for t in TABLES
    }


def test_two_fresh_laptops_hold_one_identical_default(tmp_path: Path) -> None:
    a, b = Laptop(tmp_path, "may-a"), Laptop(tmp_path, "may-b")
    try:
        for laptop in (a, b):
            laptop.cli("init")
            laptop.cli("init")  # safe to repeat
            laptop.reopen()
        fa, fb = checklist_rows(a), checklist_rows(b)
        assert fa == fb  # byte-identical rows, stamps included
        (version,) = fa["checklist_versions"]
        assert version[0] == default_version_id(load_default())
        items = a.store.db.execute(
            "SELECT DISTINCT hlc, origin, base_hlc FROM checklist_items"
        ).fetchall()
        assert [tuple(r) for r in items] == [("0000000000000.00000.default", "default", None)]

        for laptop in (a, b):
            other = b if laptop is a else a
            laptop.cli("device", "trust", other.info()["fingerprint"], "--name", other.name)
        pa, pb = tmp_path / "a.kiemtra", tmp_path / "b.kiemtra"
        a.cli("sync", "export", "-o", str(pa))
        b.cli("sync", "export", "-o", str(pb))
        into_b = b.cli.json("sync", "import", str(pa))
        into_a = a.cli.json("sync", "import", str(pb))
        for result in (into_a, into_b):
            assert result["inserted"] == result["updated"] == result["conflicts"] == 0
            assert result["unchanged"] == sum(len(rows) for rows in fa.values())
        for laptop in (a, b):
            laptop.reopen()
            assert len(laptop.cli.json("checklist", "show")["areas"]) == 8
            count = laptop.store.db.execute("SELECT count(*) FROM checklist_versions").fetchone()
            assert count[0] == 1
        assert dump(a.store) == dump(b.store)
    finally:
        a.close()
        b.close()


def test_a_users_checklist_keeps_normal_stamps_and_travels(tmp_path: Path) -> None:
    a, b = Laptop(tmp_path, "may-a"), Laptop(tmp_path, "may-b")
    try:
        for laptop in (a, b):
            laptop.cli("init")
        a.cli("checklist", "export", "-o", str(tmp_path / "ds.xlsx"))
        made = a.cli.json("checklist", "import", str(tmp_path / "ds.xlsx"), "--version", "2027.1")
        a.reopen()
        row = a.store.core.get_row("checklist_versions", made["id"])
        assert row["origin"] == a.store.device_id and row["hlc"] != "0000000000000.00000.default"
        b.cli("device", "trust", a.info()["fingerprint"], "--name", "may-a")
        a.cli("sync", "export", "-o", str(tmp_path / "a.kiemtra"))
        b.cli.json("sync", "import", str(tmp_path / "a.kiemtra"))
        b.reopen()
        versions = b.store.checklists.checklist_versions()
        assert [v["version"] for v in versions] == ["2027.1", "2026.1"]
        assert b.store.checklists.current_checklist_version() == made["id"]
    finally:
        a.close()
        b.close()
