"""The attacks an attacker session ran on a copy of a laptop's database (issue 15, finding 8):
triggers dropped, the log edited with sqlite3, the triggers put back. Each must make `audit
verify` exit 1 with one Vietnamese line; an untouched log stays "Nhật ký toàn vẹn (N mục)".

The chain's head is signed with the device key at every write (not only at export), every
export keeps the head it signed, and `audit verify` checks the stored signed head against
both the chain and the exported heads."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from db import Store
from db.store.core import GENESIS_HASH, entry_hash
from desktop.services.demo import build_demo
from tests.sync.helpers import Laptop

NAMES = ["at", "device_id", "actor", "action", "table_name", "row_id", "old", "new"]


def _laptop(tmp_path: Path, *, export: bool = True) -> Laptop:
    laptop = Laptop(tmp_path, "may-a")
    build_demo(laptop.store)
    laptop.close()
    if export:
        laptop.cli("sync", "export", "-o", str(tmp_path / "a1.kiemtra"), "--full")
    return laptop


def _edit_note(laptop: Laptop, text: str) -> None:
    inspection = laptop.cli.json("inspections")[0]["id"]
    laptop.cli("finding", "set", inspection, "A1.1.1", "--note", text)


def _open(laptop: Laptop) -> sqlite3.Connection:
    conn = sqlite3.connect(laptop.db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    return conn


def _relink(conn: sqlite3.Connection, *, move_head: bool = True) -> None:
    """Recompute every link of the chain and move the stored head to its end."""
    prev = GENESIS_HASH
    rows = conn.execute(f"SELECT seq, {', '.join(NAMES)} FROM audit_log ORDER BY seq").fetchall()
    for seq, *values in rows:
        digest = entry_hash(prev, dict(zip(NAMES, values, strict=True)))
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, digest, seq]
        )
        prev = digest
    if move_head:
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'audit_head'", [f"{rows[-1][0]}:{prev}"]
        )


def _close(conn: sqlite3.Connection, laptop: Laptop) -> None:
    conn.commit()
    conn.close()


def _tampered(laptop: Laptop) -> str:
    result = laptop.cli("audit", "verify", ok=False)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.output
    return lines[0]


def _count(laptop: Laptop) -> int:
    report = laptop.cli.json("audit", "verify")
    assert report["ok"] is True, report
    return int(report["entries"])


def test_an_untouched_log_after_edits_past_the_export_is_intact(tmp_path: Path) -> None:
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Sau khi xuất gói")
    _edit_note(laptop, "Lần thứ hai")
    result = laptop.cli("audit", "verify")
    assert result.stdout.strip() == f"Nhật ký toàn vẹn ({_count(laptop)} mục)"


def test_a_deleted_tail_after_the_last_export_with_the_head_moved(tmp_path: Path) -> None:
    """(a)"""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú sẽ bị xóa")
    last = _count(laptop)
    conn = _open(laptop)
    conn.execute("DELETE FROM audit_log WHERE seq = ?", [last])
    _relink(conn)
    _close(conn, laptop)
    assert "đã ký" in _tampered(laptop)


def test_a_deleted_tail_with_both_stored_heads_deleted(tmp_path: Path) -> None:
    """(b)"""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú sẽ bị xóa")
    last = _count(laptop)
    conn = _open(laptop)
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [last - 10])
    conn.execute("DELETE FROM settings WHERE key IN ('audit_head', 'audit_head_signed')")
    _close(conn, laptop)
    assert "đã ký" in _tampered(laptop)


def test_a_rewritten_entry_after_the_last_export_with_the_chain_recomputed(
    tmp_path: Path,
) -> None:
    """(c)"""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú thật")
    last = _count(laptop)
    conn = _open(laptop)
    conn.execute(
        "UPDATE audit_log SET new = replace(new, 'Ghi chú thật', 'Ghi chú giả') WHERE seq = ?",
        [last],
    )
    _relink(conn)
    _close(conn, laptop)
    assert "đã ký" in _tampered(laptop)


def test_a_forged_entry_appended_with_the_chain_recomputed(tmp_path: Path) -> None:
    """(d)"""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú thật")
    last = _count(laptop)
    conn = _open(laptop)
    row = conn.execute(f"SELECT {', '.join(NAMES)} FROM audit_log WHERE seq = ?", [last]).fetchone()
    forged = dict(zip(NAMES, row, strict=True))
    forged["new"] = json.dumps({"note": "Mục giả"}, ensure_ascii=False)
    conn.execute(
        f"INSERT INTO audit_log (seq, {', '.join(NAMES)}, prev_hash, hash) "
        f"VALUES (?, {', '.join('?' * len(NAMES))}, '', '')",
        [last + 1, *forged.values()],
    )
    _relink(conn)
    _close(conn, laptop)
    assert "không có chữ ký" in _tampered(laptop)


def test_an_older_exports_signed_head_put_back(tmp_path: Path) -> None:
    """(e)"""
    laptop = _laptop(tmp_path)
    conn = sqlite3.connect(laptop.db_path)
    older = conn.execute("SELECT value FROM settings WHERE key = 'audit_head_signed'").fetchone()
    conn.close()
    seq = json.loads(older[0])["seq"]
    _edit_note(laptop, "Sau lần xuất thứ nhất")
    laptop.cli("sync", "export", "-o", str(tmp_path / "a2.kiemtra"), "--full")
    _edit_note(laptop, "Sau lần xuất thứ hai")
    conn = _open(laptop)
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [seq])
    conn.execute("UPDATE settings SET value = ? WHERE key = 'audit_head_signed'", [older[0]])
    _relink(conn)
    _close(conn, laptop)
    assert "đã ký" in _tampered(laptop)


def test_signing_as_the_head_moves_needs_no_export(tmp_path: Path) -> None:
    """(a) on a laptop that never exported: the head is signed at every write."""
    laptop = _laptop(tmp_path, export=False)
    _edit_note(laptop, "Ghi chú")
    _edit_note(laptop, "Ghi chú sẽ bị xóa")
    last = _count(laptop)
    conn = _open(laptop)
    conn.execute("DELETE FROM audit_log WHERE seq = ?", [last])
    _relink(conn)
    _close(conn, laptop)
    assert "đã ký" in _tampered(laptop)


def test_a_finding_edited_outside_the_app(tmp_path: Path) -> None:
    """(f): no audit entry at all; the finding no longer says what its last entry says."""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú thật")
    conn = sqlite3.connect(laptop.db_path)
    changed = conn.execute(
        "UPDATE findings SET note = 'Ghi chú sửa ngoài chương trình' WHERE note = 'Ghi chú thật'"
    ).rowcount
    conn.commit()
    conn.close()
    assert changed == 1
    assert "Nhận xét" in _tampered(laptop)


def test_a_log_from_before_signing_still_verifies(tmp_path: Path) -> None:
    """An earlier version's database: entries, no signed head (and an export without one)."""
    laptop = _laptop(tmp_path)
    _edit_note(laptop, "Ghi chú")
    conn = sqlite3.connect(laptop.db_path)
    conn.execute("DELETE FROM settings WHERE key = 'audit_head_signed'")
    conn.execute("UPDATE sync_exports SET audit_head = NULL")
    conn.commit()
    conn.close()
    result = laptop.cli("audit", "verify")
    assert result.stdout.strip() == f"Nhật ký toàn vẹn ({_count(laptop)} mục)"


def test_the_receiver_keeps_the_head_each_package_carries(tmp_path: Path) -> None:
    laptop = _laptop(tmp_path)
    other = Laptop(tmp_path, "may-b")
    other.close()
    sender = laptop.info()
    other.cli("sync", "import", str(tmp_path / "a1.kiemtra"), "--trust-new")
    report = other.cli.json("audit", "verify")
    seen = {h["device_id"]: h for h in report["heads_seen"]}
    assert seen[sender["id"]]["seq"] > 0 and len(seen[sender["id"]]["hash"]) == 64


def test_entries_after_a_head_an_earlier_version_signed_at_export_are_no_forgery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier version signed the head only at export (context v1) and wrote entries after
    it unsigned: still intact after the upgrade. A head signed as it moves (v2) allows none."""
    import base64

    from db import Store
    from db.store.core import SIGNED_HEAD_KEY
    from desktop.sync import audit_head
    from desktop.sync.keys import current_keys

    laptop = _laptop(tmp_path)
    monkeypatch.setattr(Store, "head_signer_factory", None)  # as the earlier version wrote
    store = Store.open(laptop.db_path)
    keys = current_keys(store)
    assert keys is not None
    seq, digest = store.core.audit_last() or (0, "")
    message = audit_head._message(store.device_id, seq, digest, live=False)
    v1 = {
        "device_id": store.device_id,
        "seq": seq,
        "hash": digest,
        "at": "2026-01-02T03:04:05+07:00",
        "signature": base64.b64encode(keys.signing.sign(message)).decode("ascii"),
    }
    store.settings.set_setting(SIGNED_HEAD_KEY, json.dumps(v1))
    inspection = store.planning.inspections()[0]["id"]
    item = store.findings.inspection_items(inspection)[0]["item_id"]
    store.findings.set_finding(inspection, item, {"note": "Ghi bởi phiên bản trước"})
    store.db.execute("UPDATE sync_exports SET audit_head = NULL")
    store.close()
    monkeypatch.undo()
    assert laptop.cli.json("audit", "verify")["ok"] is True
    # The same entry after a v2 head: appended outside the app.
    _edit_note(laptop, "Phiên bản mới")
    monkeypatch.setattr(Store, "head_signer_factory", None)
    store = Store.open(laptop.db_path)
    store.findings.set_finding(inspection, item, {"note": "Không ký"})
    store.close()
    monkeypatch.undo()
    assert "không có chữ ký" in _tampered(laptop)


def test_only_the_entries_after_the_export_deleted_with_both_stored_heads(tmp_path: Path) -> None:
    """(b), the export's own head left in place: a signed head must exist."""
    laptop = _laptop(tmp_path)
    exported = _count(laptop)
    _edit_note(laptop, "Ghi chú sẽ bị xóa")
    conn = _open(laptop)
    conn.execute("DELETE FROM audit_log WHERE seq > ?", [exported])
    conn.execute("DELETE FROM settings WHERE key IN ('audit_head', 'audit_head_signed')")
    _close(conn, laptop)
    assert "đầu nhật ký đã ký bị xóa" in _tampered(laptop)


def test_an_older_signed_head_put_back_over_a_newer_export(tmp_path: Path) -> None:
    """(e), nothing truncated: the stored head may not be older than an exported one."""
    laptop = _laptop(tmp_path)
    conn = sqlite3.connect(laptop.db_path)
    older = conn.execute("SELECT value FROM settings WHERE key = 'audit_head_signed'").fetchone()
    conn.close()
    _edit_note(laptop, "Sau lần xuất thứ nhất")
    laptop.cli("sync", "export", "-o", str(tmp_path / "a2.kiemtra"), "--full")
    conn = sqlite3.connect(laptop.db_path)
    conn.execute("UPDATE settings SET value = ? WHERE key = 'audit_head_signed'", [older[0]])
    _close(conn, laptop)
    assert "cũ hơn đầu đã ký khi xuất gói" in _tampered(laptop)


def test_a_restored_copy_written_before_any_sync_command_stays_intact(tmp_path: Path) -> None:
    """Found by a probe: a database restored on a replacement laptop (its keys left behind)
    wrote unsigned entries after its signed head until a sync command gave it a new identity,
    and `audit verify` then called them added outside the app. It takes the identity when
    opened for writing."""
    import shutil

    from tests.conftest import Kiemtra

    laptop = _laptop(tmp_path)
    elsewhere = tmp_path / "thay-the" / "kiemtra.sqlite"
    elsewhere.parent.mkdir()
    shutil.copy(laptop.db_path, elsewhere)
    copy = Laptop.__new__(Laptop)
    copy.db_path, copy.cli = elsewhere, Kiemtra(elsewhere)
    _edit_note(copy, "Ghi trên máy thay thế")
    result = copy.cli("audit", "verify")
    assert result.stdout.strip() == f"Nhật ký toàn vẹn ({_count(copy)} mục)"
    assert copy.info()["id"] != laptop.info()["id"]


def test_a_resolved_conflict_reads_as_audited(store: Store) -> None:
    """Found by a probe: resolving kept the other side's note, which the row already showed,
    and logged only the fields that changed; the finding then differed from its last audited
    note and `audit verify` called it edited outside the app."""
    from desktop.services.audit import check_findings
    from desktop.sync import conflict_choices
    from tests.sync.test_conflict_choices import three_field_conflict

    conflict = three_field_conflict(store)
    choices = {"result": "mine", "score": "theirs", "note": "theirs"}
    conflict_choices.resolve_by_field(store, conflict["id"], choices)
    assert store.core.get_row("findings", conflict["row_id"])["note"] == "Máy kia"
    assert check_findings(store) is None


def test_the_opening_check_reads_the_binding_identity_writes(tmp_path: Path) -> None:
    """audit_head._moved repeats identity's setting name and path rule (not imported at
    start-up): a database where its keys were made is not moved; its copy is."""
    import shutil

    from desktop.sync import audit_head

    laptop = _laptop(tmp_path)
    store = Store.open(laptop.db_path)
    try:
        assert audit_head._moved(store) is False
    finally:
        store.close()
    elsewhere = tmp_path / "khac" / "kiemtra.sqlite"
    elsewhere.parent.mkdir()
    shutil.copy(laptop.db_path, elsewhere)
    from db.connection import open_database

    copy = Store(open_database(elsewhere))
    copy.path = elsewhere
    try:
        assert audit_head._moved(copy) is True
    finally:
        copy.db.close()


def test_the_opening_check_names_the_key_file_keys_writes(tmp_path: Path) -> None:
    """_moved names keys' folder and file without importing it: the names must agree."""
    from desktop.sync.keys import KEYS_DIR, SIGNING_FILE

    assert (KEYS_DIR, SIGNING_FILE) == ("keys", "device_ed25519.pem")
