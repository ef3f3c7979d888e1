"""The issuer named from the plan (tỉnh / Thành phố), document numbers "05", and the signer
of Sở Nội vụ's documents: read back from the PDF and the DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from db import Store
from desktop.domain import Result, Role, UnitLevel, department_signer, locality
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report
from desktop.services import findings, reminders
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan
from tests.reports.test_docx_xlsx_cli import all_text
from tests.reports.test_pdf import text_of

UNIT = "UBND quận Ba Đình"
OPTS = ReportOptions(number="5", date=dt.date(2025, 7, 5))


def _read(path: Path) -> str:
    if path.suffix == ".pdf":
        return text_of(path)
    return all_text(docx.Document(str(path)))


def _plan(store: Store, issuer: str, province: str, members: list[MemberSpec]) -> tuple[str, str]:
    plan = create_plan(
        store,
        PlanSpec(
            number="21/KH-UBND",
            year=2025,
            issuer=issuer,
            issued_on=dt.date(2025, 2, 2),
            province=province,
            units=[UnitSpec(UNIT, UnitLevel.HUYEN, 6)],
            members=members,
        ),
    )
    visit = str(store.planning.inspections(plan)[0]["id"])
    items = [i for i in store.findings.inspection_items(visit) if i["max_score"] > 0]
    findings.record(store, visit, items[0]["code"], result=Result.DAT)
    findings.record(store, visit, items[1]["code"], result=Result.KHONG_DAT, note="Chưa ban hành")
    return plan, visit


def _documents(store: Store, plan: str, visit: str, tmp_path: Path) -> dict[str, str]:
    out = {}
    for fmt in ("pdf", "docx"):
        for kind in ("bien-ban", "ket-luan"):
            path = tmp_path / f"{kind}.{fmt}"
            inspection_report(store, visit, kind, fmt, path, OPTS)
            out[f"{kind}.{fmt}"] = _read(path)
        path = tmp_path / f"bao-cao.{fmt}"
        plan_report(store, plan, fmt, path, OPTS)
        out[f"bao-cao.{fmt}"] = _read(path)
    return out


@pytest.mark.parametrize(
    ("province", "issuer", "parent", "named"),
    [
        ("Hà Nội", "Ủy ban nhân dân thành phố Hà Nội", "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội"),
        ("TP. Hồ Chí Minh", "UBND TP. Hồ Chí Minh", "UBND THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh"),
        ("Huế", "Ủy ban nhân dân thành phố Huế", "UBND THÀNH PHỐ HUẾ", "Huế"),
    ],
)
def test_a_city_plan_names_the_city(
    store: Store, tmp_path: Path, province: str, issuer: str, parent: str, named: str
) -> None:
    plan, visit = _plan(store, issuer, province, [])
    texts = _documents(store, plan, visit, tmp_path)
    for name, text in texts.items():
        assert parent in text, name
        assert "TỈNH" not in text and "tỉnh" not in text, name
    for fmt in ("pdf", "docx"):
        report = texts[f"bao-cao.{fmt}"]
        assert f"Kính gửi: UBND Thành phố {named}" in report
        assert "UBND Thành phố (để báo cáo)" in report
        assert "UBND Thành phố (để báo cáo)" in texts[f"ket-luan.{fmt}"]
        assert "Ủy ban nhân dân Thành phố" in texts[f"ket-luan.{fmt}"]


def test_a_province_plan_stays_a_province(store: Store, tmp_path: Path) -> None:
    plan, visit = _plan(store, "Ủy ban nhân dân tỉnh Sóc Trăng", "Sóc Trăng", [])
    text = _documents(store, plan, visit, tmp_path)["bao-cao.pdf"]
    assert "UBND TỈNH SÓC TRĂNG" in text and "Kính gửi: UBND tỉnh Sóc Trăng" in text
    assert "THÀNH PHỐ" not in text


def test_locality_levels() -> None:
    assert locality("Cần Thơ", "Ủy ban nhân dân tỉnh Cần Thơ").city  # a fact, whatever typed
    assert locality("", "UBND thành phố Đà Nẵng").parent_body == "UBND THÀNH PHỐ ĐÀ NẴNG"
    assert locality("Hải Phòng").committee_named == "UBND Thành phố Hải Phòng"
    assert not locality("Thừa Thiên Huế").city
    assert locality("", "Ủy ban nhân dân tỉnh").parent_body == "UBND TỈNH ……"


def test_numbers_below_ten_take_a_zero(store: Store, tmp_path: Path) -> None:
    plan, visit = _plan(store, "Ủy ban nhân dân tỉnh Sóc Trăng", "Sóc Trăng", [])
    texts = _documents(store, plan, visit, tmp_path)
    for fmt in ("pdf", "docx"):
        assert "Số: 05/TB-SNV" in texts[f"ket-luan.{fmt}"]
        assert "Số: 05/BB-ĐKT" in texts[f"bien-ban.{fmt}"]
        assert "Số: 05/BC-SNV" in texts[f"bao-cao.{fmt}"]
    path = tmp_path / "x.pdf"
    inspection_report(
        store, visit, "ket-luan", "pdf", path, ReportOptions(number="7/TB-SNV", date=OPTS.date)
    )
    assert "Số: 07/TB-SNV" in text_of(path)


@pytest.mark.parametrize(
    ("members", "titles", "name"),
    [
        ([], ["GIÁM ĐỐC"], ""),
        (
            [MemberSpec("Lê Văn Tám", Role.TRUONG_DOAN, "Trưởng phòng CCHC", "Sở Nội vụ")],
            ["GIÁM ĐỐC"],
            "",
        ),
        (
            [MemberSpec("Trần Văn Thắng", Role.TRUONG_DOAN, "Phó Giám đốc", "Sở Nội vụ")],
            ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
            "Trần Văn Thắng",
        ),
    ],
)
def test_department_documents_are_signed_for_the_department(
    store: Store, tmp_path: Path, members: list[MemberSpec], titles: list[str], name: str
) -> None:
    plan, visit = _plan(store, "Ủy ban nhân dân tỉnh Sóc Trăng", "Sóc Trăng", members)
    texts = _documents(store, plan, visit, tmp_path)
    for kind in ("ket-luan", "bao-cao"):
        for fmt in ("pdf", "docx"):
            text = texts[f"{kind}.{fmt}"]
            assert "TRƯỞNG ĐOÀN" not in text, (kind, fmt)
            assert all(t in text for t in titles), (kind, fmt)
            assert "Lê Văn Tám" not in text.split("Nơi nhận")[-1]
            if name:
                assert name in text.split("Nơi nhận")[-1]
    # The minutes are the delegation's own: its head signs as Trưởng đoàn.
    assert "TRƯỞNG ĐOÀN" in texts["bien-ban.pdf"]
    # The reminder: the same rule, the same block.
    rec = store.core.insert_row(
        "recommendations",
        {"inspection_id": visit, "number": 1, "text": "Ban hành", "deadline": "2025-03-01"},
    )
    assert rec
    letter = reminders.reminder_letter(store, visit, today=dt.date(2025, 7, 5), number="3")
    assert (letter.signer_titles, letter.signer_name) == (titles, name)
    assert letter.number.startswith("Số: 03/")
    assert department_signer("Giám đốc Sở Nội vụ", "Nguyễn A") == (["GIÁM ĐỐC"], "Nguyễn A")


def test_reminder_names_the_city(store: Store) -> None:
    _, visit = _plan(store, "Ủy ban nhân dân thành phố Hà Nội", "Hà Nội", [])
    store.core.insert_row(
        "recommendations",
        {"inspection_id": visit, "number": 1, "text": "Ban hành", "deadline": "2025-03-01"},
    )
    letter = reminders.reminder_letter(store, visit, today=dt.date(2025, 7, 5))
    assert letter.parent_body == "UBND THÀNH PHỐ HÀ NỘI"
    body = " ".join([*letter.paragraphs, *letter.closing, *letter.recipients])
    assert "tỉnh" not in body and "Ủy ban nhân dân Thành phố" in body
    assert "- UBND Thành phố (để báo cáo);" in letter.recipients
