"""No invented deadlines: a recommendation without a deadline prints "—" or "theo kế hoạch
khắc phục", never a date computed from the report's date; the annex names the report it is
attached to; the reminder cites the notice it chases (số, ngày) and dates itself on the "Số"
line; the minutes print a note once and give each recommendation its deadline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest

from db import Store
from desktop.domain import Result
from desktop.reports import reminders as drawing
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report
from desktop.services import conclusions, findings, reminders
from tests.reports.conftest import LONG_NOTE, Sample

OPTS = ReportOptions(number="5", date=dt.date(2021, 1, 5))


def _texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    out = [p.text for p in document.paragraphs]
    out += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return out


def _annex_rows(path: Path) -> list[list[str]]:
    table = docx.Document(str(path)).tables[-1]
    return [[c.text for c in row.cells] for row in table.rows[1:]]


@pytest.fixture
def undated(store: Store, sample: Sample) -> str:
    """Sở Y tế: an item not passed, no visit date, no recommendation written."""
    item = next(i for i in store.findings.inspection_items(sample.empty) if i["max_score"])
    findings.record(store, sample.empty, item["code"], result=Result.KHONG_DAT, note="Chưa có")
    # recording started the visit today; a visit date nobody recorded (an older database)
    store.core.update_row("inspections", sample.empty, {"visit_date": ""})
    return str(item["code"])


def test_annex_invents_no_deadline(
    store: Store, sample: Sample, undated: str, tmp_path: Path
) -> None:
    plan_report(store, sample.plan, "docx", tmp_path / "bc.docx", OPTS)
    rows = _annex_rows(tmp_path / "bc.docx")
    so_y_te = [r for r in rows if r[1] == "Sở Y tế"]
    assert so_y_te and all(r[-1] == "—" for r in so_y_te), so_y_te
    # the visited unit's derived recommendations: the notice's rule (visit date + 30 days)
    visited = [r for r in rows if r[1] != "Sở Y tế"]
    assert visited and all(r[-1] == "27/01/2021" for r in visited), visited
    # the annex names its report: number and date
    assert any(
        "Kèm theo Báo cáo số 05/BC-SNV ngày 05/01/2021" in t for t in _texts(tmp_path / "bc.docx")
    )


def test_a_recommendation_without_deadline_is_not_dated(
    store: Store, sample: Sample, undated: str, tmp_path: Path
) -> None:
    inspection_report(store, sample.empty, "ket-luan", "docx", tmp_path / "tb.docx", OPTS)
    text = _texts(tmp_path / "tb.docx")
    recs = [t for t in text if "Thời hạn khắc phục" in t]
    assert recs and all("theo kế hoạch khắc phục" in t for t in recs), recs
    assert not any("04/02/2021" in t for t in text)  # the document's date + 30
    # a written recommendation whose deadline was cleared: "—" in the annex
    rec = conclusions.add_recommendation(store, sample.unit, "Bổ sung hồ sơ", deadline="1/2/2021")
    conclusions.update_recommendation(store, rec["id"], deadline="")
    plan_report(store, sample.plan, "docx", tmp_path / "bc.docx", OPTS)
    rows = [r for r in _annex_rows(tmp_path / "bc.docx") if r[1] != "Sở Y tế"]
    assert rows and all(r[-1] == "—" for r in rows), rows


def test_reminder_cites_the_notice(store: Store, sample: Sample, tmp_path: Path) -> None:
    notice = ReportOptions(number="12", date=dt.date(2021, 1, 5))
    inspection_report(store, sample.unit, "ket-luan", "pdf", tmp_path / "tb.pdf", notice)
    conclusions.add_recommendation(store, sample.unit, "Ban hành quy chế", deadline="1/2/2021")
    letter = reminders.reminder_letter(store, sample.unit, today=dt.date(2021, 3, 1))
    assert "Thông báo số 12/TB-SNV ngày 05/01/2021" in letter.paragraphs[0]
    path = drawing.write_reminder(letter, "docx", tmp_path / "dd.docx")
    header = docx.Document(str(path)).tables[0]
    # the date stands on the line of "Số", not on the V/v line
    number_row = next(r for r in header.rows if r.cells[0].text.startswith("Số"))
    assert "ngày 01 tháng 3 năm 2021" in number_row.cells[1].text
    assert "V/v" in number_row.cells[0].text


def test_minutes_print_a_note_once_and_date_recommendations(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    conclusions.add_recommendation(
        store, sample.unit, "Bổ sung hồ sơ lưu trữ", deadline="1/2/2021", responsible="Văn phòng"
    )
    inspection_report(store, sample.unit, "bien-ban", "docx", tmp_path / "bb.docx", OPTS)
    text = _texts(tmp_path / "bb.docx")
    assert sum(t.count(LONG_NOTE[:60]) for t in text) == 1
    rec = next(t for t in text if "Bổ sung hồ sơ lưu trữ" in t)
    assert "01/02/2021" in rec and "Văn phòng" in rec
