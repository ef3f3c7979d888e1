"""Issue 17: a visit added on a laptop and a plan amended at the office travel by sync."""

from __future__ import annotations

from pathlib import Path

from tests.sync.helpers import Laptop
from tests.test_plan_workbook import MEMBERS, PLAN_2021, UNITS_2021, write_plan


def test_added_visit_and_amended_plan_travel(tmp_path: Path) -> None:
    office, laptop = Laptop(tmp_path, "so-noi-vu"), Laptop(tmp_path, "may-1")
    try:
        office.cli("device", "trust", laptop.info()["fingerprint"], "--name", "may-1")
        laptop.cli("device", "trust", office.info()["fingerprint"], "--name", "Sở Nội vụ")
        v1 = write_plan(tmp_path / "v1.xlsx", PLAN_2021, UNITS_2021, MEMBERS)
        plan_id = office.cli.json("plan", "import", str(v1), "--json")["id"]
        package = tmp_path / "ke-hoach.kiemtra"
        office.cli("sync", "export", "-o", str(package), "--plan", plan_id, "--full")
        laptop.cli.json("sync", "import", str(package))

        added = laptop.cli.json(
            "inspection", "add", "--plan", plan_id, "--unit", "UBND phường 2",
            "--level", "Phường", "--kind", "dot-xuat", "--date", "03/06/2021", "--json",
        )  # fmt: skip
        back = tmp_path / "may-1.kiemtra"
        laptop.cli("sync", "export", "-o", str(back), "--plan", plan_id)
        assert office.cli.json("sync", "import", str(back))["conflicts"] == 0
        office.reopen()
        row = office.store.planning.inspection(added["id"])
        assert row is not None
        assert (row["unit_name"], row["kind"], row["level_name"], row["visit_date"]) == (
            "UBND phường 2",
            "dot-xuat",
            "Phường",
            "2021-06-03",
        )

        units = [
            *UNITS_2021,
            [5, "Sở Y tế", "Sở/ngành", None, 3, "Qua báo cáo", None, None, "Tổ 2"],
        ]
        members = [[*MEMBERS[0], "Tổ 1", "Sở Y tế; UBND huyện Mỹ Tú"], *MEMBERS[1:]]
        v2 = write_plan(tmp_path / "v2.xlsx", PLAN_2021, units, members)
        # The visit added on the laptop is not in the office's file: kept only if allowed.
        office.cli("plan", "import", str(v2), "--update", "--allow-remove")
        again = tmp_path / "ke-hoach-2.kiemtra"
        office.cli("sync", "export", "-o", str(again), "--plan", plan_id)
        assert laptop.cli.json("sync", "import", str(again))["conflicts"] == 0
        laptop.reopen()
        kinds = {(i["unit"], i["kind"]): i for i in laptop.store.planning.inspections(plan_id)}
        assert kinds[("Sở Y tế", "qua-bao-cao")]["team"] == "Tổ 2"
        assert ("UBND phường 2", "dot-xuat") not in kinds  # removed at the office, by choice
        head = laptop.store.planning.members(plan_id)[0]
        assert (head["team"], head["units"]) == ("Tổ 1", "Sở Y tế\nUBND huyện Mỹ Tú")
    finally:
        office.close()
        laptop.close()
