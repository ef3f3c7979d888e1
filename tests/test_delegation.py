"""Issue 17: the delegation with Tổ kiểm tra and members assigned to units; exact visit
dates besides months."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report
from desktop.services import plan_workbook as pw
from desktop.services.errors import InputFileError
from tests.reports.test_pdf import text_of
from tests.test_plan_workbook import PLAN_2021, write_plan

UNITS = [
    [1, "Sở Y tế", "Sở/ngành", None, None, "Trực tiếp", "08/06/2021", None, "Tổ 1"],
    [2, "UBND huyện Mỹ Tú", "Huyện", None, 8, "Trực tiếp", None, None, "Tổ 2"],
]
MEMBERS = [
    ["Trần Văn Thắng", "Phó Giám đốc", "Sở Nội vụ", "Trưởng đoàn", "A1", None, None],
    ["Lý Minh Đức", "Trưởng phòng", "Sở Tư pháp", "Thành viên", "A2", "Tổ 1", None],
    ["Ngô Thị Lan", "Chuyên viên", "Sở Tài chính", "Thành viên", "A6", "Tổ 2", None],
    [
        "Võ Văn Hải",
        "Chuyên viên",
        "Văn phòng UBND tỉnh",
        "Thành viên",
        "A3",
        None,
        "ubnd huyen my tu",
    ],
    ["Phan Thị Mỹ Duyên", "Chuyên viên", "Sở Nội vụ", "Thư ký", None, None, None],
]


def test_teams_assignments_and_dates(tmp_path: Path, store: Store, kiemtra: Any) -> None:
    summary = pw.import_plan(store, write_plan(tmp_path / "doan.xlsx", PLAN_2021, UNITS, MEMBERS))
    visits = {v["unit"]: v for v in store.planning.inspections(summary["id"])}
    so = visits["Sở Y tế"]
    assert (so["visit_date"], so["month"], so["team"]) == ("2021-06-08", 6, "Tổ 1")
    members = {m["full_name"]: m for m in store.planning.members(summary["id"])}
    assert members["Lý Minh Đức"]["team"] == "Tổ 1"
    assert members["Võ Văn Hải"]["units"] == "UBND huyện Mỹ Tú"  # spelt as the schedule
    # The minutes name who worked at the unit: its team, those assigned, head and secretary.
    path = tmp_path / "bb.pdf"
    inspection_report(
        store, visits["UBND huyện Mỹ Tú"]["id"], "bien-ban", "pdf", path,
        ReportOptions(number="1", date=dt.date(2021, 8, 20)),
    )  # fmt: skip
    text = " ".join(text_of(path).split())
    for name in ("Trần Văn Thắng", "Ngô Thị Lan", "Võ Văn Hải", "Phan Thị Mỹ Duyên"):
        assert name in text
    assert "Lý Minh Đức" not in text
    store.close()
    listed = {r["unit"]: r for r in kiemtra.json("inspections", "--json")}
    assert listed["UBND huyện Mỹ Tú"]["team"] == "Tổ 2"


def test_a_member_assigned_to_an_unknown_unit_is_refused(tmp_path: Path, store: Store) -> None:
    members = [*MEMBERS[:1], [*MEMBERS[1][:6], "Sở Không Có"]]
    with pytest.raises(InputFileError) as caught:
        pw.import_plan(store, write_plan(tmp_path / "sai.xlsx", PLAN_2021, UNITS, members))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Đoàn kiểm tra", 3, "Đơn vị phụ trách")
