"""Reminder letters (DOCX, PDF) and the escalation list (JSON, XLSX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db import Store
from desktop.domain import Role, UnitLevel
from desktop.reports import reminders as drawing
from desktop.services import followup, reminders
from desktop.services.errors import UserError
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan

TODAY = dt.date(2024, 9, 10)
UNIT = "UBND xã Đại Ân 2"
OVERDUE_TEXT = "Niêm yết đầy đủ thủ tục hành chính tại Bộ phận Một cửa"


@pytest.fixture
def campaign(store: Store) -> dict[str, str]:
    plan_id = create_plan(
        store,
        PlanSpec(
            number="21/KH-UBND",
            year=2024,
            issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
            issued_on=dt.date(2024, 2, 2),
            province="Sóc Trăng",
            units=[UnitSpec(UNIT, UnitLevel.XA, 6), UnitSpec("Sở Y tế", UnitLevel.SO, 6)],
            members=[
                MemberSpec("Trần Văn Thắng", Role.TRUONG_DOAN, "Phó Giám đốc", "Sở Nội vụ"),
            ],
        ),
    )
    ids = {i["unit"]: i["id"] for i in store.planning.inspections(plan_id)}

    def rec(unit: str, number: int, text: str, deadline: dt.date) -> str:
        row = store.core.insert_row(
            "recommendations",
            {
                "inspection_id": ids[unit],
                "number": number,
                "text": text,
                "deadline": deadline.isoformat(),
            },
        )
        return str(row["id"])

    out = {
        "plan": plan_id,
        "xa": ids[UNIT],
        "yte": ids["Sở Y tế"],
        "late": rec(UNIT, 1, OVERDUE_TEXT, dt.date(2024, 8, 1)),
        "rejected": rec(UNIT, 2, "Số hóa hồ sơ, kết quả giải quyết TTHC", dt.date(2024, 9, 1)),
        "future": rec(UNIT, 3, "Khảo sát mức độ hài lòng", dt.date(2024, 10, 30)),
        "yte_late": rec("Sở Y tế", 1, "Ban hành kế hoạch kiểm tra nội bộ", dt.date(2024, 9, 5)),
        "yte_ok": rec("Sở Y tế", 2, "Cập nhật quy chế chi tiêu nội bộ", dt.date(2024, 8, 1)),
    }
    day = dt.date(2024, 9, 3)
    followup.record_report(store, [out["rejected"], out["yte_ok"]], day, "5/BC", "x", today=day)
    followup.verify(store, out["rejected"], False, "Chưa đủ", verified_on=day)
    followup.verify(store, out["yte_ok"], True, verified_on=day)
    return out


def test_letter_content(store: Store, campaign: dict[str, str]) -> None:
    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY, reply_days=10)
    assert letter.parent_body == "UBND TỈNH SÓC TRĂNG"
    assert letter.place_date == "Sóc Trăng, ngày 10 tháng 9 năm 2024"
    assert letter.recipient == f"Kính gửi: {UNIT}."
    numbers = [row[0] for row in letter.table_rows]
    assert numbers == ["1", "2"]  # the future one is not overdue
    assert letter.table_rows[0][1:] == [OVERDUE_TEXT, "01/08/2024", "40"]
    assert "không đạt yêu cầu" in letter.table_rows[1][1]
    assert "20/09/2024" in letter.closing[0]  # reply within 10 days
    assert letter.signer_titles == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert letter.signer_name == "Trần Văn Thắng"
    assert letter.closing[-1].endswith("./.")


def test_no_overdue_no_letter(store: Store, campaign: dict[str, str]) -> None:
    with pytest.raises(UserError, match="không có kiến nghị nào quá hạn"):
        reminders.reminder_letter(store, campaign["yte"], today=dt.date(2024, 9, 5))


def test_docx_reads_back(store: Store, campaign: dict[str, str], tmp_path: Path) -> None:
    from docx import Document

    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY, number="45/SNV-CCHC")
    path = drawing.write_reminder(letter, "docx", tmp_path / "don-doc.docx")
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"Kính gửi: {UNIT}." in text
    assert "Kế hoạch số 21/KH-UBND ngày 02/02/2024" in text
    # the issuer above, "Số" on the row below it (beside the date)
    issuer, number = (row.cells[0].text for row in doc.tables[0].rows)
    assert "SỞ NỘI VỤ" in issuer and "Số: 45/SNV-CCHC" in number
    motto, date = (row.cells[1].text for row in doc.tables[0].rows)
    assert "Độc lập - Tự do - Hạnh phúc" in motto
    assert "Sóc Trăng, ngày 10 tháng 9 năm 2024" in date
    grid = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert grid[0] == reminders.TEXT["table_head"]
    assert grid[1] == ["1", OVERDUE_TEXT, "01/08/2024", "40"]
    assert len(grid) == 3
    bottom = doc.tables[2].rows[0].cells
    assert "Nơi nhận:" in bottom[0].text and "Lưu: VT" in bottom[0].text
    assert "Trần Văn Thắng" in bottom[1].text
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.page_width.mm) == 210


def test_pdf_text(store: Store, campaign: dict[str, str], tmp_path: Path) -> None:
    from pypdf import PdfReader

    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY)
    path = drawing.write_reminder(letter, "pdf", tmp_path / "don-doc.pdf")
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert UNIT in flat
    assert OVERDUE_TEXT in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("LiberationSerif" in f for f in fonts)


def test_bad_format_and_folder_write_nothing(
    store: Store, campaign: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY)
    with pytest.raises(UserError, match="không hỗ trợ"):
        drawing.write_reminder(letter, "odt", out / "x.odt")
    with pytest.raises(UserError, match="Không có thư mục"):
        drawing.write_reminder(letter, "pdf", out / "khong-co" / "x.pdf")
    assert list(out.iterdir()) == []


def test_escalation_list(store: Store, campaign: dict[str, str]) -> None:
    rows = reminders.escalation(store, campaign["plan"], today=TODAY)
    assert [r["unit"] for r in rows] == [UNIT, "Sở Y tế"]
    xa, yte = rows
    assert (xa["overdue"], xa["rejected"], xa["total"], xa["max_days_overdue"]) == (2, 1, 3, 40)
    assert xa["numbers"] == [1, 2] and xa["oldest_deadline"] == "2024-08-01"
    assert (yte["overdue"], yte["total"], yte["max_days_overdue"]) == (1, 2, 5)
    assert reminders.escalation(store, campaign["plan"], today=dt.date(2024, 7, 1)) == []


def test_escalation_xlsx(store: Store, campaign: dict[str, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = reminders.escalation(store, today=TODAY)
    path = drawing.write_escalation_xlsx(rows, tmp_path / "cham.xlsx", today=TODAY)
    sheet = load_workbook(path).active
    assert sheet.title == "Đơn vị chậm khắc phục"
    assert sheet["A2"].value == "Tính đến ngày 10/09/2024"
    assert [c.value for c in sheet[4]] == reminders.TEXT["xlsx_head"]
    assert [c.value for c in sheet[5]][:7] == [1, UNIT, "21/KH-UBND", 2024, 2, 1, 3]
    assert sheet["H5"].value == dt.datetime(2024, 8, 1)
    assert sheet["H5"].number_format == "dd/mm/yyyy"
    assert sheet["B6"].value == "Sở Y tế"
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == "A4:J6"
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,  # A4
        1,
        0,
    )
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$4"


def test_cli_reminder_and_escalation(
    store: Store, campaign: dict[str, str], kiemtra, tmp_path: Path
) -> None:
    from docx import Document

    out = tmp_path / "r.docx"
    kiemtra("reminder", campaign["xa"], "--format", "docx", "-o", str(out), "--today", "10/09/2024")
    assert any(UNIT in p.text for p in Document(str(out)).paragraphs)
    pdf = tmp_path / "r.pdf"
    kiemtra("reminder", campaign["xa"], "--format", "pdf", "-o", str(pdf), "--today", "10/09/2024")
    assert pdf.read_bytes().startswith(b"%PDF")

    rows = kiemtra.json("escalation", "--plan", campaign["plan"], "--today", "10/09/2024")
    assert [r["unit"] for r in rows] == [UNIT, "Sở Y tế"]
    assert {"inspection_id", "unit", "overdue", "total", "max_days_overdue"} <= set(rows[0])
    xlsx = tmp_path / "cham.xlsx"
    kiemtra("escalation", "-o", str(xlsx), "--today", "10/09/2024")
    assert xlsx.is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["reminder", "{xa}", "--format", "odt", "-o", "{dir}/x.odt"],
        ["reminder", "{xa}", "--format", "pdf", "-o", "{dir}/x.pdf", "--today", "99/99/2024"],
        ["reminder", "khong-co", "--format", "pdf", "-o", "{dir}/x.pdf"],
        ["reminder", "{yte}", "--format", "pdf", "-o", "{dir}/x.pdf", "--today", "05/09/2024"],
        ["reminder", "{xa}", "--format", "pdf", "-o", "{dir}/x.pdf", "--days", "0"],
        ["escalation", "--today", "10/09/2024"],
        ["escalation", "-o", "{dir}/x.csv"],
    ],
)
def test_cli_errors_write_nothing(
    store: Store, campaign: dict[str, str], kiemtra, tmp_path: Path, args: list[str]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    filled = [a.format(dir=out_dir, **campaign) for a in args]
    result = kiemtra(*filled, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ") and result.stderr.count("\n") == 1
    assert list(out_dir.iterdir()) == []


def test_long_letter_numbers_pages_from_two(
    store: Store, campaign: dict[str, str], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    for n in range(4, 40):
        store.core.insert_row(
            "recommendations",
            {
                "inspection_id": campaign["xa"],
                "number": n,
                "text": f"Kiến nghị thứ {n}: rà soát, cập nhật quy trình nội bộ giải quyết TTHC",
                "deadline": "2024-08-15",
            },
        )
    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY)
    assert len(letter.table_rows) == 38
    reader = PdfReader(str(drawing.write_reminder(letter, "pdf", tmp_path / "dai.pdf")))
    assert len(reader.pages) >= 2
    assert not reader.pages[0].extract_text().strip().startswith("1\n")
    assert reader.pages[1].extract_text().strip().splitlines()[0].strip() == "2"


def test_number_with_symbol_remembered(
    store: Store, campaign: dict[str, str], tmp_path: Path, kiemtra
) -> None:
    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY, number="88")
    assert letter.number == "Số: 88/SNV-CCHC"
    blank = reminders.reminder_letter(store, campaign["xa"], today=TODAY)
    assert blank.number.startswith("Số: ") and blank.number.endswith("/SNV-CCHC")
    assert not any(ch.isdigit() for ch in blank.number)
    # another ký hiệu, given once on the command line, is remembered
    out = tmp_path / "a.docx"
    kiemtra("reminder", campaign["xa"], "--format", "docx", "-o", str(out), "--today",
            "10/09/2024", "--number", "12", "--symbol", "SNV-TTr")  # fmt: skip
    from docx import Document

    assert "Số: 12/SNV-TTr" in Document(str(out)).tables[0].rows[1].cells[0].text
    assert store.settings.setting(reminders.SYMBOL_SETTING) == "SNV-TTr"
    later = reminders.reminder_letter(store, campaign["xa"], today=TODAY, number="13")
    assert later.number == "Số: 13/SNV-TTr"
    # a full "số/ký hiệu" is printed as given
    full = reminders.reminder_letter(store, campaign["xa"], today=TODAY, number="7/UBND-NC")
    assert full.number == "Số: 07/UBND-NC"  # Nghị định 30: a leading zero below 10
