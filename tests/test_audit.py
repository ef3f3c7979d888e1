"""History of a finding and verification of the hash-chained audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Store
from desktop.domain import Result
from desktop.services import audit, evidence, findings
from tests.conftest import Kiemtra
from tests.recording_helpers import item_id, small_plan


@pytest.fixture
def plan(store: Store) -> tuple[str, str]:
    return small_plan(store)


def test_finding_history_one_entry_per_changed_field(store: Store, plan) -> None:
    so, _ = plan
    item = item_id(store, so, "A1.1.1")
    findings.record(store, so, "A1.1.1", result=Result.KHONG_DAT, note="Chưa có", recorded_by="An")
    findings.record(
        store, so, "A1.1.1", result=Result.DAT, score=1, note="Đã bổ sung", recorded_by="Bình"
    )
    findings.record(store, so, "A1.1.1", note="Đã bổ sung", recorded_by="Bình")  # no change
    evidence.add_evidence(store, so, item, number="12/KH", issued_on="05/01/2025")
    history = audit.finding_history(store, so, item)
    for entry in history:
        assert set(entry) >= {"at", "who", "field", "old", "new"}
    first = [(e["who"], e["field"], e["old"], e["new"]) for e in history[:3]]
    assert first == [
        ("An", "Kết quả", "", "Không đạt"),
        ("An", "Điểm", "", "0"),
        ("An", "Nhận xét", "", "Chưa có"),
    ]
    second = [(e["who"], e["field"], e["old"], e["new"]) for e in history[3:6]]
    assert second == [
        ("Bình", "Kết quả", "Không đạt", "Đạt"),
        ("Bình", "Điểm", "0", "1"),
        ("Bình", "Nhận xét", "Chưa có", "Đã bổ sung"),
    ]
    docs = [(e["field"], e["new"]) for e in history[6:]]
    assert docs == [
        ("Tài liệu kiểm chứng: số/ký hiệu", "12/KH"),
        ("Tài liệu kiểm chứng: ngày", "05/01/2025"),
    ]
    assert all(e["at"] and len(e["at_text"]) == 16 for e in history)


def test_history_of_an_untouched_item_is_empty(store: Store, plan) -> None:
    so, _ = plan
    assert audit.finding_history(store, so, item_id(store, so, "A1.1.2")) == []


def test_verify_clean(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", result=Result.DAT)
    report = audit.verify(store)
    count = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert report["ok"] is True and report["entries"] == count > 0
    assert report["message"] == f"Nhật ký toàn vẹn ({count} mục)"


def _tamper(path: Path, seq: int) -> str:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET actor = 'kẻ giả mạo' WHERE seq = ?", [seq])
    at = conn.execute("SELECT at FROM audit_log WHERE seq = ?", [seq]).fetchone()[0]
    conn.commit()
    conn.close()
    return str(at)


def test_verify_reports_the_tampered_entry(store: Store, plan, db_path: Path) -> None:
    so, _ = plan
    for n in range(4):
        findings.record(store, so, "A1.1.1", note=f"Lần {n}")
    seqs = [r[0] for r in store.db.execute("SELECT seq FROM audit_log ORDER BY seq")]
    target = seqs[len(seqs) // 2]
    at = _tamper(db_path, target)
    report = audit.verify(store)
    assert report["ok"] is False
    assert report["broken_seq"] == target and report["broken_at"] == at
    assert f"mục số {target}" in report["message"]


def test_cli_audit_verify(kiemtra: Kiemtra, store: Store, plan, db_path: Path) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", result=Result.DAT)
    findings.record(store, so, "A1.1.2", result=Result.DAT)
    count = store.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    clean = kiemtra("audit", "verify")
    assert clean.stdout.strip() == f"Nhật ký toàn vẹn ({count} mục)"
    assert kiemtra.json("audit", "verify")["ok"] is True
    _tamper(db_path, 1)
    broken = kiemtra("audit", "verify", ok=False)
    assert broken.exit_code == 1
    assert "mục số 1" in broken.stderr and broken.stderr.count("\n") == 1
    as_json = kiemtra("audit", "verify", "--json", ok=False)
    assert as_json.exit_code == 1
    import json

    data = json.loads(as_json.stdout)
    assert data["ok"] is False and data["broken_seq"] == 1 and data["broken_at"]


def test_cli_records_the_actor_and_history_names_them(
    kiemtra: Kiemtra, store: Store, plan, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    so, _ = plan
    item = item_id(store, so, "A1.1.1")
    device = store.device_name
    store.close()
    kiemtra("--as", "Nguyễn Văn An", "finding", "set", so, "A1.1.1", "--result", "khong-dat")
    monkeypatch.setenv("KIEMTRA_ACTOR", "Trần Thị Bình")
    kiemtra("finding", "set", so, "A1.1.1", "--result", "dat", "--note", "Đã bổ sung")
    monkeypatch.delenv("KIEMTRA_ACTOR")
    kiemtra("finding", "set", so, "A1.1.1", "--score", "0.5")
    check = Store.open(db_path, read_only=True)
    try:
        actors = [
            r[0]
            for r in check.db.execute(
                "SELECT actor FROM audit_log WHERE table_name = 'findings' ORDER BY seq"
            )
        ]
        assert actors == ["Nguyễn Văn An", "Trần Thị Bình", device]
        who = [(e["who"], e["field"], e["new"]) for e in audit.finding_history(check, so, item)]
    finally:
        check.close()
    assert ("Nguyễn Văn An", "Kết quả", "Không đạt") in who
    assert ("Trần Thị Bình", "Kết quả", "Đạt") in who
    assert ("Trần Thị Bình", "Nhận xét", "Đã bổ sung") in who
    assert (device, "Điểm", "0.5") in who


def test_store_actor_names_the_window_user(store: Store, plan) -> None:
    so, _ = plan
    item = item_id(store, so, "A1.1.1")
    store.actor = "Lê Văn Cường"  # what the window does when "Tôi là" changes
    findings.record(store, so, "A1.1.1", result=Result.DAT)
    store.actor = "Phạm Thị Dung"
    findings.record(store, so, "A1.1.1", note="Có kế hoạch")
    history = audit.finding_history(store, so, item)
    assert {(e["who"], e["field"]) for e in history} >= {
        ("Lê Văn Cường", "Kết quả"),
        ("Phạm Thị Dung", "Nhận xét"),
    }
    assert store.findings.finding(so, item)["recorded_by"] == "Phạm Thị Dung"


def _delete_last(path: Path) -> int:
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    last = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.execute("DELETE FROM audit_log WHERE seq = ?", [last])
    conn.commit()
    conn.close()
    return int(last)


def test_verify_sees_a_deleted_last_entry(
    kiemtra: Kiemtra, store: Store, plan, db_path: Path
) -> None:
    so, _ = plan
    for n in range(3):
        findings.record(store, so, "A1.1.1", note=f"Lần {n}")
    assert audit.verify(store)["ok"] is True
    last = _delete_last(db_path)
    report = audit.verify(store)
    assert report["ok"] is False and report["broken_seq"] == last
    assert report["message"].startswith(f"Nhật ký bị cắt cụt sau mục số {last - 1}")
    store.close()
    broken = kiemtra("audit", "verify", ok=False)
    assert broken.exit_code == 1 and f"cắt cụt sau mục số {last - 1}" in broken.stderr


def test_an_entry_appended_after_a_deleted_tail_breaks_the_chain(
    store: Store, plan, db_path: Path
) -> None:
    so, _ = plan
    for n in range(3):
        findings.record(store, so, "A1.1.1", note=f"Lần {n}")
    last = _delete_last(db_path)
    findings.record(store, so, "A1.1.1", note="Ghi tiếp")  # reuses the deleted seq
    report = audit.verify(store)
    assert report["ok"] is False and report["broken_seq"] == last
    assert "sửa đổi hoặc hỏng từ mục số" in report["message"]


def test_a_database_without_a_recorded_head_still_verifies(
    store: Store, plan, db_path: Path
) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Lần 1")
    store.db.execute("DELETE FROM settings WHERE key = 'audit_head'")  # an older database
    assert audit.verify(store)["ok"] is True
    findings.record(store, so, "A1.1.1", note="Lần 2")
    assert audit.verify(store)["ok"] is True
    assert store.core.audit_head() == tuple(
        store.db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    )


@pytest.mark.parametrize(
    ("code", "value", "shown"),
    [
        ("A1.1.2", "co", "Có"),  # YES_NO
        ("A1.1.2", "khong", "Không"),
        ("A1.1.1", "co", "Đúng hạn"),  # DATE_ON_TIME
        ("A1.1.1", "khong", "Không đúng hạn"),
        ("A1.3.1", "dat", "Đạt"),  # LEVEL
        ("A1.3.1", "chua-dat", "Chưa đạt"),
    ],
)
def test_history_shows_the_label_of_a_measure_not_its_code(
    store: Store, plan, code: str, value: str, shown: str
) -> None:
    """issue 13: history showed "→ co" / "→ dat"; it shows the word the inspector clicked."""
    so, _ = plan
    row = next(r for r in store.findings.inspection_items(so) if r["code"] == code)
    findings.record_changes(store, so, row, {"value": value}, recorded_by="An")
    history = audit.finding_history(store, so, row["item_id"])
    assert [(e["field"], e["old"], e["new"]) for e in history] == [("Giá trị", "", shown)]
