"""A signed PDF attached as evidence shows its signatures; one changed after signing is red."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.signing.keys import Pkcs12Key
from desktop.signing.sign import SignRequest, sign_pdf
from desktop.ui.main_window import MainWindow
from desktop.ui.recording.attachment_signatures import CHANGED_COLOR, T_CHANGED, T_SIGNED
from desktop.ui.recording.attachments_section import AttachmentsSection
from tests.signing import pki
from tests.signing.conftest import Pki, test_pki  # noqa: F401  # the session's test PKI
from tests.ui.conftest import open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]


def test_signed_evidence_shows_its_signatures(
    window: MainWindow,
    test_pki: Pki,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src = pki.simple_pdf(tmp_path / "src.pdf")
    good = tmp_path / "ke-hoach-da-ky.pdf"
    sign_pdf(SignRequest(src, good, Pkcs12Key(test_pki.signer.p12, pki.PASSPHRASE)))
    changed = tmp_path / "ke-hoach-bi-sua.pdf"
    data = bytearray(good.read_bytes())
    data[data.index(b"ReportLab Generated PDF")] = ord("r")
    changed.write_bytes(bytes(data))

    open_item(window, "Sở Khoa học và Công nghệ", "A3.1.3")
    section: AttachmentsSection = window.feature("recording").attachments
    monkeypatch.setattr(AttachmentsSection, "ask_files", staticmethod(lambda _p: [good, changed]))
    section.add_action.trigger()
    model = section.model
    assert model.rowCount() == 2

    intact, broken = model.index(0), model.index(1)
    assert intact.data() == f"{good.name}\n{T_SIGNED}"
    assert pki.SIGNER in intact.data(Qt.ItemDataRole.ToolTipRole)
    assert "nguyên vẹn" in intact.data(Qt.ItemDataRole.ToolTipRole)
    assert intact.data(Qt.ItemDataRole.ForegroundRole) is None
    assert broken.data() == f"{changed.name}\n{T_CHANGED}"
    assert broken.data(Qt.ItemDataRole.ForegroundRole) == QColor(CHANGED_COLOR)

    # The selected file's signatures under the list: red for the changed one.
    section.view.setCurrentIndex(broken)
    assert section.signatures.isVisibleTo(section)
    assert "ĐÃ BỊ THAY ĐỔI" in section.signatures.label.text()
    assert CHANGED_COLOR in section.signatures.label.styleSheet()
    section.view.setCurrentIndex(intact)
    text = section.signatures.label.text()
    assert pki.SIGNER in text and "nguyên vẹn" in text and "chưa tin cậy" in text
    assert CHANGED_COLOR not in section.signatures.label.styleSheet()


def test_other_files_show_no_signature_line(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = tmp_path / "Danh mục.docx"
    doc.write_bytes(b"PK\x03\x04 not really a document")
    open_item(window, "Sở Khoa học và Công nghệ", "A3.1.3")
    section: AttachmentsSection = window.feature("recording").attachments
    monkeypatch.setattr(AttachmentsSection, "ask_files", staticmethod(lambda _p: [doc]))
    section.add_action.trigger()
    section.view.setCurrentIndex(section.model.index(0))
    assert section.model.index(0).data() == doc.name
    assert not section.signatures.isVisibleTo(section)


def test_signing_date_fills_the_evidence_date(
    window: MainWindow,
    test_pki: Pki,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime as dt

    src = pki.simple_pdf(tmp_path / "src.pdf")
    signed = tmp_path / "quyet-dinh.pdf"
    when = dt.datetime(2021, 3, 15, 20, 30, tzinfo=dt.UTC)  # 16/03/2021 in Vietnam
    sign_pdf(SignRequest(src, signed, Pkcs12Key(test_pki.signer.p12, pki.PASSPHRASE), when=when))
    open_item(window, "Sở Khoa học và Công nghệ", "A3.1.3")
    recording = window.feature("recording")
    section: AttachmentsSection = recording.attachments
    monkeypatch.setattr(AttachmentsSection, "ask_files", staticmethod(lambda _p: [signed]))
    section.add_action.trigger()
    section.view.setCurrentIndex(section.model.index(0))
    assert section.signatures.use_date_button.isVisibleTo(section)
    assert "16/03/2021" in section.signatures.use_date_action.text()
    section.signatures.use_date_action.trigger()
    assert recording.evidence.date_edit.text() == "16/03/2021"
