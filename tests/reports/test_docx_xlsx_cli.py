"""DOCX and XLSX read back; the command line; a 200-unit plan."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.shared import Mm

from db import Store
from desktop.domain import Result, UnitLevel
from desktop.reports.compilation_xlsx import HEADER_ROW, sheet_name
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report, plan_summary
from desktop.services.plans import PlanSpec, UnitSpec, create_plan
from tests.reports.conftest import DIACRITICS_UNIT, LONG_NOTE, Sample

OPTS = ReportOptions(number="12", date=dt.date(2021, 1, 5))


def all_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_docx_notice(store: Store, sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "tb.docx"
    inspection_report(store, sample.unit, "ket-luan", "docx", out, OPTS)
    d = docx.Document(str(out))
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 13
    fonts = normal.element.rPr.rFonts
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "Times New Roman"
    assert fonts.get(docx.oxml.ns.qn("w:cs")) == "Times New Roman"
    section = d.sections[0]
    measured = [
        section.page_width,
        section.page_height,
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    ]
    expected = [Mm(210), Mm(297), Mm(30), Mm(15), Mm(20), Mm(20)]
    assert all(abs(a - b) < Mm(0.1) for a, b in zip(measured, expected, strict=True))
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    text = all_text(d)
    assert DIACRITICS_UNIT in text and LONG_NOTE.strip() in text
    assert "Số: 12/TB-SNV" in text and "Sóc Trăng, ngày 05 tháng 01 năm 2021" in text
    assert "Thời hạn khắc phục: 27/01/2021" in text
    assert "Nơi nhận:" in text and "./." in text
    assert "THÔNG BÁO" in [p.text for p in d.paragraphs]


def test_docx_minutes_and_campaign(store: Store, sample: Sample, tmp_path: Path) -> None:
    inspection_report(store, sample.empty, "bien-ban", "docx", tmp_path / "bb.docx", OPTS)
    assert "Chưa ghi nhận kết quả kiểm tra." in all_text(docx.Document(str(tmp_path / "bb.docx")))
    plan_report(store, sample.plan, "docx", tmp_path / "bc.docx", OPTS)
    d = docx.Document(str(tmp_path / "bc.docx"))
    assert "PHỤ LỤC" in all_text(d)
    # the charts: pictures (desktop.reports.charts), as in the PDF
    assert len(d.inline_shapes) == 2


def test_xlsx_compilation(store: Store, sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "th.xlsx"
    plan_summary(store, sample.plan, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["Tổng hợp"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:4] == ["TT", "Đơn vị", "Cấp", "Tháng"]
    assert header[-7:] == [
        "Tổng điểm",
        "Tự chấm",
        "Điểm tối đa",
        "Tỷ lệ (%)",
        "Xếp hạng trong cấp",
        "Số nội dung không đạt",
        "Số kiến nghị",
    ]
    assert any(h.startswith("A1.") for h in header[4:-7])
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    row = [c for c in ws[HEADER_ROW + 1]]
    assert row[1].value == DIACRITICS_UNIT
    pct_cell = row[header.index("Tỷ lệ (%)")]
    assert pct_cell.number_format == "0.0%" and 0 < pct_cell.value < 1
    assert row[header.index("Tổng điểm")].number_format == "0.00"
    # 4 items of many recorded: a provisional score, not a final rank
    assert row[header.index("Xếp hạng trong cấp")].value.startswith("Tạm tính (4/")
    assert row[header.index("Số nội dung không đạt")].value == 2
    # no recommendation recorded: none counted (derived ones are never issued, issue 14)
    assert row[header.index("Số kiến nghị")].value == 0
    assert row[header.index("Tự chấm")].value is None  # the unit gave no points of its own
    # "Sở Y tế" has nothing recorded yet: blank numbers, not zeros
    unvisited = [c.value for c in ws[HEADER_ROW + 2]]
    assert unvisited[1] == "Sở Y tế"
    assert unvisited[4:] == [None] * (len(header) - 4)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert len(wb.sheetnames) == 3
    unit = wb[wb.sheetnames[1]]
    assert len(wb.sheetnames[1]) <= 31
    assert [c.value for c in unit[HEADER_ROW]] == [
        "Mã",
        "Nội dung",
        "Kết quả",
        "Điểm",
        "Điểm tối đa",
        "Nhận xét",
        "Tài liệu kiểm chứng",
    ]
    assert unit.freeze_panes == f"A{HEADER_ROW + 1}" and unit.auto_filter.ref
    bad = [r for r in unit.iter_rows(min_row=HEADER_ROW + 1) if r[2].value == "Không đạt"]
    assert bad and bad[0][0].fill.fgColor.rgb.endswith("FBE3E1")
    assert bad[0][5].value == LONG_NOTE
    good = [r for r in unit.iter_rows(min_row=HEADER_ROW + 1) if r[2].value == "Đạt"]
    assert good[0][0].fill.fgColor.rgb in ("00000000", None)


def test_sheet_names_valid_and_unique() -> None:
    taken = {"Tổng hợp"}
    long = "Sở Văn hóa, Thể thao và Du lịch tỉnh [Sóc Trăng]: phòng */?\\"
    a = sheet_name(long, taken)
    b = sheet_name(long, taken)
    assert a != b and len(a) <= 31 and len(b) <= 31
    assert not set("[]:*?/\\") & set(a + b)
    assert sheet_name("Tổng hợp", taken) != "Tổng hợp"


def test_cli_commands(kiemtra, store: Store, sample: Sample, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kiemtra(
        "report",
        sample.unit,
        "--kind",
        "ket-luan",
        "--format",
        "pdf",
        "-o",
        str(tmp_path / "tb.pdf"),
        "--number",
        "3",
        "--date",
        "05/01/2021",
        "--signer",
        "Lê Văn Ký",
    )
    assert (tmp_path / "tb.pdf").stat().st_size > 1000
    kiemtra(
        "report",
        sample.unit,
        "--kind",
        "bien-ban",
        "--format",
        "docx",
        "-o",
        str(tmp_path / "bb.docx"),
    )
    kiemtra("report-plan", sample.plan, "--format", "pdf", "-o", str(tmp_path / "bc.pdf"))
    kiemtra("summary", sample.plan, "-o", str(tmp_path / "th.xlsx"))
    assert store.settings.setting("report.ket-luan.number") == "3"
    rows = kiemtra.json("scores", sample.plan)
    assert [r["unit"] for r in rows] == [DIACRITICS_UNIT, "Sở Y tế"]
    assert set(rows[0]) >= {"unit", "level", "total", "max", "percent", "rank", "areas"}
    assert rows[0]["rank"] == 1 and rows[1]["rank"] is None
    assert {"code", "name", "score", "max", "percent"} <= set(rows[0]["areas"][0])
    bad = kiemtra(
        "report", "no-such-id", "--kind", "ket-luan", "-o", str(tmp_path / "x.pdf"), ok=False
    )
    assert bad.exit_code != 0 and not (tmp_path / "x.pdf").exists()
    bad = kiemtra(
        "report",
        sample.unit,
        "--kind",
        "ket-luan",
        "-o",
        str(tmp_path / "y.pdf"),
        "--date",
        "31/02/2021",
        ok=False,
    )
    assert bad.exit_code != 0
    bad = kiemtra("summary", sample.plan, "-o", str(tmp_path / "th.csv"), ok=False)
    assert bad.exit_code != 0
    json.dumps(rows)


@pytest.mark.timing
def test_two_hundred_units(store: Store, tmp_path: Path) -> None:
    units = [UnitSpec(f"UBND xã Số {n:03d}", UnitLevel.XA, 1 + n % 12) for n in range(200)]
    plan = create_plan(
        store,
        PlanSpec(
            number="9/KH-UBND", year=2025, issuer="UBND tỉnh", province="Sóc Trăng", units=units
        ),
    )
    inspections = store.planning.inspections(plan)
    with store.transaction():
        for n, insp in enumerate(inspections):
            items = [i for i in store.findings.inspection_items(insp["id"]) if i["max_score"]][:4]
            for k, item in enumerate(items):
                ok = (n + k) % 3 != 0
                store.findings.set_finding(
                    insp["id"],
                    item["item_id"],
                    {
                        "result": Result.DAT.value if ok else Result.KHONG_DAT.value,
                        "score": item["max_score"] if ok else 0.0,
                        "note": "" if ok else "Chưa thực hiện đúng quy định.",
                    },
                )
    start = time.perf_counter()
    plan_report(store, plan, "pdf", tmp_path / "bc.pdf", OPTS)
    plan_summary(store, plan, tmp_path / "th.xlsx")
    assert time.perf_counter() - start < 20
    wb = openpyxl.load_workbook(tmp_path / "th.xlsx", read_only=True)
    assert len(wb.sheetnames) == 201
    assert (tmp_path / "bc.pdf").stat().st_size > 10_000
    # The DOCX in linear time too (it took 21 minutes for 180 units when each cell rebuilt
    # python-docx's whole cell list).
    start = time.perf_counter()
    plan_report(store, plan, "docx", tmp_path / "bc.docx", OPTS)
    assert time.perf_counter() - start < 30
