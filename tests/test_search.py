"""Full-text search without diacritics, scoped to an inspection, kept in step with edits."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import Store
from desktop.domain import Result, fold
from desktop.services import evidence, findings
from desktop.services.search import fts_query, query_terms, search, snippet
from tests.conftest import Kiemtra
from tests.recording_helpers import item_id, small_plan

ONLY_SO = "A3.1.2"  # "Tham mưu UBND tỉnh công bố danh mục TTHC ..." applies to sở only


@pytest.fixture
def plan(store: Store) -> tuple[str, str]:
    return small_plan(store)


def codes(hits: list[dict], kind: str) -> set[str]:
    return {h["item_code"] for h in hits if h["kind"] == kind}


def test_items_are_indexed_when_a_checklist_is_imported(store: Store, plan) -> None:
    count = store.db.execute("SELECT count(*) FROM search_index WHERE kind = 'item'").fetchone()
    items = store.db.execute("SELECT count(*) FROM checklist_items").fetchone()
    assert count == items and count[0] > 60
    body = store.db.execute(
        "SELECT body FROM search_index s JOIN checklist_items c ON c.id = s.ref_id "
        "WHERE c.code = ?",
        [ONLY_SO],
    ).fetchone()[0]
    assert body == body.lower() and "tham muu" in body and "ư" not in body


@pytest.mark.parametrize("query", ["niem yet", "niêm yết", "NIEM YET", "Niêm Yết", "niem"])
def test_finds_with_or_without_diacritics_and_case(store: Store, plan, query: str) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", result=Result.DAT, note="Đã niêm yết công khai")
    hits = search(store, query)
    assert "A1.1.1" in codes(hits, "finding")
    hit = next(h for h in hits if h["kind"] == "finding")
    assert set(hit) >= {"kind", "inspection_id", "item_code", "text", "snippet"}
    assert hit["inspection_id"] == so
    assert hit["text"] == "Đã niêm yết công khai"
    assert "[niêm]" in hit["snippet"]


@pytest.mark.parametrize("query", ["don vi", "DON VI", "đơn vị", "Đơn Vị"])
def test_d_matches_dj(store: Store, plan, query: str) -> None:
    hits = search(store, query)
    item_hits = [h for h in hits if h["kind"] == "item"]
    assert item_hits, query
    assert any("đơn vị" in h["text"].lower() for h in item_hits)
    for hit in item_hits:  # every word is a prefix: "don" also finds "đông", never "dan"
        words = fold(hit["text"]).split()
        assert any(w.startswith("don") for w in words) and any(w.startswith("vi") for w in words)


def test_all_words_must_match(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Hồ sơ đầy đủ")
    assert codes(search(store, "ho so day du", so), "finding") == {"A1.1.1"}
    assert codes(search(store, "ho so khongcotu", so), "finding") == set()


def test_scope_limits_items_to_the_units_level(store: Store, plan) -> None:
    so, xa = plan
    assert ONLY_SO in codes(search(store, "tham muu cong bo danh muc", so), "item")
    assert ONLY_SO not in codes(search(store, "tham muu cong bo danh muc", xa), "item")
    for hit in search(store, "tham muu", so):
        assert hit["inspection_id"] == so


def test_scope_limits_findings_to_the_inspection(store: Store, plan) -> None:
    so, xa = plan
    findings.record(store, so, "A1.1.1", note="Sổ theo dõi hồ sơ ghi chép đầy đủ")
    findings.record(store, xa, "A1.1.1", note="Sổ theo dõi chưa cập nhật")
    assert {h["inspection_id"] for h in search(store, "so theo doi") if h["kind"] == "finding"} == {
        so,
        xa,
    }
    scoped = [h for h in search(store, "so theo doi", xa) if h["kind"] == "finding"]
    assert [h["inspection_id"] for h in scoped] == [xa]
    assert search(store, "so theo doi", "khong-co-cuoc-nay") == []


def test_edit_replaces_old_words(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Thiếu phiếu xin lỗi")
    assert codes(search(store, "phieu xin loi", so), "finding") == {"A1.1.1"}
    findings.record(store, so, "A1.1.1", note="Đã bổ sung đầy đủ")
    assert codes(search(store, "phieu xin loi", so), "finding") == set()
    assert codes(search(store, "bo sung", so), "finding") == {"A1.1.1"}
    # One index row per finding, however often it is edited.
    fid = store.findings.finding(so, item_id(store, so, "A1.1.1"))["id"]
    rows = store.db.execute("SELECT count(*) FROM search_index WHERE ref_id = ?", [fid])
    assert rows.fetchone()[0] == 1
    findings.record(store, so, "A1.1.1", note="")
    assert codes(search(store, "bo sung", so), "finding") == set()


def test_edit_rolled_back_leaves_the_index_as_it_was(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Thiếu phiếu xin lỗi")
    with pytest.raises(RuntimeError), store.transaction():
        findings.record(store, so, "A1.1.1", note="Đã bổ sung")
        raise RuntimeError("boom")
    assert codes(search(store, "phieu xin loi", so), "finding") == {"A1.1.1"}
    assert codes(search(store, "bo sung", so), "finding") == set()


def _stale(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT ref_id FROM search_stale")}


def test_observations_are_indexed_in_one_batch_before_a_search(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Thiếu phiếu xin lỗi")
    findings.record(store, so, "A1.1.2", note="Niêm yết chưa đầy đủ")
    fid = store.findings.finding(so, item_id(store, so, "A1.1.1"))["id"]
    # Saving only marks the findings (the save does not rewrite the FTS index) …
    assert fid in _stale(store) and len(_stale(store)) == 2
    assert not store.db.execute("SELECT 1 FROM search_refs WHERE ref_id = ?", [fid]).fetchone()
    # … and the next search brings them in first, so it finds what was just typed.
    assert codes(search(store, "phieu xin loi", so), "finding") == {"A1.1.1"}
    assert _stale(store) == set()
    assert codes(search(store, "niem yet", so), "finding") == {"A1.1.2"}
    # A tombstoned finding leaves the index at the next refresh.
    store.core.delete_row("findings", fid)
    store.search.mark_finding_stale(fid)
    assert codes(search(store, "phieu xin loi", so), "finding") == set()


def test_closing_the_store_indexes_what_is_pending(db_path: Path) -> None:
    writer = Store.open(db_path)
    so, _ = small_plan(writer)
    findings.record(writer, so, "A1.1.1", note="Thiếu phiếu xin lỗi")
    assert _stale(writer)
    writer.close()
    # A read-only program cannot write the index: it finds what the writer left indexed.
    reader = Store.open(db_path, read_only=True)
    try:
        assert _stale(reader) == set()
        assert codes(search(reader, "phieu xin loi", so), "finding") == {"A1.1.1"}
        assert reader.search.refresh_search_index() == 0
    finally:
        reader.close()


def test_evidence_is_searchable_by_number_and_summary(store: Store, plan) -> None:
    so, _ = plan
    doc = evidence.add_evidence(
        store,
        so,
        item_id(store, so, "A1.1.1"),
        number="125/KH-SYT",
        issued_on="15/01/2025",
        summary="Kế hoạch cải cách hành chính năm 2025",
    )
    hits = [h for h in search(store, "125 kh syt", so) if h["kind"] == "evidence"]
    assert [h["item_code"] for h in hits] == ["A1.1.1"]
    assert "125/KH-SYT" in hits[0]["text"]
    assert [h["kind"] for h in search(store, "cai cach hanh chinh nam 2025", so)] == ["evidence"]
    evidence.delete_evidence(store, doc["id"])
    assert [h for h in search(store, "125 kh syt", so) if h["kind"] == "evidence"] == []


@pytest.mark.parametrize(
    "query", ['"', "AND OR NOT", "*", 'niem" OR 1', "NEAR(a b)", "col:x", "^", "-", "()", "'"]
)
def test_hostile_queries_never_raise(store: Store, plan, query: str) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Đã niêm yết công khai")
    hits = search(store, query)  # must not raise sqlite3.OperationalError
    assert isinstance(hits, list)
    for term in query_terms(query):
        assert term.isalnum()


def test_punctuation_only_returns_nothing(store: Store, plan) -> None:
    for query in ['"', "*", "...", "  ", "", "()-^"]:
        assert search(store, query) == []


def test_operators_are_words_not_syntax(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="niêm yết hoặc không")
    # 'niem" OR 1' means the words niem, or, 1 — all required, so no hit here.
    assert search(store, 'niem" OR 1', so) == []
    assert fts_query(query_terms('niem" OR 1')) == '"niem"* "or"* "1"*'


def test_snippet_marks_matches_in_the_original_text() -> None:
    text = "Kiểm tra ngẫu nhiên 10 hồ sơ: 2 hồ sơ trễ hạn nhưng không có phiếu xin lỗi."
    assert snippet(text, ["phieu"]).count("[phiếu]") == 1
    long = "Mở đầu " * 30 + "Đơn vị đã niêm yết"
    cut = snippet(long, ["niem"])
    assert cut.startswith("…") and "[niêm]" in cut and len(cut) <= 90


def test_rebuild_gives_the_same_hits(store: Store, plan) -> None:
    so, _ = plan
    findings.record(store, so, "A1.1.1", note="Đã niêm yết công khai")
    before = search(store, "niem yet", so)
    store.search.rebuild_search_index()
    assert search(store, "niem yet", so) == before


def test_migration_backfills_an_older_database(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    store = Store.open(path)
    so, _ = small_plan(store)
    findings.record(store, so, "A1.1.1", note="Đã niêm yết công khai")
    store.close()
    # Make it look like a database from before m003: no refs table, an empty index.
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE search_refs")
    conn.execute("DELETE FROM search_index")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_recording'")
    conn.commit()
    conn.close()
    store = Store.open(path)
    try:
        assert codes(search(store, "niem yet", so), "finding") == {"A1.1.1"}
        assert codes(search(store, "tham muu cong bo", so), "item") == {ONLY_SO}
    finally:
        store.close()


def test_cli_search_json(kiemtra: Kiemtra, store: Store, plan) -> None:
    so, xa = plan
    findings.record(store, so, "A1.1.1", note="Đã niêm yết công khai")
    rows = kiemtra.json("search", "niem yet")
    assert rows and all(
        set(r) == {"kind", "inspection_id", "item_code", "text", "snippet"} for r in rows
    )
    assert any(r["kind"] == "finding" and r["item_code"] == "A1.1.1" for r in rows)
    scoped = kiemtra.json("search", "niem yet", "--inspection", xa)
    assert all(r["inspection_id"] == xa for r in scoped)
    assert not any(r["kind"] == "finding" for r in scoped)
    assert kiemtra.json("search", '"') == []
    text = kiemtra("search", "niem", "yet").stdout
    assert "[niêm] [yết]" in text


def test_search_in_an_unknown_inspection_is_one_line_error(kiemtra: Kiemtra, store: Store) -> None:
    store.close()
    result = kiemtra("search", "ke hoach", "--inspection", "nope", ok=False)
    assert result.exit_code == 1
    assert result.stderr == "Lỗi: Không có cuộc kiểm tra nope\n"
