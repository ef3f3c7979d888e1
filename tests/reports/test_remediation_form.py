"""The unit's remediation report form (Báo cáo kết quả khắc phục, issue 14): the same document
model and renderers as the other documents, read back from the PDF (pdftotext) and the DOCX
(python-docx): the unit as issuer, "Kính gửi: Sở Nội vụ <tỉnh|thành phố> …", the conclusion
notice cited, one row per recommendation with blanks to fill, the command line."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from db import Store
from desktop.domain import Role, UnitLevel
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, remediation_form
from desktop.services import conclusions
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan
from tests.conftest import Kiemtra
from tests.reports.conftest import DIACRITICS_UNIT, Sample

NOTICE = ReportOptions(number="12", date=dt.date(2021, 1, 5))
RECS = [
    ("Ban hành quy chế làm việc của đơn vị", "1/2/2021", "01/02/2021"),
    ("Cập nhật thủ tục hành chính lên Cổng dịch vụ công", "15/3/2021", "15/03/2021"),
]


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _prepare(store: Store, inspection: str, folder: Path) -> None:
    """The notice exported with its number and date, then two written recommendations."""
    inspection_report(store, inspection, "ket-luan", "pdf", folder / "tb.pdf", NOTICE)
    for text, deadline, _ in RECS:
        conclusions.add_recommendation(
            store, inspection, text, deadline=deadline, responsible="Văn phòng"
        )


def test_docx_form_reads_back(store: Store, sample: Sample, tmp_path: Path) -> None:
    _prepare(store, sample.unit, tmp_path)
    out = remediation_form(store, sample.unit, "docx", tmp_path / "bc.docx")
    text = _docx_text(out)
    assert "Thông báo số 12/TB-SNV ngày 05/01/2021" in text
    assert "Kính gửi: Sở Nội vụ tỉnh Sóc Trăng" in text
    assert DIACRITICS_UNIT.upper() in text  # the unit issues it
    assert "UBND HUYỆN …………" in text  # a xã without its huyện in the plan: a blank to fill
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "BÁO CÁO" in text and "Kết quả khắc phục" in text
    d = docx.Document(str(out))
    table = next(t for t in d.tables if len(t.columns) == 6)
    head = [c.text for c in table.rows[0].cells]
    assert head[1] == "Nội dung kiến nghị" and "Tài liệu kiểm chứng" in head[4]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (str(n), t, shown) for n, (t, _, shown) in enumerate(RECS, start=1)
    ]
    assert all(r[3] == "" and r[4] == "" for r in rows), rows  # left for the unit to fill
    assert all(r[5] == "Chịu trách nhiệm: Văn phòng" for r in rows), rows


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler) absent")
def test_pdf_form_reads_back(store: Store, sample: Sample, tmp_path: Path) -> None:
    _prepare(store, sample.unit, tmp_path)
    out = remediation_form(store, sample.unit, "pdf", tmp_path / "bc.pdf")
    text = _pdf_text(out)
    flat = " ".join(text.split())
    assert "Thông báo số 12/TB-SNV ngày 05/01/2021" in flat
    assert "Kính gửi: Sở Nội vụ tỉnh Sóc Trăng" in flat
    for n, (rec, _, shown) in enumerate(RECS, start=1):
        assert shown in flat
        # the text may wrap inside its cell: its first words on a line with its number
        assert any(line.split()[:1] == [str(n)] and rec.split()[0] in line for line in
                   text.splitlines() if line.strip()), rec  # fmt: skip
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat


def test_a_city_plan_is_addressed_to_the_city(store: Store, tmp_path: Path) -> None:
    plan = create_plan(
        store,
        PlanSpec(
            number="5/KH-UBND",
            year=2021,
            issuer="Ủy ban nhân dân Thành phố Hà Nội",
            issued_on=dt.date(2021, 2, 2),
            province="Hà Nội",
            units=[UnitSpec("Sở Tư pháp", UnitLevel.SO, 6)],
            members=[MemberSpec("Nguyễn Văn An", Role.TRUONG_DOAN, "Phó Giám đốc", "Sở Nội vụ")],
        ),
    )
    inspection = store.planning.inspections(plan)[0]["id"]
    conclusions.add_recommendation(store, inspection, "Rà soát quy trình nội bộ")
    text = _docx_text(remediation_form(store, inspection, "docx", tmp_path / "hn.docx"))
    assert "Kính gửi: Sở Nội vụ thành phố Hà Nội" in text
    assert "UBND THÀNH PHỐ HÀ NỘI" in text  # a Sở's superior: the city's committee
    assert "Rà soát quy trình nội bộ" in text


def test_without_a_numbered_notice_the_citation_is_left_to_fill(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    conclusions.add_recommendation(store, sample.unit, "Ban hành quy chế", deadline="1/2/2021")
    text = _docx_text(remediation_form(store, sample.unit, "docx", tmp_path / "bc.docx"))
    assert "Thông báo số …………/TB-SNV ngày …………" in text


def test_command_writes_the_form(
    store: Store, sample: Sample, kiemtra: Kiemtra, tmp_path: Path
) -> None:
    _prepare(store, sample.unit, tmp_path)
    out = tmp_path / "form.docx"
    result = kiemtra("remediation", "form", sample.unit, "-o", str(out), "--format", "docx")
    assert out.is_file(), result.output
    assert RECS[1][0] in _docx_text(out)
    pdf = tmp_path / "form.pdf"
    kiemtra("remediation", "form", sample.unit, "-o", str(pdf))  # pdf by default
    assert pdf.read_bytes().startswith(b"%PDF")
    bad = kiemtra("remediation", "form", "không-có", "-o", str(tmp_path / "x.pdf"), ok=False)
    assert bad.exit_code != 0 and not (tmp_path / "x.pdf").exists()
