"""A bad day for attachments (issue 16): a file that changes while attached, a file too big
for any package, zip64, refused imports leaving files, blobs nobody refers to, hostile names."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.services import attachments, followup
from desktop.services.errors import UserError
from desktop.services.paths import data_dir_for
from desktop.sync import package as pkg
from desktop.sync.export import export_package
from tests.conftest import Kiemtra
from tests.recording_helpers import item_id, small_plan


def _blobs(data_dir: Path) -> list[Path]:
    root = data_dir / "attachments"
    if not root.exists():
        return []
    return sorted(p for p in root.glob("??/*") if p.is_file() and len(p.name) == 64)


@pytest.fixture
def visit(store: Store, db_path: Path) -> tuple[str, str, Path]:
    so, _ = small_plan(store)
    return so, item_id(store, so, "A3.1.1"), data_dir_for(db_path)


@pytest.fixture
def changing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file whose bytes differ at every read (someone saves it while it is attached)."""
    source = tmp_path / "in" / "biên bản.docx"
    source.parent.mkdir()
    source.write_bytes(b"version 0")
    reads = iter(range(1, 1000))
    real_open = open

    def opener(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if Path(file) == source and "r" in mode:
            return io.BytesIO(f"version {next(reads)} ".encode() * 4000)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(attachments, "open", opener, raising=False)
    return source


def test_a_file_changing_while_attached_is_stored_as_hashed(
    store: Store, visit: tuple[str, str, Path], changing: Path, tmp_path: Path
) -> None:
    so, item, data_dir = visit
    row = attachments.add_attachment(store, data_dir, so, item, changing)
    blob = Path(row["path"]).read_bytes()
    assert hashlib.sha256(blob).hexdigest() == row["sha256"]
    assert row["size"] == len(blob)
    # …so the plan still exports (an import would refuse a blob whose hash is not its name).
    export_package(store, tmp_path / "out.kiemtra", full=True)


def test_a_remediation_file_changing_while_attached(
    store: Store, db_path: Path, changing: Path
) -> None:
    from tests.test_followup import add_rec

    so, _ = small_plan(store)
    import datetime as dt

    rec = add_rec(store, so, 1, "Niêm yết thủ tục", dt.date(2024, 9, 1))
    rows = followup.record_report(
        store, [rec], dt.date(2024, 9, 2), "1/BC", "Đã làm", attachments=[changing]
    )
    stored = rows[0]["attachments"][0]
    assert hashlib.sha256(Path(stored["path"]).read_bytes()).hexdigest() == stored["sha256"]


def test_a_damaged_blob_is_repaired_by_attaching_the_file_again(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path
) -> None:
    so, item, data_dir = visit
    source = tmp_path / "anh.jpg"
    source.write_bytes(b"\xff\xd8 good bytes" * 100)
    row = attachments.add_attachment(store, data_dir, so, item, source)
    blob = Path(row["path"])
    blob.chmod(0o600)
    blob.write_bytes(b"damaged")
    attachments.add_attachment(store, data_dir, so, item, source)
    assert blob.read_bytes() == source.read_bytes()


# -- the size limit ---------------------------------------------------------------------------
def test_default_limit_is_50_mb(store: Store) -> None:
    assert attachments.max_attachment_bytes(store) == 50 * 1024 * 1024
    store.settings.set_setting(attachments.SETTING_MAX_MB, "2")
    assert attachments.max_attachment_bytes(store) == 2 * 1024 * 1024
    assert attachments.max_attachment_bytes(store, 3) == 3 * 1024 * 1024


def test_a_file_over_the_limit_is_refused_at_attach_time(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path
) -> None:
    so, item, data_dir = visit
    big = tmp_path / "phim.mp4"
    with open(big, "wb") as fh:  # sparse: 51 MB of nothing, cheap
        fh.truncate(51 * 1024 * 1024)
    with pytest.raises(UserError) as caught:
        attachments.add_attachment(store, data_dir, so, item, big)
    message = str(caught.value)
    assert "\n" not in message and "50 MB" in message and "phim.mp4" in message
    assert _blobs(data_dir) == []
    assert store.findings.finding(so, item) is None or not attachments.list_attachments(
        store, data_dir, so, item
    )
    store.settings.set_setting(attachments.SETTING_MAX_MB, "60")
    assert attachments.add_attachment(store, data_dir, so, item, big)["size"] == 51 * 2**20


def test_a_file_growing_past_the_limit_while_copied_is_refused(
    store: Store, visit: tuple[str, str, Path], changing: Path
) -> None:
    so, item, data_dir = visit
    # Every read gives ~40 KB; a 0.03 MB limit is passed while copying, not at stat time.
    with pytest.raises(UserError, match="vượt giới hạn"):
        attachments.add_attachment(store, data_dir, so, item, changing, max_mb=0.03)
    assert _blobs(data_dir) == []
    assert not [p for p in (data_dir / "attachments").rglob("*") if p.is_file()]


def test_cli_max_attachment_mb(store: Store, db_path: Path, kiemtra: Kiemtra, tmp_path: Path):
    import datetime as dt

    from tests.test_followup import add_rec

    so, _ = small_plan(store)
    rec = add_rec(store, so, 1, "Niêm yết thủ tục", dt.date(2024, 9, 1))
    report = tmp_path / "báo cáo.pdf"
    report.write_bytes(b"%PDF" + b"x" * (2 * 1024 * 1024))
    args = ["remediation", "add", rec, "--date", "02/09/2024", "--doc", "1/BC", "--note", "x"]
    refused = kiemtra(*args, "--attach", str(report), "--max-attachment-mb", "1", ok=False)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Lỗi: ") and refused.stderr.count("\n") == 1
    assert "1 MB" in refused.stderr
    assert store.db.execute("SELECT count(*) FROM remediations").fetchone()[0] == 0
    kiemtra(*args, "--attach", str(report), "--max-attachment-mb", "3")
    assert store.db.execute("SELECT count(*) FROM remediation_attachments").fetchone()[0] == 1


# -- export never makes what its import refuses --------------------------------------------------
def test_export_refuses_a_package_its_import_would_refuse(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    so, item, data_dir = visit
    export_package(store, tmp_path / "first.kiemtra")  # the plan went out once already
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(os.urandom(300_000))
    attachments.add_attachment(store, data_dir, so, item, source)
    # The receiver's rule, made small: the same constant the import checks.
    monkeypatch.setattr(pkg, "MAX_TOTAL_BYTES", 200_000)
    out = tmp_path / "out.kiemtra"
    with pytest.raises(UserError) as caught:
        export_package(store, out)
    assert "\n" not in str(caught.value) and "MB" in str(caught.value)
    assert not out.exists() and not list(tmp_path.glob(".out*"))
    monkeypatch.setattr(pkg, "MAX_TOTAL_BYTES", 200 * 1024 * 1024)
    # Nothing was marked sent: the next incremental export still carries the rows.
    summary = export_package(store, out)
    assert summary["attachments"] == 1 and not summary["full"] and summary["rows"] >= 1


def test_export_refuses_more_parts_or_a_bigger_manifest_than_import_reads(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    so, item, data_dir = visit
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(b"%PDF" * 10)
    attachments.add_attachment(store, data_dir, so, item, source)
    out = tmp_path / "out.kiemtra"
    monkeypatch.setattr(pkg, "MAX_ENTRIES", 3)
    with pytest.raises(UserError, match="quá nhiều phần"):
        export_package(store, out, full=True)
    monkeypatch.setattr(pkg, "MAX_ENTRIES", 100_000)
    monkeypatch.setattr(pkg, "MAX_MANIFEST_BYTES", 500)
    with pytest.raises(UserError, match="Không xuất được"):
        export_package(store, out, full=True)
    assert not out.exists()


def test_export_writes_zip64_when_needed(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    so, item, data_dir = visit
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(os.urandom(50_000))
    attachments.add_attachment(store, data_dir, so, item, source)
    # A 2 GiB file made cheap: zipfile's own limit lowered (RuntimeError "use force_zip64").
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 20_000)
    out = tmp_path / "out.kiemtra"
    export_package(store, out, full=True)
    with zipfile.ZipFile(out) as zf:
        assert any(i.file_size == 50_000 for i in zf.infolist())
    receiver_db = tmp_path / "recv" / "kiemtra.sqlite"
    receiver = Store.open(receiver_db)
    try:
        from desktop.sync.importer import import_package

        import_package(receiver, out, trust_new=True)
        assert len(_blobs(data_dir_for(receiver_db))) == 1
    finally:
        receiver.close()


def test_a_refused_import_leaves_no_attachment_files(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sync import importer

    so, item, data_dir = visit
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(os.urandom(5000))
    attachments.add_attachment(store, data_dir, so, item, source)
    out = tmp_path / "out.kiemtra"
    export_package(store, out, full=True)
    receiver_db = tmp_path / "recv" / "kiemtra.sqlite"
    receiver = Store.open(receiver_db)
    try:

        def refuse(*_args: Any, **_kw: Any) -> Iterator[Any]:
            raise UserError("từ chối giữa chừng")

        monkeypatch.setattr(receiver.sync.merge, "merge_versions", refuse)
        with pytest.raises(UserError):
            importer.import_package(receiver, out, trust_new=True)
        folder = data_dir_for(receiver_db) / "attachments"
        assert not [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else True
        monkeypatch.undo()
        importer.import_package(receiver, out, trust_new=True)
        blobs = _blobs(data_dir_for(receiver_db))
        assert len(blobs) == 1
        if sys.platform != "win32":  # chmod only sets read-only there: the profile's ACL
            for made in (blobs[0].parent, blobs[0].parent.parent):
                assert stat.S_IMODE(made.stat().st_mode) == 0o700
    finally:
        receiver.close()


# -- collecting blobs nobody refers to ------------------------------------------------------------
def _orphan(data_dir: Path, content: bytes, age: float = 3600) -> Path:
    sha = hashlib.sha256(content).hexdigest()
    path = attachments.path_of(data_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    old = time.time() - age
    os.utime(path, (old, old))
    return path


def test_gc_removes_only_unreferenced_blobs(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, kiemtra: Kiemtra
) -> None:
    so, item, data_dir = visit
    source = tmp_path / "anh.jpg"
    source.write_bytes(b"kept" * 100)
    kept = Path(attachments.add_attachment(store, data_dir, so, item, source)["path"])
    removed_row = tmp_path / "xoa.jpg"
    removed_row.write_bytes(b"tombstoned" * 100)
    tomb = attachments.add_attachment(store, data_dir, so, item, removed_row)
    attachments.remove_attachment(store, tomb["id"])
    assert "0 tệp" in kiemtra("attachments", "gc").stdout  # (and today's backup is made)
    orphan = _orphan(data_dir, b"nobody" * 100)
    fresh = _orphan(data_dir, b"just copied, row not yet written", age=0)
    counts = json.loads(kiemtra("attachments", "gc", "--json").stdout)
    assert counts == {"removed": 1, "bytes": 600, "kept": 3}
    assert kept.is_file() and Path(tomb["path"]).is_file() and fresh.is_file()
    assert not orphan.exists()


def test_backup_collects_unreferenced_blobs(store: Store, db_path: Path) -> None:
    from desktop.services.backup import backup_now

    orphan = _orphan(data_dir_for(db_path), b"nobody" * 100)
    backup_now(store)
    assert not orphan.exists()


# -- names ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "on_disk"),
    [
        ("CON", "_CON"),
        ("aux.txt", "_aux.txt"),
        ("com1.pdf", "_com1.pdf"),
        ("Lpt9", "_Lpt9"),
        ("báo cáo. . ", "báo cáo"),
        ("dòng 1\ndòng 2.txt", "dòng 1_dòng 2.txt"),
        ("anh\u202egnp.exe", "anhgnp.exe"),
        ('a<b>c:"d|e?f*.txt', "a_b_c__d_e_f_.txt"),
        ("...", "tep-dinh-kem"),
        ("ảnh niêm yết.jpg", "ảnh niêm yết.jpg"),
    ],
)
def test_names_are_made_safe_for_windows(given: str, on_disk: str) -> None:
    assert attachments.safe_filename(given) == on_disk


def test_display_name_shows_what_is_really_there() -> None:
    shown = attachments.display_name("anh\u202egnp.exe")
    assert "\u202e" not in shown and shown.endswith("exe")
    assert attachments.display_name("dòng 1\ndòng 2") == "dòng 1 dòng 2"


def test_the_original_name_is_kept_and_views_carry_safe_ones(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path
) -> None:
    so, item, data_dir = visit
    source = tmp_path / "anh\u202egnp.exe"
    source.write_bytes(b"MZ" * 10)
    row = attachments.add_attachment(store, data_dir, so, item, source)
    assert row["filename"] == "anh\u202egnp.exe"
    assert row["display_name"] == attachments.display_name(row["filename"])
    assert row["safe_name"] == "anhgnp.exe"


def test_gc_keeps_what_a_backup_refers_to(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, db_path: Path
) -> None:
    from desktop.services.backup import backup_now, collect_attachments

    so, item, data_dir = visit
    source = tmp_path / "anh.jpg"
    source.write_bytes(b"in the backup only" * 10)
    blob = Path(attachments.add_attachment(store, data_dir, so, item, source)["path"])
    made = backup_now(store)
    # The live database no longer knows the row (an older backup was restored, say).
    store.db.execute("DELETE FROM attachments")
    old = time.time() - 3600
    os.utime(blob, (old, old))
    assert collect_attachments(store) == {"removed": 0, "bytes": 0, "kept": 1}
    assert blob.is_file()
    made.unlink()
    assert collect_attachments(store)["removed"] == 1
    assert not blob.exists()


def test_an_import_whose_attachment_changes_while_copied_is_refused(
    store: Store, visit: tuple[str, str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.sync.importer import import_package

    so, item, data_dir = visit
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(os.urandom(5000))
    attachments.add_attachment(store, data_dir, so, item, source)
    out = tmp_path / "out.kiemtra"
    export_package(store, out, full=True)

    def changed(self: pkg.Content, sha256: str, sink: Any) -> None:
        sink(b"not what was checked")

    monkeypatch.setattr(pkg.Content, "stream_attachment", changed)
    receiver_db = tmp_path / "recv" / "kiemtra.sqlite"
    receiver = Store.open(receiver_db)
    try:
        with pytest.raises(UserError, match="sai mã băm"):
            import_package(receiver, out, trust_new=True)
        assert _blobs(data_dir_for(receiver_db)) == []
    finally:
        receiver.close()
