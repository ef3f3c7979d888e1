"""Packages fit an e-mail: rows deflated, attachments stored as they are (issue 15,
finding 9: every part was stored, 7.6× bigger than it needed to be)."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.demo import build_demo
from desktop.sync import package as pkg
from tests.sync.helpers import Laptop, full_dump, read_members


@pytest.fixture(scope="module")
def sender(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Laptop]:
    from desktop.services.attachments import add_attachment

    root = tmp_path_factory.mktemp("size")
    laptop = Laptop(root, "may-1")
    plan_id = build_demo(laptop.store)
    insp = laptop.store.planning.inspections(plan_id)[0]["id"]
    item = laptop.store.findings.item_id_for_code(insp, "A1.1.1")
    photo = root / "anh.jpg"
    photo.write_bytes(bytes(range(256)) * 40)
    add_attachment(laptop.store, laptop.data_dir, insp, item, photo)
    yield laptop
    laptop.close()


def _text_parts(path: Path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as zf:
        return {
            i.filename: i
            for i in zf.infolist()
            if i.filename.startswith("rows/") or i.filename == pkg.VERSIONS
        }


def test_rows_are_deflated_close_to_zlib_level_9(sender: Laptop, tmp_path: Path) -> None:
    out = tmp_path / "full.kiemtra"
    summary = sender.cli.json("sync", "export", "-o", str(out), "--full", "--json")
    assert summary["bytes"] == out.stat().st_size
    members = read_members(out)
    parts = _text_parts(out)
    assert len(parts) > 5
    packed = sum(i.compress_size for i in parts.values())
    best = sum(len(zlib.compress(members[name], 9)) for name in parts)
    plain = sum(i.file_size for i in parts.values())
    assert packed <= 1.2 * best, (packed, best, plain)
    assert plain > 4 * packed  # JSON lines compress well: the finding's 7.6× was real
    with zipfile.ZipFile(out) as zf:
        kinds = {i.filename.split("/")[0]: i.compress_type for i in zf.infolist()}
    # Attachments (photos, PDFs: compressed already) are stored as they are.
    assert kinds["attachments"] == zipfile.ZIP_STORED
    assert kinds["rows"] == zipfile.ZIP_DEFLATED


def test_an_encrypted_package_is_small_too(sender: Laptop, tmp_path: Path) -> None:
    """The rows are deflated inside the payload, before encryption (ciphertext does not
    compress)."""
    plain, locked = tmp_path / "plain.kiemtra", tmp_path / "locked.kiemtra"
    sender.cli("sync", "export", "-o", str(plain), "--full")
    secret = tmp_path / "pass.txt"
    secret.write_text("mật khẩu đủ dài của đoàn", encoding="utf-8")
    summary = sender.cli.json(
        "sync", "export", "-o", str(locked), "--full", "--passphrase-file", str(secret), "--json"
    )
    members = read_members(plain)
    best = sum(len(zlib.compress(members[name], 9)) for name in _text_parts(plain))
    attachments = sum(len(d) for n, d in members.items() if n.startswith("attachments/"))
    assert summary["bytes"] == locked.stat().st_size <= 1.2 * best + attachments + 8192


def test_packages_made_before_still_import(sender: Laptop, tmp_path: Path) -> None:
    """A package written with every part stored (the earlier versions): the same bytes, so
    the same hashes and signature; it goes in."""
    new = tmp_path / "new.kiemtra"
    sender.cli("sync", "export", "-o", str(new), "--full")
    old = tmp_path / "old.kiemtra"
    with zipfile.ZipFile(new) as src, zipfile.ZipFile(old, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with zipfile.ZipFile(old) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
    receiver = Laptop(tmp_path, "thu-ky")
    fingerprint = sender.info()["fingerprint"]
    receiver.cli("device", "trust", fingerprint, "--name", "may-1")
    result = receiver.cli.json("sync", "import", str(old))
    assert result["inserted"] > 100
    # And the deflated one is the same content: nothing new.
    before = full_dump(receiver.db_path)
    again = receiver.cli.json("sync", "import", str(new))
    assert again["inserted"] == again["updated"] == again["conflicts"] == 0
    assert len(full_dump(receiver.db_path)) >= len(before)
    receiver.close()
