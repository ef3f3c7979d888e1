"""PDF documents: text reads back exactly, fonts embedded, pages numbered, bad cases handled."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import Store
from desktop.reports import fonts
from desktop.reports.context import ReportOptions
from desktop.reports.service import inspection_report, plan_report
from desktop.services.errors import UserError
from tests.reports.conftest import DIACRITICS_UNIT, LONG_NOTE, Sample


def text_of(path: Path) -> str:
    """All pages' text, whitespace collapsed (lines wrap anywhere), page numbers left out."""
    pages = []
    for n, page in enumerate(PdfReader(str(path)).pages, start=1):
        text = page.extract_text().strip()
        if n > 1:
            first, _, rest = text.partition("\n")
            assert first.strip() == str(n), f"page {n} starts with {first!r}"
            text = rest
        pages.append(text)
    raw = "\n".join(pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


OPTS = ReportOptions(number="12", date=dt.date(2021, 1, 5))


def test_conclusion_notice_reads_back(store: Store, sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "tb.pdf"
    inspection_report(store, sample.unit, "ket-luan", "pdf", out, OPTS)
    text = text_of(out)
    assert DIACRITICS_UNIT in text
    assert "Số: 12/TB-SNV" in text
    assert "Sóc Trăng, ngày 05 tháng 01 năm 2021" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    for heading in (
        "I. ƯU ĐIỂM",
        "II. TỒN TẠI, HẠN CHẾ",
        "III. NGUYÊN NHÂN",
        "IV. KIẾN NGHỊ",
        "V. TỔ CHỨC THỰC HIỆN",
    ):
        assert heading in text
    # limitations numbered so recommendations can cite them; deadline 30 days after the visit
    assert "1.1." in text and "điểm 1.1 mục II" in text
    assert "Thời hạn khắc phục: 27/01/2021" in text
    assert "(qua Sở Nội vụ) trước ngày 27/01/2021" in text
    assert squash(LONG_NOTE) in text  # a 2,000-character observation wraps, never cut
    assert "./." in text
    assert "Nơi nhận:" in text and "- Lưu: VT, CCHC." in text
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Trần Văn Thắng" in text


def test_fonts_embedded_and_pages_numbered(store: Store, sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "bb.pdf"
    inspection_report(store, sample.unit, "bien-ban", "pdf", out, OPTS)
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor"
            )
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), base
            embedded.add(base.split("+")[-1])
    assert {"LiberationSerif", "LiberationSerif-Bold"} <= embedded
    first = reader.pages[0].extract_text().strip()
    second = reader.pages[1].extract_text().strip()
    assert not first.startswith("1")
    assert second.splitlines()[0].strip() == "2"
    text = text_of(out)
    assert "BIÊN BẢN" in text and "Số: 12/BB-ĐKT" in text
    assert "TRƯỞNG ĐOÀN" in text and "THƯ KÝ" in text and "Phan Thị Mỹ Duyên" in text


def test_inspection_without_findings(store: Store, sample: Sample, tmp_path: Path) -> None:
    for kind in ("bien-ban", "ket-luan"):
        out = tmp_path / f"{kind}.pdf"
        inspection_report(store, sample.empty, kind, "pdf", out, OPTS)
        text = text_of(out)
        assert "Sở Y tế" in text
        assert "ngày …………" in text  # no visit date yet: a dotted blank, nothing invented
    assert "Chưa ghi nhận kết quả kiểm tra." in text_of(tmp_path / "bien-ban.pdf")


def test_stored_conclusions_and_recommendations_win(
    store: Store, sample: Sample, tmp_path: Path
) -> None:
    store.core.insert_row(
        "conclusions",
        {
            "inspection_id": sample.unit,
            "area_code": "A1",
            "strengths": "Lãnh đạo quan tâm sát sao",
            "limitations": "Kế hoạch ban hành chậm\nBáo cáo quý chưa đúng hạn",
            "causes": "Cán bộ kiêm nhiệm nhiều việc",
        },
    )
    store.core.insert_row(
        "recommendations",
        {
            "inspection_id": sample.unit,
            "number": 1,
            "area_code": "A1",
            "text": "Ban hành kế hoạch bổ sung",
            "deadline": "2021-03-15",
        },
    )
    out = tmp_path / "tb.pdf"
    inspection_report(store, sample.unit, "ket-luan", "pdf", out, OPTS)
    text = text_of(out)
    assert "Lãnh đạo quan tâm sát sao" in text
    assert "1.2. Báo cáo quý chưa đúng hạn" in text
    assert "Cán bộ kiêm nhiệm nhiều việc" in text
    assert "1. Ban hành kế hoạch bổ sung. Thời hạn khắc phục: 15/03/2021." in text
    assert "trước ngày 15/03/2021" in text


def test_options_remembered_per_kind(store: Store, sample: Sample, tmp_path: Path) -> None:
    inspection_report(
        store,
        sample.unit,
        "ket-luan",
        "pdf",
        tmp_path / "a.pdf",
        ReportOptions(
            number="7", date=dt.date(2021, 3, 9), signer="Lê Văn Ký", signer_title="GIÁM ĐỐC"
        ),
    )
    inspection_report(store, sample.unit, "ket-luan", "pdf", tmp_path / "b.pdf")
    text = text_of(tmp_path / "b.pdf")
    assert "Số: 07/TB-SNV" in text and "ngày 09 tháng 3 năm 2021" in text
    assert "Lê Văn Ký" in text
    inspection_report(store, sample.unit, "bien-ban", "pdf", tmp_path / "c.pdf")
    assert "Số: …………/BB-ĐKT" in text_of(tmp_path / "c.pdf")  # other kind: not given yet


def test_missing_font_is_a_clear_error(
    store: Store, sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    monkeypatch.setattr(fonts, "resource", lambda *parts: empty.joinpath(*parts[1:]))
    out = tmp_path / "out" / "tb.pdf"
    out.parent.mkdir()
    with pytest.raises(UserError, match="LiberationSerif-Regular.ttf"):
        inspection_report(store, sample.unit, "ket-luan", "pdf", out, OPTS)
    assert list(out.parent.iterdir()) == []  # nothing half-written


def test_cancel_leaves_nothing(store: Store, sample: Sample, tmp_path: Path) -> None:
    from desktop.services.scoring import Cancelled

    out = tmp_path / "bc.pdf"
    with pytest.raises(Cancelled):
        plan_report(store, sample.plan, "pdf", out, OPTS, progress=lambda d, t: d < 90)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix in (".tmp", ".pdf")] == []


def test_campaign_report(store: Store, sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "bc.pdf"
    plan_report(store, sample.plan, "pdf", out, OPTS)
    text = text_of(out)
    assert "BÁO CÁO" in text and "Số: 12/BC-SNV" in text
    assert "Kính gửi: UBND tỉnh Sóc Trăng" in text
    assert "Tỷ lệ điểm bình quân theo lĩnh vực (%)" in text  # the chart's title
    assert "PHỤ LỤC" in text and "27/01/2021" in text  # annex: deadlines from the visit
    assert DIACRITICS_UNIT in text
