"""Issue 17, done when: a pre-2025 city plan (Hà Nội, issued by a thành phố) with all four
kinds and sub-units three levels deep, and a 2025 plan of departments and communes with a
random unannounced visit added on site, made on one laptop and synced to the office; the
re-inspection shows last time's recommendations and what was fixed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx

from desktop.services.checklists import TWO_LEVEL_FILE, default_version_id, load_default
from tests.reports.test_docx_xlsx_cli import all_text
from tests.sync.helpers import Laptop, dump
from tests.test_plan_workbook import write_plan

HANOI_2021 = {
    "Số kế hoạch": "86/KH-UBND",
    "Ngày ban hành": "05/03/2021",
    "Năm": 2021,
    "Cơ quan ban hành": "Ủy ban nhân dân thành phố Hà Nội",
    "Tỉnh/Thành phố": "Hà Nội",
}
UNITS_2021 = [
    [1, "Sở Y tế", "Sở/ngành", None, 5, "Trực tiếp"],
    [2, "Sở Tư pháp", "Sở/ngành", None, 4, "Qua báo cáo"],
    [3, "Sở Tư pháp", "Sở/ngành", None, None, "Đột xuất"],
    [4, "UBND quận Hoàn Kiếm", "Quận", None, 6, "Trực tiếp"],
    [5, "UBND phường Hàng Trống", "Phường", "UBND quận Hoàn Kiếm", None, None],
    [
        6,
        "Bộ phận Một cửa phường Hàng Trống",
        "Bộ phận Một cửa",
        "UBND phường Hàng Trống",
        None,
        None,
    ],
    [7, "Sở Tài chính", "Sở/ngành", None, 7, "Trực tiếp", "14/07/2021", None, "Tổ 2"],
    [8, "Chi cục Tài chính doanh nghiệp", "Chi cục", "Sở Tài chính", None, None],
    [9, "Phòng Tổng hợp", "Phòng/Ban", "Chi cục Tài chính doanh nghiệp", None, None],
    [10, "UBND thị xã Sơn Tây", "Thị xã", None, 9, "Tái kiểm tra"],
]
MEMBERS_2021 = [
    ["Nguyễn Văn Hùng", "Phó Giám đốc", "Sở Nội vụ", "Trưởng đoàn", "A1, A4, A5", None, None],
    ["Lê Thị Hoa", "Trưởng phòng", "Sở Tài chính", "Thành viên", "A6", "Tổ 2", None],
    ["Trần Minh Tâm", "Chuyên viên", "Sở Nội vụ", "Thư ký", None, None, None],
]
HANOI_2025 = {
    "Số kế hoạch": "215/KH-UBND",
    "Ngày ban hành": "20/08/2025",
    "Năm": 2025,
    "Cơ quan ban hành": "Ủy ban nhân dân thành phố Hà Nội",
    "Tỉnh/Thành phố": "Hà Nội",
}
UNITS_2025 = [
    [1, "Sở Y tế", "Sở/ngành", None, 10, "Tái kiểm tra", None, "86/KH-UBND"],
    [2, "Sở Nội vụ", "Sở/ngành", None, 10, "Trực tiếp"],
    [3, "UBND phường Hoàn Kiếm", "Phường", None, 11, "Trực tiếp"],
    [4, "Trung tâm phục vụ hành chính công phường Hoàn Kiếm", "Trung tâm phục vụ hành chính công",
     "UBND phường Hoàn Kiếm", None, None],
    [5, "UBND xã Sóc Sơn", "Xã", None, 11, "Trực tuyến"],
]  # fmt: skip


def visits(laptop: Laptop, plan_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(v["unit"], v["kind"]): v for v in laptop.cli.json("inspections", "--plan", plan_id)}


def test_city_plans_before_and_after_2025_travel_to_the_office(tmp_path: Path) -> None:
    laptop, office = Laptop(tmp_path, "may-1"), Laptop(tmp_path, "so-noi-vu")
    other = Laptop(tmp_path, "may-2")
    try:
        plan_2025, reinspection, shown = _run(tmp_path, laptop, office)
        # Only the 2025 plan to a laptop that never had the 2021 one: the re-inspected plan
        # comes along, so the package is whole and the re-inspection starts from 2021.
        other.cli("device", "trust", laptop.info()["fingerprint"], "--name", "may-1")
        package = tmp_path / "ke-hoach-2025.kiemtra"
        laptop.cli("sync", "export", "-o", str(package), "--plan", plan_2025, "--full")
        assert other.cli.json("sync", "import", str(package))["conflicts"] == 0
        assert other.cli.json("recommendations", reinspection, "--json") == shown
    finally:
        for device in (laptop, office, other):
            device.close()


def _run(tmp: Path, laptop: Laptop, office: Laptop) -> tuple[str, str, Any]:
    old = write_plan(tmp / "ha-noi-2021.xlsx", HANOI_2021, UNITS_2021, MEMBERS_2021)
    plan_2021 = laptop.cli.json("plan", "import", str(old), "--json")["id"]
    before = visits(laptop, plan_2021)
    assert {k for _, k in before} == {"theo-ke-hoach", "dot-xuat", "qua-bao-cao", "tai-kiem-tra"}
    desk = before[("Bộ phận Một cửa phường Hàng Trống", "theo-ke-hoach")]
    ward = before[("UBND phường Hàng Trống", "theo-ke-hoach")]
    district = before[("UBND quận Hoàn Kiếm", "theo-ke-hoach")]
    assert desk["parent_id"] == ward["id"] and ward["parent_id"] == district["id"]
    assert (desk["level"], district["level_name"]) == ("xa", "Quận")
    phong = before[("Phòng Tổng hợp", "theo-ke-hoach")]
    assert before[("Chi cục Tài chính doanh nghiệp", "theo-ke-hoach")]["id"] == phong["parent_id"]

    # Last time's recommendations at Sở Y tế: one fixed and verified, one not.
    so_2021 = before[("Sở Y tế", "theo-ke-hoach")]["id"]
    laptop.cli("inspection", "set", so_2021, "--date", "20/05/2021")
    recs = [
        laptop.cli.json(
            "recommendation", "add", so_2021, "--text", text, "--deadline", "30/06/2021"
        )["id"]
        for text in ("Ban hành kế hoạch CCHC đúng hạn", "Niêm yết đủ thủ tục hành chính")
    ]
    laptop.cli(
        "remediation", "add", recs[0], "--date", "25/06/2021", "--doc", "30/BC-SYT",
        "--note", "Đã ban hành",
    )  # fmt: skip
    laptop.cli("remediation", "verify", recs[0], "--ok", "--note", "Đạt")
    # The city's level reaches its documents.
    notice = tmp / "tb.docx"
    laptop.cli(
        "report", so_2021, "--kind", "ket-luan", "--format", "docx", "-o", str(notice),
        "--date", "01/06/2021",
    )  # fmt: skip
    text = all_text(docx.Document(str(notice)))
    assert "UBND THÀNH PHỐ HÀ NỘI" in text and "TỈNH" not in text

    new = write_plan(tmp / "ha-noi-2025.xlsx", HANOI_2025, UNITS_2025, MEMBERS_2021[:1])
    plan_2025 = laptop.cli.json("plan", "import", str(new), "--json")["id"]
    random_visit = laptop.cli.json(
        "inspection", "add", "--plan", plan_2025, "--unit", "UBND phường Ba Đình",
        "--level", "Phường", "--kind", "dot-xuat", "--date", "16/09/2025", "--json",
    )  # fmt: skip
    after = visits(laptop, plan_2025)
    two_level = default_version_id(load_default(TWO_LEVEL_FILE))
    laptop.reopen()
    for visit in after.values():
        row = laptop.store.planning.inspection(visit["id"])
        assert row is not None and row["checklist_version_id"] == two_level
    centre = after[("Trung tâm phục vụ hành chính công phường Hoàn Kiếm", "theo-ke-hoach")]
    items = {i["code"] for i in laptop.store.findings.inspection_items(centre["id"])}
    assert "A3.5.1" in items
    reinspection = after[("Sở Y tế", "tai-kiem-tra")]
    assert reinspection["reinspects_id"] == so_2021
    shown = laptop.cli.json("recommendations", reinspection["id"], "--json")
    assert [(r["earlier"], r["number"], r["fixed"]) for r in shown] == [
        (True, 1, True),
        (True, 2, False),
    ]

    # The laptop's work reaches the office.
    office.cli("device", "trust", laptop.info()["fingerprint"], "--name", "may-1")
    package = tmp / "may-1.kiemtra"
    laptop.cli("sync", "export", "-o", str(package), "--full")
    result = office.cli.json("sync", "import", str(package))
    assert result["conflicts"] == 0 and result["inserted"] > 0
    office.reopen()
    laptop.reopen()
    mine, theirs = dump(laptop.store), dump(office.store)
    for table in ("plans", "units", "inspections", "members", "recommendations", "remediations"):
        assert theirs[table] == mine[table], table
    at_office = office.store.planning.inspection(random_visit["id"])
    assert at_office is not None
    assert (at_office["kind"], at_office["visit_date"], at_office["level_name"]) == (
        "dot-xuat",
        "2025-09-16",
        "Phường",
    )
    assert office.cli.json("recommendations", reinspection["id"], "--json") == shown
    assert dt.date(2025, 9, 16).month == at_office["month"]
    return plan_2025, reinspection["id"], shown
