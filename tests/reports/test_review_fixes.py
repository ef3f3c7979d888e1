"""Review fixes: self-assessed totals, issued recommendation counts, per-inspection numbers
and the minutes dated the visit day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
from pypdf import PdfReader

from db import Store
from desktop.reports.compilation_xlsx import HEADER_ROW
from desktop.reports.context import (
    ReportOptions,
    inspection_data,
    plan_data_full,
    remembered_options,
    resolve_options,
)
from desktop.reports.service import inspection_report, plan_report, plan_summary
from desktop.services import conclusions
from tests.reports.conftest import Sample


def _self_scores(store: Store, sample: Sample) -> float:
    """The unit gives its own points on two scored items; returns their sum."""
    items = [i for i in store.findings.inspection_items(sample.unit) if i["max_score"] > 0]
    given = [items[0]["max_score"], items[1]["max_score"] / 2]
    for item, points in zip(items, given, strict=False):
        store.findings.set_finding(sample.unit, item["item_id"], {"self_score": points})
    return float(sum(given))


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_scores_json_carries_self_total(kiemtra: Any, store: Store, sample: Sample) -> None:
    expected = _self_scores(store, sample)
    rows = {r["unit"]: r for r in kiemtra.json("scores", sample.plan)}
    visited = next(r for r in rows.values() if r["id"] == sample.unit)
    assert visited["self_total"] == expected
    assert sum(a["self_score"] or 0 for a in visited["areas"]) == expected
    assert rows["Sở Y tế"]["self_total"] is None


def test_compilation_self_total_column(store: Store, sample: Sample, tmp_path: Path) -> None:
    expected = _self_scores(store, sample)
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]
    header = [c.value for c in ws[HEADER_ROW]]
    column = header.index("Tự chấm")
    assert header[column - 1] == "Tổng điểm"
    assert (
        ws[HEADER_ROW + 1][column].value == expected
        and ws[HEADER_ROW + 1][column].number_format == "0.00"
    )
    assert ws[HEADER_ROW + 2][column].value is None


def test_recommendation_count_is_the_issued_recommendations(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    # "Số kiến nghị" counts the recommendations recorded for the inspection (those the notice
    # numbers), never the ones the notice would derive from limitations (issue 14): with three
    # written limitations and two items not passed but nothing recorded, the count is 0.
    conclusions.save_conclusion(
        store, sample.unit, "", limitations=["Hạn chế một", "Hạn chế hai", "Hạn chế ba"]
    )

    def count() -> Any:
        plan_summary(store, sample.plan, tmp_path / "th.xlsx")
        ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]
        header = [c.value for c in ws[HEADER_ROW]]
        return ws[HEADER_ROW + 1][header.index("Số kiến nghị")].value

    assert count() == 0
    conclusions.add_recommendation(store, sample.unit, "Ban hành quy chế", deadline="1/6/2021")
    conclusions.add_recommendation(store, sample.unit, "Cập nhật hồ sơ", deadline="1/6/2021")
    data = inspection_data(store, sample.unit, dt.date(2021, 3, 1))
    assert [r["number"] for r in data.recommendations] == [1, 2]
    plan = plan_data_full(store, sample.plan, dt.date(2021, 3, 1))
    row = next(r for r in plan.rows if r["id"] == sample.unit)
    assert row["recommendations"] == 2
    assert count() == 2


def test_area_without_points_shows_a_dash(store: Store, sample: Sample, tmp_path: Path) -> None:
    # A8 has no maximum points: its column reads "—" (not a score) for a recorded unit.
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "th.xlsx")["Tổng hợp"]
    header = [c.value for c in ws[HEADER_ROW]]
    a8 = next(n for n, h in enumerate(header) if str(h).startswith("A8."))
    a1 = next(n for n, h in enumerate(header) if str(h).startswith("A1."))
    row = ws[HEADER_ROW + 1]
    assert row[a8].value == "—"
    assert isinstance(row[a1].value, int | float)


def test_campaign_report_lists_unvisited_units_blank(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    out = tmp_path / "bc.pdf"
    plan_report(store, sample.plan, "pdf", out, ReportOptions("5", dt.date(2021, 6, 1)))
    text = _pdf_text(out)
    flat = " ".join(text.split())
    assert "Tự chấm" in flat
    # the ranking table's last row: the unvisited unit, blank numbers
    tail = flat[flat.index("Sở Y tế") :]
    assert tail.split("Sở Y tế", 1)[1].split()[:4] == ["Sở/ngành", "Chưa", "kiểm", "tra"]


def _visit(store: Store, inspection_id: str, day: dt.date) -> None:
    store.core.update_row("inspections", inspection_id, {"visit_date": day.isoformat()})


def test_minutes_dated_the_visit_day(store: Store, sample: Sample) -> None:
    _visit(store, sample.unit, dt.date(2021, 6, 9))
    assert resolve_options(
        store, "bien-ban", ReportOptions(), sample.unit, dt.date(2021, 6, 9)
    ).date == dt.date(2021, 6, 9)
    # no visit date: today
    assert remembered_options(store, "bien-ban", sample.empty).date == dt.date.today()


def test_minutes_cli_visit_date_and_number_per_inspection(
    kiemtra: Any, store: Store, sample: Sample, tmp_path: Path
) -> None:
    _visit(store, sample.unit, dt.date(2021, 6, 9))
    _visit(store, sample.empty, dt.date(2021, 7, 2))
    first = tmp_path / "bb1.pdf"
    kiemtra("report", sample.unit, "--kind", "bien-ban", "--number", "7", "-o", str(first))
    text = _pdf_text(first)
    assert "Số: 07/BB-ĐKT" in text and "ngày 09 tháng 6 năm 2021" in text
    # another inspection: a dotted number, its own visit day
    second = tmp_path / "bb2.pdf"
    kiemtra("report", sample.empty, "--kind", "bien-ban", "-o", str(second))
    text = _pdf_text(second)
    assert "Số: …………/BB-ĐKT" in text and "Số: 07/" not in text
    assert "ngày 02 tháng 7 năm 2021" in text
    # the first inspection again: its number is remembered
    again = tmp_path / "bb3.pdf"
    kiemtra("report", sample.unit, "--kind", "bien-ban", "-o", str(again))
    assert "Số: 07/BB-ĐKT" in _pdf_text(again)


def test_notice_number_not_reused_across_inspections(
    kiemtra: Any, store: Store, sample: Sample, tmp_path: Path
) -> None:
    kiemtra(
        "report", sample.unit, "--kind", "ket-luan", "--number", "31", "--date", "05/08/2021",
        "-o", str(tmp_path / "a.pdf"),
    )  # fmt: skip
    kiemtra("report", sample.empty, "--kind", "ket-luan", "-o", str(tmp_path / "b.pdf"))
    text = _pdf_text(tmp_path / "b.pdf")
    assert "Số: …………/TB-SNV" in text and "31/TB" not in text
    assert remembered_options(store, "ket-luan", sample.unit).number == "31"
    assert remembered_options(store, "ket-luan", sample.unit).date == dt.date(2021, 8, 5)


def test_window_given_options_used_once_by_the_read_only_worker(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    # The window remembers kind-wide, then a worker builds with options=None.
    resolve_options(store, "ket-luan", ReportOptions("44", dt.date(2021, 9, 1)))
    inspection_report(store, sample.unit, "ket-luan", "pdf", tmp_path / "a.pdf", None)
    assert "Số: 44/TB-SNV" in _pdf_text(tmp_path / "a.pdf")
    # once this inspection has used them (the CLI claims them), another does not
    resolve_options(store, "ket-luan", ReportOptions(), sample.unit)
    inspection_report(store, sample.empty, "ket-luan", "pdf", tmp_path / "b.pdf", None)
    assert "44/TB" not in _pdf_text(tmp_path / "b.pdf")


def test_docx_headings_are_real_heading_styles(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    import docx
    from docx.oxml.ns import qn

    out = tmp_path / "bb.docx"
    inspection_report(store, sample.unit, "bien-ban", "docx", out, ReportOptions("3"))
    d = docx.Document(str(out))
    styled = [(p.style.name, p.text) for p in d.paragraphs if p.style.name != "Normal"]
    assert ("Title", "BIÊN BẢN") in styled
    assert ("Heading 1", "I. THÀNH PHẦN") in styled
    assert ("Heading 2", "1. Đoàn kiểm tra") in styled
    for name in ("Title", "Heading 1", "Heading 2"):
        style = d.styles[name]
        assert style.font.bold and style.font.color.rgb == docx.shared.RGBColor(0, 0, 0)
        fonts = style.element.rPr.rFonts
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would win over ours
        assert style.element.rPr.find(qn("w:color")).get(qn("w:themeColor")) is None
        assert style.element.pPr.find(qn("w:pBdr")) is None
    # sections keep with the paragraph that follows them; outline levels for navigation
    assert d.styles["Heading 1"].paragraph_format.keep_with_next
    assert d.styles["Heading 1"].element.pPr.find(qn("w:outlineLvl")) is not None


def test_pdf_long_cell_becomes_continuation_rows(sample: Sample) -> None:
    from desktop.reports import layout_pdf
    from desktop.reports.documents import Table
    from desktop.reports.fonts import register_fonts
    from tests.reports.conftest import LONG_NOTE

    register_fonts()
    block = Table(
        ["Mã", "Nội dung", "Nhận xét"],
        [["A1", "Ngắn", LONG_NOTE * 2], ["A2", "Ngắn", "Ngắn"]],
        [0.1, 0.4, 0.5],
        ["C", "L", "L"],
        {0},
    )
    table = layout_pdf._table(block, layout_pdf._Styles(), 450)
    table.wrap(450, 10_000)
    heights = table._rowHeights
    assert len(heights) > 4  # header, the long row cut in pieces, the short row
    assert max(heights[1:]) <= layout_pdf.MAX_CELL_HEIGHT + 12
    assert not table.splitInRow  # rows are never split inside: no stranded header


def test_pdf_closing_kept_with_last_paragraph_and_long_note_whole(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    from tests.reports.conftest import LONG_NOTE

    out = tmp_path / "bb.pdf"
    inspection_report(store, sample.unit, "bien-ban", "pdf", out, ReportOptions("3"))
    pages = [page.extract_text() for page in PdfReader(str(out)).pages]
    last = " ".join(pages[-1].split())
    assert "TRƯỞNG ĐOÀN" in last and "ký tên./." in last  # never the signatures alone
    flat = " ".join(" ".join(pages).split())
    for word in LONG_NOTE.split()[-5:]:
        assert word in flat  # cut into rows, never cut off


def test_pdf_headings_never_end_a_page(sample: Sample, store: Store) -> None:
    from reportlab.platypus import CondPageBreak, Paragraph

    from desktop.reports import documents, layout_pdf

    data = inspection_data(store, sample.unit, dt.date(2021, 6, 1))
    flow = layout_pdf.story(documents.conclusion_notice(data, ReportOptions()), 450)
    headings = [
        n for n, f in enumerate(flow) if isinstance(f, Paragraph) and f.style.name == "heading"
    ]
    assert len(headings) >= 5
    body = [n for n in headings if n > 0 and not isinstance(flow[n - 1], CondPageBreak)]
    assert body == []  # each is preceded by a conditional page break


def test_unit_sheet_items_without_points_show_a_dash(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    # A8's items carry no points: "Điểm tối đa" reads "—", not 0,00; scored items keep numbers.
    plan_summary(store, sample.plan, tmp_path / "th.xlsx")
    ws = next(s for s in openpyxl.load_workbook(tmp_path / "th.xlsx").worksheets[1:])
    rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    a8 = [r for r in rows if str(r[0]).startswith("A8.")]
    assert a8 and all(r[4] == "—" for r in a8)
    # no item anywhere reads 0 as its maximum (A3.4.1 at this level has no points either)
    assert all(r[4] == "—" or (isinstance(r[4], int | float) and r[4] > 0) for r in rows)
