"""Evidence documents of a finding: add, list, update, tombstone, dates."""

from __future__ import annotations

import pytest

from db import Store
from desktop.services import evidence
from desktop.services.errors import UserError
from tests.recording_helpers import item_id, small_plan


@pytest.fixture
def target(store: Store) -> tuple[str, str]:
    so, _ = small_plan(store)
    return so, item_id(store, so, "A1.1.1")


def test_add_creates_the_finding_and_stores_iso_date(store: Store, target) -> None:
    so, item = target
    assert store.findings.finding(so, item) is None
    doc = evidence.add_evidence(
        store, so, item, number=" 125/KH-SYT ", issued_on="5/1/2025", summary="Kế hoạch CCHC"
    )
    assert store.findings.finding(so, item) is not None
    assert doc["finding_id"] == store.findings.finding(so, item)["id"]
    assert doc["number"] == "125/KH-SYT"
    assert doc["issued_on"] == "2025-01-05"
    assert doc["issued_on_text"] == "05/01/2025"
    raw = store.core.get_row("evidence_docs", doc["id"])
    assert raw["issued_on"] == "2025-01-05"
    # the finding exists but holds no result yet
    assert store.findings.finding(so, item)["result"] is None


def test_list_in_order_and_nfc(store: Store, target) -> None:
    so, item = target
    decomposed = "Ke\u0302\u0301 hoa\u0323ch"  # "Kế hoạch" typed as NFD
    evidence.add_evidence(store, so, item, number="1/KH", summary=decomposed)
    evidence.add_evidence(store, so, item, number="2/QĐ", issued_on="")
    docs = evidence.list_evidence(store, so, item)
    assert [d["number"] for d in docs] == ["1/KH", "2/QĐ"]
    assert docs[0]["summary"] == "Kế hoạch"
    assert docs[1]["issued_on"] is None and docs[1]["issued_on_text"] == ""
    assert [d["position"] for d in docs] == [0, 1]


def test_update_and_delete_are_tombstones_with_audit(store: Store, target) -> None:
    so, item = target
    doc = evidence.add_evidence(store, so, item, number="1/KH", issued_on="01/02/2025")
    changed = evidence.update_evidence(store, doc["id"], summary="Trích yếu mới")
    assert changed["summary"] == "Trích yếu mới" and changed["number"] == "1/KH"
    cleared = evidence.update_evidence(store, doc["id"], clear_date=True)
    assert cleared["issued_on"] is None
    evidence.delete_evidence(store, doc["id"])
    assert evidence.list_evidence(store, so, item) == []
    assert store.core.get_row("evidence_docs", doc["id"])["deleted"] == 1
    assert [h["action"] for h in store.core.history("evidence_docs", doc["id"])] == [
        "insert",
        "update",
        "update",
        "update",
    ]
    with pytest.raises(UserError):
        evidence.delete_evidence(store, doc["id"])


@pytest.mark.parametrize("bad", ["32/01/2025", "hôm qua", "2025/13/01"])
def test_bad_date_is_a_user_error_and_writes_nothing(store: Store, target, bad: str) -> None:
    so, item = target
    with pytest.raises(UserError, match="dd/mm/yyyy"):
        evidence.add_evidence(store, so, item, number="1/KH", issued_on=bad)
    assert store.findings.finding(so, item) is None
    assert store.db.execute("SELECT count(*) FROM evidence_docs").fetchone()[0] == 0


def test_empty_document_and_unknown_item_are_refused(store: Store, target) -> None:
    so, item = target
    with pytest.raises(UserError):
        evidence.add_evidence(store, so, item, number=" ", summary="")
    with pytest.raises(UserError):
        evidence.add_evidence(store, so, "no-such-item", number="1/KH")
    with pytest.raises(UserError):
        evidence.add_evidence(store, "no-such-inspection", item, number="1/KH")
    doc = evidence.add_evidence(store, so, item, number="1/KH")
    with pytest.raises(UserError):
        evidence.update_evidence(store, doc["id"], number="")


def test_item_not_applicable_to_the_unit_is_refused(store: Store) -> None:
    so, xa = small_plan(store)
    only_so = item_id(store, so, "A3.1.2")
    with pytest.raises(UserError):
        evidence.add_evidence(store, xa, only_so, number="1/KH")
