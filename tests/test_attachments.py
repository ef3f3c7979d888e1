"""Attachments: content-addressed files under the data folder, rows per finding."""

from __future__ import annotations

import hashlib
import stat
import sys
from pathlib import Path

import pytest

from db import Store
from desktop.services import attachments
from desktop.services.errors import UserError
from desktop.services.paths import data_dir_for
from tests.recording_helpers import item_id, small_plan


@pytest.fixture
def setup(store: Store, db_path: Path, tmp_path: Path):
    so, xa = small_plan(store)
    photo = tmp_path / "in" / "ảnh niêm yết.jpg"
    photo.parent.mkdir()
    photo.write_bytes(b"\xff\xd8\xff" + b"jpeg-bytes" * 100)
    return so, xa, data_dir_for(db_path), photo


def stored_files(data_dir: Path) -> list[Path]:
    root = data_dir / "attachments"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_file_is_copied_under_its_hash_with_private_mode(store: Store, setup) -> None:
    so, _, data_dir, photo = setup
    row = attachments.add_attachment(store, data_dir, so, item_id(store, so, "A3.1.1"), photo)
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    target = data_dir / "attachments" / sha[:2] / sha
    assert row["sha256"] == sha
    assert Path(row["path"]) == target == attachments.path_of(data_dir, sha)
    assert target.read_bytes() == photo.read_bytes()
    if sys.platform != "win32":  # chmod only sets read-only there: the folder's ACL protects
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert row["filename"] == "ảnh niêm yết.jpg"
    assert row["media_type"] == "image/jpeg"
    assert row["size"] == photo.stat().st_size
    assert row["missing"] is False and row["is_image"] is True
    assert attachments.is_image(row)
    assert store.findings.finding(so, item_id(store, so, "A3.1.1")) is not None


def test_same_content_stored_once(store: Store, setup, tmp_path: Path) -> None:
    so, xa, data_dir, photo = setup
    copy = tmp_path / "in" / "bản sao.jpg"
    copy.write_bytes(photo.read_bytes())
    item = item_id(store, so, "A3.1.1")
    first = attachments.add_attachment(store, data_dir, so, item, photo)
    again = attachments.add_attachment(store, data_dir, so, item, copy)
    assert again["id"] == first["id"]  # same finding, same content: one row
    assert len(attachments.list_attachments(store, data_dir, so, item)) == 1
    other = attachments.add_attachment(store, data_dir, xa, item_id(store, xa, "A3.1.1"), copy)
    assert other["id"] != first["id"] and other["sha256"] == first["sha256"]
    assert len(stored_files(data_dir)) == 1
    count = store.db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    assert count == 2


def test_missing_source_or_directory_is_a_user_error(store: Store, setup, tmp_path) -> None:
    so, _, data_dir, _ = setup
    item = item_id(store, so, "A3.1.1")
    with pytest.raises(UserError, match="Không tìm thấy"):
        attachments.add_attachment(store, data_dir, so, item, tmp_path / "khong-co.pdf")
    with pytest.raises(UserError):
        attachments.add_attachment(store, data_dir, so, item, tmp_path)
    assert store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    assert stored_files(data_dir) == []


def test_file_gone_is_flagged_missing(store: Store, setup) -> None:
    so, _, data_dir, photo = setup
    item = item_id(store, so, "A3.1.1")
    row = attachments.add_attachment(store, data_dir, so, item, photo)
    Path(row["path"]).unlink()
    listed = attachments.list_attachments(store, data_dir, so, item)
    assert [r["missing"] for r in listed] == [True]
    assert not attachments.path_of(data_dir, row["sha256"]).exists()
    # attaching the same content again restores the file
    attachments.add_attachment(store, data_dir, so, item, photo)
    assert attachments.list_attachments(store, data_dir, so, item)[0]["missing"] is False


def test_remove_is_a_tombstone_and_keeps_the_file(store: Store, setup) -> None:
    so, _, data_dir, photo = setup
    item = item_id(store, so, "A3.1.1")
    row = attachments.add_attachment(store, data_dir, so, item, photo)
    attachments.remove_attachment(store, row["id"])
    assert attachments.list_attachments(store, data_dir, so, item) == []
    assert store.core.get_row("attachments", row["id"])["deleted"] == 1
    assert Path(row["path"]).exists()
    with pytest.raises(UserError):
        attachments.remove_attachment(store, row["id"])
    back = attachments.add_attachment(store, data_dir, so, item, photo)
    assert back["id"] == row["id"]
    assert len(attachments.list_attachments(store, data_dir, so, item)) == 1


def test_other_types_and_unknown_extension(store: Store, setup, tmp_path: Path) -> None:
    so, _, data_dir, _ = setup
    item = item_id(store, so, "A3.1.1")
    pdf = tmp_path / "in" / "bien-ban.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    blob = tmp_path / "in" / "du-lieu.khongro"
    blob.write_bytes(b"\x00\x01")
    a = attachments.add_attachment(store, data_dir, so, item, pdf)
    b = attachments.add_attachment(store, data_dir, so, item, blob)
    assert a["media_type"] == "application/pdf" and not a["is_image"]
    assert b["media_type"] == "application/octet-stream"
    names = [r["filename"] for r in attachments.list_attachments(store, data_dir, so, item)]
    assert names == ["bien-ban.pdf", "du-lieu.khongro"]


def test_path_of_refuses_anything_but_a_hash(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        attachments.path_of(tmp_path, "../../etc/passwd")
    with pytest.raises(ValueError):
        attachments.path_of(tmp_path, "A" * 64)


def test_list_for_an_item_without_finding_is_empty(store: Store, setup) -> None:
    so, _, data_dir, _ = setup
    assert attachments.list_attachments(store, data_dir, so, item_id(store, so, "A1.1.1")) == []
