"""Evidence that checks itself: a signed PDF attached to a finding reports its signatures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import Store
from desktop.services.attachments import add_attachment, list_attachments
from desktop.services.paths import data_dir_for
from desktop.signing.evidence import (
    attachment_signatures,
    signed_by_text,
    signed_on,
    summary_lines,
)
from desktop.signing.keys import Pkcs12Key
from desktop.signing.sign import SignRequest, sign_pdf
from desktop.signing.trust import add_root, roots
from tests.signing import pki
from tests.signing.conftest import Pki


def _attach(store: Store, db_path: Path, *files: Path) -> list[dict]:  # type: ignore[type-arg]
    plan = store.planning.plans()[0]["id"]
    inspection = store.planning.inspections(plan)[0]["id"]
    item = store.findings.inspection_items(inspection)[0]["item_id"]
    data_dir = data_dir_for(db_path)
    for f in files:
        add_attachment(store, data_dir, inspection, item, f)
    rows = list_attachments(store, data_dir, inspection, item)
    return sorted(rows, key=lambda r: r["filename"])


def _signed(test_pki: Pki, tmp_path: Path, name: str) -> Path:
    src = pki.simple_pdf(tmp_path / f"src-{name}")
    out = tmp_path / name
    sign_pdf(SignRequest(src, out, Pkcs12Key(test_pki.signer.p12, pki.PASSPHRASE)))
    return out


def test_attached_pdfs_report_their_signatures(
    demo_store: Store, db_path: Path, test_pki: Pki, tmp_path: Path
) -> None:
    good = _signed(test_pki, tmp_path, "a-ke-hoach.pdf")
    changed = tmp_path / "b-ke-hoach-sua.pdf"
    data = bytearray(good.read_bytes())
    data[data.index(b"ReportLab Generated PDF")] = ord("r")
    changed.write_bytes(bytes(data))
    unsigned = pki.simple_pdf(tmp_path / "c-chua-ky.pdf")
    photo = tmp_path / "d-anh.png"
    pki.png(photo, "seal")
    rows = _attach(demo_store, db_path, good, changed, unsigned, photo)
    assert [r["filename"] for r in rows] == [
        "a-ke-hoach.pdf",
        "b-ke-hoach-sua.pdf",
        "c-chua-ky.pdf",
        "d-anh.png",
    ]

    ok = attachment_signatures(rows[0], [])
    assert ok is not None and not ok["changed"] and ok["problem"] is None
    [sig] = ok["signatures"]
    assert sig["signer"] == pki.SIGNER and sig["intact"] and not sig["trusted"]
    assert signed_on(ok["signatures"]) == dt.datetime.fromisoformat(sig["signed_at"]).date()
    assert signed_by_text(ok["signatures"]) == f"văn bản điện tử có ký số của {pki.SIGNER}"
    [line] = summary_lines(ok)
    assert pki.SIGNER in line and "nguyên vẹn" in line and "chưa tin cậy" in line

    bad = attachment_signatures(rows[1], [])
    assert bad is not None and bad["changed"] is True
    assert "ĐÃ BỊ THAY ĐỔI" in summary_lines(bad)[0]

    none = attachment_signatures(rows[2], [])
    assert none == {"signatures": [], "changed": False, "problem": None}
    assert summary_lines(none) == ["Không có chữ ký số"]
    assert attachment_signatures(rows[3], []) is None

    # Once the user trusts the CA the same attachment reads as trusted.
    add_root(db_path, test_pki.ca_cert)
    trusted = attachment_signatures(rows[0], roots(db_path))
    assert trusted is not None and trusted["signatures"][0]["trusted"] is True


def test_a_damaged_pdf_is_a_problem_not_a_crash(
    demo_store: Store, db_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"not a pdf at all")
    [row] = _attach(demo_store, db_path, broken)
    found = attachment_signatures(row, [])
    assert found is not None and found["problem"] == "Tệp hong.pdf không phải là tệp PDF"
    assert summary_lines(found) == [found["problem"]]


def test_the_red_flag_survives_sync(test_pki: Pki, tmp_path: Path) -> None:
    """A signed PDF changed after signing, attached on one laptop, is flagged on the laptop
    that imports the package (the check reads the content, which travels by its hash)."""
    from desktop.services.demo import build_demo
    from tests.sync.helpers import Laptop

    field = Laptop(tmp_path, "may-1")
    office = Laptop(tmp_path, "thu-ky")
    try:
        build_demo(field.store)
        good = _signed(test_pki, tmp_path, "bao-cao.pdf")
        changed = tmp_path / "bao-cao-sua.pdf"
        data = bytearray(good.read_bytes())
        data[data.index(b"ReportLab Generated PDF")] = ord("r")
        changed.write_bytes(bytes(data))
        _attach(field.store, field.db_path, changed)
        package = tmp_path / "may-1.kiemtra"
        field.cli("sync", "export", "-o", str(package), "--full")
        office.cli("device", "trust", field.info()["fingerprint"], "--name", "may-1")
        office.cli.json("sync", "import", str(package))
        office.reopen()
        [row] = _attach(office.store, office.db_path)
        assert row["filename"] == "bao-cao-sua.pdf" and not row["missing"]
        found = attachment_signatures(row, [])
        assert found is not None and found["changed"] is True
        assert found["signatures"][0]["signer"] == pki.SIGNER
    finally:
        field.close()
        office.close()


def test_a_verifier_failure_is_a_red_problem(
    demo_store: Store, db_path: Path, tmp_path: Path, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    import desktop.signing.evidence as evidence

    def explode(*_args: object) -> None:
        raise RuntimeError("malformed signature dictionary")

    monkeypatch.setattr(evidence, "verify_pdf", explode)
    odd = pki.simple_pdf(tmp_path / "la.pdf")
    [row] = _attach(demo_store, db_path, odd)
    found = attachment_signatures(row, [])
    assert found is not None and found["changed"] is True
    assert found["problem"] == "Không kiểm tra được chữ ký số của tệp la.pdf"
    assert "malformed signature dictionary" in caplog.text
