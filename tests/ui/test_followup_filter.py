"""The register's type-ahead filter: phrase-prefix words without diacritics, fast and debounced."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from db import Store
from desktop.services import conclusions, followup
from desktop.ui.followup.register import RegisterModel
from desktop.ui.followup.window import FollowupWindow
from desktop.ui.models import ObjectRole
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

TODAY = dt.date(2021, 9, 15)


def shown_texts(win: FollowupWindow) -> set[str]:
    return {win.model.index(n, 0).data(ObjectRole)["text"] for n in range(win.model.rowCount())}


def type_filter(qtbot: Any, win: FollowupWindow, text: str) -> None:
    """Type into the filter box as a user would, then let the debounce run out."""
    win.text_edit.clear()
    win.text_edit.setFocus()
    if text.isascii():
        QTest.keyClicks(win.text_edit, text)
    else:  # QTest cannot type Vietnamese letters (an input method would): insert as it would
        win.text_edit.insert(text)
    qtbot.waitUntil(lambda: not win.filter_pending(), timeout=2000)


@pytest.fixture
def register(qtbot: Any, adapter: StoreAdapter, demo_store: Store) -> FollowupWindow:
    yte = inspection_id(demo_store, "Sở Y tế")
    deadline = TODAY + dt.timedelta(days=10)
    for text in (
        "Phối hợp với Sở Tư pháp rà soát thủ tục",
        "Báo cáo Sở Nội vụ về tư cách pháp nhân",  # every word, but not the phrase
        "Gửi hồ sơ (Sở Tư pháp) đúng hạn",
    ):
        conclusions.add_recommendation(demo_store, yte, text, deadline=deadline)
    win = FollowupWindow(adapter, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def test_filter_matches_typed_words_as_a_phrase_prefix(
    qtbot: Any, register: FollowupWindow
) -> None:
    tu_phap = {"Phối hợp với Sở Tư pháp rà soát thủ tục", "Gửi hồ sơ (Sở Tư pháp) đúng hạn"}
    type_filter(qtbot, register, "so tu phap")
    assert shown_texts(register) == tu_phap
    type_filter(qtbot, register, "Sở tư ph")  # the last word may be cut short; marks ignored
    assert shown_texts(register) == tu_phap
    type_filter(qtbot, register, "tu phap so")  # the words in the order typed
    assert shown_texts(register) == set()
    type_filter(qtbot, register, "noi vu")
    assert shown_texts(register) == {"Báo cáo Sở Nội vụ về tư cách pháp nhân"}
    type_filter(qtbot, register, "oi vu")  # each word from its start, not inside a word
    assert shown_texts(register) == set()
    type_filter(qtbot, register, "y te")  # the unit's name is searched too
    assert len(shown_texts(register)) == 3


def test_typing_is_debounced_and_never_reads_the_database(
    qtbot: Any, register: FollowupWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[object] = []
    monkeypatch.setattr(followup, "register", lambda *a, **k: reads.append(a) or [])
    applied: list[object] = []
    original = register.model.set_filters
    monkeypatch.setattr(
        register.model, "set_filters", lambda **v: applied.append(v) or original(**v)
    )
    register.text_edit.setFocus()
    QTest.keyClicks(register.text_edit, "so tu phap")
    assert register.filter_pending() and applied == []  # nothing yet while typing
    qtbot.waitUntil(lambda: not register.filter_pending(), timeout=2000)
    assert len(applied) == 1 and reads == []
    assert len(shown_texts(register)) == 2


def test_filter_sort_and_count_on_3000_recommendations(
    qtbot: Any, register: FollowupWindow
) -> None:
    base = register.model.rows()[0]
    rows = []
    for n in range(3000):
        row = dict(base)
        row["id"] = f"r{n}"
        row["unit"] = ("Sở Nội vụ", "Sở Tư pháp", "Ủy ban nhân dân huyện Mỹ Tú")[n % 3]
        row["text"] = f"Kiến nghị số {n}: rà soát thủ tục hành chính và báo cáo tư pháp"
        row["overdue"] = n % 2 == 0
        rows.append(row)
    register.model.set_rows(rows)
    register.apply_filters_now()
    # The speed of a keystroke is measured by `make bench` (followup_filter), not here.
    for text in ("s", "so", "so ", "so t", "so tu", "so tu p", "so tu phap", "noi vu", "so"):
        register.text_edit.setText(text)
        register.apply_filters_now()
    assert register.model.rowCount() == 3000  # "so": "Sở …" and "số …"
    # Sorted by a column, widening the filter back to every row costs no more.
    register.table.sortByColumn(RegisterModel.COL_TEXT, Qt.SortOrder.DescendingOrder)
    for text in ("noi vu", "so"):
        register.text_edit.setText(text)
        register.apply_filters_now()
    first = register.model.index(0, RegisterModel.COL_TEXT).data()
    assert first == "Kiến nghị số 9: rà soát thủ tục hành chính và báo cáo tư pháp"  # "9:" > "99"
    register.text_edit.setText("so tu phap")
    register.apply_filters_now()
    assert register.model.rowCount() == 1000
    assert register.count_label.text() == "1000/3000 kiến nghị · quá hạn: 500"


def test_sorting_by_a_column_and_back_keeps_the_selection(
    qtbot: Any, register: FollowupWindow
) -> None:
    def order() -> list[str]:
        col = RegisterModel.COL_TEXT
        return [register.model.index(n, col).data() for n in range(register.model.rowCount())]

    in_register = order()
    assert len(in_register) == 3
    register.table.selectRow(0)
    chosen = register.selected()[0]["id"]
    register.table.sortByColumn(RegisterModel.COL_TEXT, Qt.SortOrder.AscendingOrder)
    assert order() == sorted(in_register)  # "Báo cáo…", "Gửi…", "Phối hợp…"
    register.table.sortByColumn(RegisterModel.COL_TEXT, Qt.SortOrder.DescendingOrder)
    assert order() == sorted(in_register, reverse=True)
    assert [r["id"] for r in register.selected()] == [chosen]
    type_filter(qtbot, register, "so")  # filtering keeps the order chosen
    assert order() == sorted(in_register, reverse=True)
    register.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert order() == in_register


def test_refilter_tells_the_view_once_and_keeps_the_selection_of_shown_rows(
    qtbot: Any, register: FollowupWindow
) -> None:
    # The model filters itself: one layoutChanged per refilter (no row-by-row signals), and
    # the selection keeps the rows still shown, by recommendation, whatever their new row.
    signals: list[str] = []
    for name in ("layoutChanged", "modelReset", "rowsInserted", "rowsRemoved"):
        getattr(register.table.model(), name).connect(lambda *a, n=name: signals.append(n))
    texts = [r["text"] for r in register.model.rows()]
    both = [r["id"] for r in register.model.rows() if "Tư pháp" in r["text"] and "Sở" in r["text"]]
    register.select_ids(both)
    type_filter(qtbot, register, "gui ho so")
    assert signals == ["layoutChanged"]
    assert [r["text"] for r in register.selected()] == ["Gửi hồ sơ (Sở Tư pháp) đúng hạn"]
    type_filter(qtbot, register, "")
    assert len(shown_texts(register)) == len(texts)
    assert [r["text"] for r in register.selected()] == ["Gửi hồ sơ (Sở Tư pháp) đúng hạn"]
    assert register.model.total() == len(texts)


def test_typing_on_narrows_what_was_shown_and_gives_what_a_fresh_filter_gives(
    register: FollowupWindow,
) -> None:
    units = ("Sở Nội vụ", "Sở Tư pháp", "Sở Nông nghiệp", "Ủy ban nhân dân huyện Mỹ Tú")
    base = register.model.rows()[0]
    rows = [
        dict(base, id=f"r{n}", unit=units[n % 4], text=f"Kiến nghị {n}: sổ sách nội bộ")
        for n in range(400)
    ]
    register.model.set_rows(rows)
    typed = ["s", "so", "so ", "so n", "so no", "so noi", "so n", "so nong", "", "noi b", "s"]
    for text in typed:
        register.text_edit.setText(text)
        register.apply_filters_now()
        fresh = RegisterModel()
        fresh.set_rows(rows)
        fresh.set_filters(text=text)
        got = [register.model.row_dict(n)["id"] for n in range(register.model.rowCount())]
        assert got == [fresh.row_dict(n)["id"] for n in range(fresh.rowCount())], text
    register.text_edit.setText("so nong")
    register.apply_filters_now()
    assert register.model.rowCount() == 100
