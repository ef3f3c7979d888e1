"""The search box: full-text over items, observations and evidence, diacritics optional."""

from __future__ import annotations

from typing import Any

import pytest

from db.text import fold
from desktop.services import search as search_service
from desktop.services.evidence import add_evidence
from desktop.ui.main_window import MainWindow
from desktop.ui.models import ObjectRole
from tests.ui.conftest import inspection_id

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

SO_KHCN = "Sở Khoa học và Công nghệ"


def _codes(window: MainWindow) -> set[str]:
    return {
        window.proxy.index(r, 0).data(ObjectRole)["code"] for r in range(window.proxy.rowCount())
    }


def _text_matches(window: MainWindow, words: str) -> set[str]:
    return {
        r["code"]
        for r in window.table_model.rows()
        if all(w in fold(f"{r['code']} {r['text']} {r['note'] or ''}") for w in words.split())
    }


@pytest.fixture
def opened(window: MainWindow) -> MainWindow:
    window.select_inspection(inspection_id(window.adapter.store, SO_KHCN))
    window.pane.my_areas_action.setChecked(False)
    return window


@pytest.mark.parametrize("query", ["don vi", "đơn vị", "ĐƠN VỊ"])
def test_with_and_without_diacritics(opened: MainWindow, query: str) -> None:
    expected = _text_matches(opened, "don vi")
    assert expected
    opened.pane.search_edit.setText(query)
    assert _codes(opened) == expected
    opened.pane.search_edit.clear()
    assert opened.proxy.rowCount() == opened.table_model.rowCount()


def test_evidence_only_match(opened: MainWindow) -> None:
    store = opened.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item_id = store.findings.item_id_for_code(insp, "A6.1.1")
    assert item_id
    # "phúc lợi" appears in no item text or observation, only in this document's trích yếu.
    assert not _text_matches(opened, "phuc loi")
    add_evidence(store, insp, item_id, "15/QĐ-SKHCN", "10/01/2021", "Quy chế chi tiêu quỹ phúc lợi")
    opened.pane.search_edit.setText("phuc loi")
    assert _codes(opened) == {"A6.1.1"}
    assert opened.editor.current_row["code"] == "A6.1.1"
    opened.pane.search_edit.setText("Phúc Lợi")
    assert _codes(opened) == {"A6.1.1"}
    # The same document does not leak into another unit's visit.
    opened.select_inspection(inspection_id(store, "Sở Văn hóa, Thể thao và Du lịch"))
    assert opened.pane.search_edit.text() == "Phúc Lợi"
    assert _codes(opened) == set()


def test_niem_yet_and_observation(opened: MainWindow) -> None:
    opened.pane.search_edit.setText("niem yet")
    assert _codes(opened) == _text_matches(opened, "niem yet") != set()


def test_one_letter_uses_the_folded_filter(
    opened: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = search_service.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(search_service, "search", spy)
    opened.pane.search_edit.setText("đ")
    assert calls == []
    assert _codes(opened) == _text_matches(opened, "d")
    opened.pane.search_edit.setText("đơ")
    assert calls == ["đơ"]
