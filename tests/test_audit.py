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
