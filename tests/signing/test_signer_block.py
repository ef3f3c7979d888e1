"""The signature goes where the document leaves room for it (Nghị định 30/2020 Phụ lục I).

The reports record, in the PDF's document information, the blank space of their printed signer
block (/KiemtraSignatureBox "page x1 y1 x2 y2", points) and the name printed under it
(/KiemtraSignerName). `kiemtra sign` puts the signer's signature image exactly there, the
body's seal over the left third of it, and warns when the certificate names someone else.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from db import Store
from desktop.signing.verify import verify_pdf
from tests.signing import pki
from tests.signing.conftest import Pki
from tests.signing.test_sign_verify import check_pdfsig_valid, pdfsig, sign_p12
from tests.test_reminders import campaign  # noqa: F401  # the fixture, reused

MM = 72 / 25.4
needs_pdfsig = pytest.mark.skipif(
    shutil.which("pdfsig") is None, reason="pdfsig (poppler-utils) chưa được cài"
)


def _inspection(store: Store) -> str:
    plan = store.planning.plans()[0]["id"]
    return str(store.planning.inspections(plan)[0]["id"])


def _reader(path: Path):  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(path.read_bytes()), strict=False)


def recorded_blocks(path: Path) -> list[tuple[int, tuple[float, ...], str]]:
    """Each (page counted from 1, box in points, printed name) the PDF records, left to right."""
    info = _reader(path).trailer["/Info"]
    boxes = str(info["/KiemtraSignatureBox"]).split("; ")
    names = str(info["/KiemtraSignerName"]).split("; ")
    out = []
    for entry, name in zip(boxes, names, strict=True):
        page, *box = entry.split()
        out.append((int(page), tuple(float(v) for v in box), name))
    return out


def recorded_block(path: Path) -> tuple[int, tuple[float, ...], str]:
    """The block of the one who signs for the document (the last recorded)."""
    return recorded_blocks(path)[-1]


def signature_rects(path: Path) -> dict[str, tuple[int, tuple[float, ...]]]:
    """Each signature field's (page counted from 1, /Rect) by field name."""
    reader = _reader(path)
    pages = [
        reader.find_page_for_modification(i)[0] for i in range(int(reader.root["/Pages"]["/Count"]))
    ]
    out = {}
    for field in reader.root["/AcroForm"]["/Fields"]:
        widget = field.get_object()
        if widget.get("/FT") != "/Sig":
            continue
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        page = pages.index(widget.raw_get("/P")) + 1
        out[str(widget["/T"])] = (page, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return out


def _render_notice(kiemtra, store: Store, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return kiemtra(
        "report",
        _inspection(store),
        "--kind",
        "ket-luan",
        "-o",
        str(out),
        "--signer-title",
        "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC",
        *extra,
    )


def _pages(path: Path) -> int:
    return int(_reader(path).root["/Pages"]["/Count"])


def test_reports_record_the_blank_space_of_their_signer_block(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, tmp_path: Path
) -> None:
    notice = tmp_path / "tb.pdf"
    _render_notice(kiemtra, demo_store, notice, "--signer", "Trần Văn Thắng")
    page, (x1, y1, x2, y2), name = recorded_block(notice)
    assert page == _pages(notice) and name == "Trần Văn Thắng"
    # The blank space between title and name: in the right column, about 24 mm high.
    assert 595 / 2 < (x1 + x2) / 2 < 595 - 15 * MM and 20 * MM < y2 - y1 < 26 * MM
    assert 40 * MM < x2 - x1 <= 75 * MM and 20 * MM < y1 < y2 < 297 * MM - 20 * MM

    minutes = tmp_path / "bb.pdf"
    kiemtra("report", _inspection(demo_store), "--kind", "bien-ban", "-o", str(minutes))
    blocks = recorded_blocks(minutes)
    # Three signers side by side, left to right; the Trưởng đoàn's (the right one) last.
    assert len(blocks) == 3 and {page for page, _box, _name in blocks} == {_pages(minutes)}
    assert blocks[0][1][2] <= blocks[1][1][0] and blocks[1][1][2] <= blocks[2][1][0]
    assert blocks[2][1][0] > 595 * 0.6 and blocks[2][1][1] == blocks[0][1][1]


def test_reminder_records_its_signer_block(
    store: Store,
    campaign: dict[str, str],  # noqa: F811
    tmp_path: Path,
) -> None:
    from desktop.reports import reminders as drawing
    from desktop.services import reminders
    from tests.test_reminders import TODAY

    letter = reminders.reminder_letter(store, campaign["xa"], today=TODAY)
    reminder = drawing.write_reminder(letter, "pdf", tmp_path / "don-doc.pdf")
    page, (x1, y1, x2, y2), name = recorded_block(reminder)
    assert page == _pages(reminder) and name == "Trần Văn Thắng"
    assert (x1 + x2) / 2 > 595 / 2 and 15 * MM < y2 - y1 < 25 * MM


def _inside(inner: tuple[float, ...], outer: tuple[float, ...], slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


@needs_pdfsig
def test_signatures_go_into_the_printed_block(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, test_pki: Pki, tmp_path: Path
) -> None:
    notice = tmp_path / "tb.pdf"
    _render_notice(
        kiemtra,
        demo_store,
        notice,
        "--signer",
        pki.SIGNER,
        "--sign",
        "--pkcs12",
        str(test_pki.signer.p12),
        "--passphrase-file",
        str(test_pki.passphrase_file),
        "--image",
        str(test_pki.signature_png),
        "--title",
        "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC",
    )
    both = tmp_path / "tb2.pdf"
    sign_p12(
        kiemtra,
        test_pki,
        notice,
        both,
        "--image",
        str(test_pki.seal_png),
        "--as-organisation",
        who="body",
    )
    page, box, _name = recorded_block(both)
    rects = signature_rects(both)
    person_page, person = rects["Signature1"]
    body_page, body = rects["Signature2"]
    assert person_page == body_page == page
    assert _inside(person, box)
    assert person[2] - person[0] > (box[2] - box[0]) * 0.8  # the whole space, not a corner
    third = box[0] + (box[2] - box[0]) / 3
    # The seal covers the left third of the signature, and does not leave the block's height.
    assert body[0] < third and body[2] > box[0] + 5 and body[0] < box[0] + 10
    assert body[1] >= box[1] - 1 and body[3] <= box[3] + 1
    sigs = verify_pdf(both, [])
    assert [s["intact"] for s in sigs] == [True, True]
    blocks = pdfsig(both)
    check_pdfsig_valid(blocks[0], pki.SIGNER, sigs[0]["signed_at"], whole=False)
    check_pdfsig_valid(blocks[1], pki.BODY, sigs[1]["signed_at"], whole=True)


def test_pdf_without_a_recorded_block_signs_lower_right(  # type: ignore[no-untyped-def]
    kiemtra, test_pki: Pki, tmp_path: Path
) -> None:
    src = pki.simple_pdf(tmp_path / "a.pdf")
    out = tmp_path / "b.pdf"
    done = sign_p12(kiemtra, test_pki, src, out, "--image", str(test_pki.signature_png))
    assert "Lưu ý" not in done.stderr
    [(page, rect)] = signature_rects(out).values()
    x2 = 595.276 - 20 * MM
    assert page == _pages(out)
    assert abs(rect[2] - x2) < 1.5 and abs(rect[1] - 25 * MM) < 1.5
    assert abs(rect[2] - rect[0] - 62 * MM) < 1.5 and abs(rect[3] - rect[1] - 40 * MM) < 1.5


def test_certificate_of_someone_else_warns(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, test_pki: Pki, tmp_path: Path
) -> None:
    notice = tmp_path / "tb.pdf"
    _render_notice(kiemtra, demo_store, notice, "--signer", "Trần Văn Thắng")
    out = tmp_path / "tb-ky.pdf"
    done = sign_p12(kiemtra, test_pki, notice, out)
    assert done.exit_code == 0 and out.is_file()
    [line] = [x for x in done.stderr.splitlines() if x.strip()]
    assert line.startswith("Lưu ý:") and pki.SIGNER in line and "Trần Văn Thắng" in line
    # Without an image the signature ("Đã ký số" and the name) still goes into the space.
    assert _inside(signature_rects(out)["Signature1"][1], recorded_block(out)[1])
    # The same name (whatever its case) says nothing.
    same = tmp_path / "tb-same.pdf"
    _render_notice(kiemtra, demo_store, same, "--signer", pki.SIGNER.upper())
    quiet = sign_p12(kiemtra, test_pki, same, tmp_path / "tb-same-ky.pdf")
    assert "Lưu ý" not in quiet.stderr


def test_each_signer_of_the_minutes_signs_in_their_own_block(  # type: ignore[no-untyped-def]
    kiemtra, demo_store: Store, test_pki: Pki, tmp_path: Path
) -> None:
    minutes = tmp_path / "bb.pdf"
    kiemtra("report", _inspection(demo_store), "--kind", "bien-ban", "-o", str(minutes))
    blocks = recorded_blocks(minutes)
    # The demo's secretary is the test signer: her certificate goes to her block (the middle).
    [mine] = [n for n, (_p, _b, name) in enumerate(blocks) if name == pki.SIGNER]
    assert mine == 1
    out = tmp_path / "bb-ky.pdf"
    done = sign_p12(kiemtra, test_pki, minutes, out, "--image", str(test_pki.signature_png))
    assert "Lưu ý" not in done.stderr
    [(page, rect)] = signature_rects(out).values()
    assert page == blocks[mine][0] and _inside(rect, blocks[mine][1])
