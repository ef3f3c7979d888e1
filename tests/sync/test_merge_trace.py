"""Merges leave a trace (issue 15, finding 6): an import writes one audit entry per package
with its counts and one per row it changed, and a finding's history shows a change that came
by sync, named by the member (or device) who made it."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.services.audit import HISTORY_FIELDS, finding_history, verify
from desktop.services.demo import build_demo
from tests.sync.helpers import Laptop


def test_an_import_is_recorded_and_shown_in_the_findings_history(tmp_path: Path) -> None:
    a = Laptop(tmp_path, "may-a")
    b = Laptop(tmp_path, "thu-ky")
    build_demo(a.store)
    first = tmp_path / "a1.kiemtra"
    a.cli("sync", "export", "-o", str(first), "--full")
    b.cli("sync", "import", str(first), "--trust-new")
    insp = a.store.planning.inspections()[0]["id"]
    item = a.store.findings.item_id_for_code(insp, "A1.1.1")
    a.store.findings.set_finding(insp, item, {"note": "Ghi ở máy A"}, recorded_by="Trần Văn A")
    second = tmp_path / "a2.kiemtra"
    a.cli("sync", "export", "-o", str(second))
    before = b.store.core.audit_count()
    result = b.cli.json("sync", "import", str(second))
    assert result["updated"] == 1
    b.reopen()
    entries = b.store.db.query(
        "SELECT action, table_name, row_id, device_id, new FROM audit_log WHERE seq > ? "
        "ORDER BY seq",
        [before],
    )
    entries = [dict(e) for e in entries]
    package = [e for e in entries if e["action"] == "sync-import"]
    assert len(package) == 1 and result["package"] in package[0]["new"]
    assert '"updated": 1' in package[0]["new"] and a.store.device_id in package[0]["new"]
    rows = [e for e in entries if e["action"] == "sync"]
    assert len(rows) == 1 and rows[0]["table_name"] == "findings"
    assert rows[0]["device_id"] == a.store.device_id
    history = finding_history(b.store, insp, item)
    change = [h for h in history if h["new"] == "Ghi ở máy A"]
    assert len(change) == 1
    assert "Trần Văn A" in change[0]["who"] and "đồng bộ" in change[0]["who"]
    assert verify(b.store)["ok"]
    # The CLI shows it too.
    shown = b.cli.json("audit", "history", insp, "A1.1.1")
    assert any(h["new"] == "Ghi ở máy A" and "đồng bộ" in h["who"] for h in shown)
    a.close()
    b.close()


def test_the_first_import_records_its_rows_as_inserted(tmp_path: Path) -> None:
    a = Laptop(tmp_path, "may-a")
    b = Laptop(tmp_path, "thu-ky")
    build_demo(a.store)
    pkg_path = tmp_path / "a.kiemtra"
    a.cli("sync", "export", "-o", str(pkg_path), "--full")
    result = b.cli.json("sync", "import", str(pkg_path), "--trust-new")
    b.reopen()
    # One entry per inserted row of the tables a finding's history shows (and only those:
    # the package's entry counts the rest, table by table).
    shown = ("findings", "evidence_docs", "attachments")
    rows = {t: b.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in shown}
    synced = b.store.db.query(
        "SELECT table_name, count(*) AS n FROM audit_log WHERE action = 'sync' GROUP BY table_name"
    )
    assert {r["table_name"]: r["n"] for r in synced} == {t: n for t, n in rows.items() if n}
    package = b.store.db.execute(
        "SELECT new FROM audit_log WHERE action = 'sync-import'"
    ).fetchone()[0]
    tables = json.loads(package)["tables"]
    assert sum(tables.values()) == result["inserted"] and tables["findings"] == rows["findings"]
    assert verify(b.store)["ok"]
    a.close()
    b.close()


def test_an_inserted_finding_is_traced_with_its_values_and_shown_in_history(
    tmp_path: Path,
) -> None:
    a = Laptop(tmp_path, "may-a")
    b = Laptop(tmp_path, "thu-ky")
    build_demo(a.store)
    insp = a.store.planning.inspections()[0]["id"]
    item = a.store.findings.item_id_for_code(insp, "A1.1.1")
    a.store.findings.set_finding(insp, item, {"note": "Mới ở máy A"}, recorded_by="Trần Văn A")
    pkg_path = tmp_path / "a.kiemtra"
    a.cli("sync", "export", "-o", str(pkg_path), "--full")
    b.cli("sync", "import", str(pkg_path), "--trust-new")
    b.reopen()
    fid = b.store.db.execute(
        "SELECT id FROM findings WHERE inspection_id = ? AND item_id = ?", [insp, item]
    ).fetchone()[0]
    [entry] = b.store.core.history("findings", fid)
    new = json.loads(entry["new"])
    assert entry["old"] is None and entry["device_id"] == a.store.device_id
    assert new["note"] == "Mới ở máy A" and new["recorded_by"] == "Trần Văn A"
    # Only what the history reads: its labelled fields and the member it names.
    assert None not in new.values() and new.keys() <= HISTORY_FIELDS["findings"]
    assert "recorded_by" in HISTORY_FIELDS["findings"] and "inspection_id" not in new
    history = finding_history(b.store, insp, item)
    assert any(
        h["new"] == "Mới ở máy A" and "Trần Văn A" in h["who"] and "đồng bộ" in h["who"]
        for h in history
    )
    assert verify(b.store)["ok"]
    a.close()
    b.close()


def test_a_finding_that_arrived_by_sync_is_not_shown_as_restored(tmp_path: Path) -> None:
    """Found by hand (attack session): a finding inserted by an import showed "Kết quả kiểm
    tra: → Khôi phục" (its `deleted` = 0 read as a restore) in its history; a local insert
    never shows it."""
    a = Laptop(tmp_path, "may-a")
    b = Laptop(tmp_path, "thu-ky")
    build_demo(a.store)
    pkg_path = tmp_path / "a.kiemtra"
    a.cli("sync", "export", "-o", str(pkg_path), "--full")
    b.cli("sync", "import", str(pkg_path), "--trust-new")
    b.reopen()
    insp = a.store.planning.inspections()[0]["id"]
    item = a.store.findings.item_id_for_code(insp, "A1.1.1")
    history = finding_history(b.store, insp, item)
    assert history and all("đồng bộ" in h["who"] for h in history)
    assert not [h for h in history if h["new"] == "Khôi phục"], history
    local = finding_history(a.store, insp, item)
    assert not [h for h in local if h["new"] == "Khôi phục"]
    a.close()
    b.close()
