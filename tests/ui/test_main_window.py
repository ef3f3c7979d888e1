"""The recording window, driven as an inspector would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from db import Store
from db.text import fold
from desktop.domain import JudgingType
from desktop.services import judging
from desktop.services.demo import build_demo
from desktop.ui.checklist_model import ChecklistTableModel
from desktop.ui.main_window import MainWindow
from desktop.ui.models import DISAGREE, ObjectRole
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id, open_item

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize native windows; says so once per window.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

SO_KHCN = "Sở Khoa học và Công nghệ"  # month 7: nothing recorded yet


def click_choice(editor: Any, key: str) -> None:
    """Click the visible button of the choice `key` of the shown item."""
    button = editor.choice_buttons[editor.choice_keys().index(key)]
    assert button.isVisibleTo(editor)
    button.click()


def finding(store: Store, unit: str, code: str) -> dict[str, Any] | None:
    insp = inspection_id(store, unit)
    item_id = store.findings.item_id_for_code(insp, code)
    assert item_id
    return store.findings.finding(insp, item_id)


def test_title_status_and_first_visit(window: MainWindow, db_path: Path) -> None:
    assert window.windowTitle() == f"Kiểm tra CCHC — {db_path.name}"
    assert window.path_label.text() == str(db_path)
    assert window.plan_combo.count() == 1
    first = window.tree_model.index(0, 0)
    assert first.data() == "Tháng 6"
    assert window.editor.current_row is not None


def test_record_by_shortcut_and_observation_then_reopen(
    qtbot: Any, window: MainWindow, db_path: Path
) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(window.adapter.findingChanged, timeout=2000):
        qtbot.keyClick(window.table, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # Không
    assert window.editor.choice_action("khong").isChecked()
    assert window.saved_label.text().startswith("Đã lưu lúc ")
    # The observation is saved by the debounce timer, without leaving the box.
    window.editor.note_edit.setFocus()
    with qtbot.waitSignal(window.adapter.findingChanged, timeout=3000):
        # QTest types Latin-1 only; Vietnamese arrives as an input method would commit it.
        qtbot.keyClicks(window.editor.note_edit, "Thieu ")
        window.editor.note_edit.insertPlainText("phụ lục phân công")
    stored = finding(window.adapter.store, SO_KHCN, "A1.1.2")
    assert stored is not None
    assert stored["result"] == "khong-dat" and stored["score"] == 0.0
    assert stored["note"] == "Thieu phụ lục phân công"
    # Progress follows in the navigator, the areas and the header, without a reset.
    insp = inspection_id(window.adapter.store, SO_KHCN)
    progress = window.tree_model.index_for(insp).siblingAtColumn(1).data()
    assert progress.startswith("1/")
    a1 = window.area_model.index(window.area_model.row_of("A1"))
    assert a1.data().endswith("1/12")

    window.close()
    window.adapter.close()
    store = Store.open(db_path)
    again = MainWindow(StoreAdapter(store))
    qtbot.addWidget(again)
    try:
        # The last visit is remembered on this laptop.
        assert again.editor.inspection_id == insp
        row = open_item(again, SO_KHCN, "A1.1.2")
        assert row["result"] == "khong-dat"
        assert again.editor.note_edit.toPlainText() == "Thieu phụ lục phân công"
        assert again.editor.choice_action("khong").isChecked()
    finally:
        again.close()
        store.close()


def test_actions_have_shortcuts_in_tooltips(window: MainWindow) -> None:
    open_item(window, SO_KHCN, "A1.3.1")  # LEVEL
    actions = window.editor.choice_actions
    assert actions[0].toolTip() == "Tốt (Alt+1)"
    assert actions[3].toolTip() == "Không áp dụng (Alt+4)"
    assert window.open_action.shortcut().toString() == "Ctrl+O"
    assert window.pane.search_action.shortcut().toString() == "Ctrl+F"
    record_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Ghi nhận"
    )
    assert window.editor.choice_actions[0] in record_menu.actions()
    assert window.pane.next_open_action in record_menu.actions()


def test_observation_saved_when_switching_item(qtbot: Any, window: MainWindow) -> None:
    open_item(window, SO_KHCN, "A1.1.2")
    window.editor.note_edit.setPlainText("Gõ rồi chuyển ngay")
    window.pane.move_current(1)
    assert window.editor.current_row["code"] != "A1.1.2"
    assert finding(window.adapter.store, SO_KHCN, "A1.1.2")["note"] == "Gõ rồi chuyển ngay"


def test_next_previous_and_next_unrecorded(window: MainWindow) -> None:
    unit = "Sở Văn hóa, Thể thao và Du lịch"  # half recorded by the demo
    window.select_inspection(inspection_id(window.adapter.store, unit))
    window.pane.my_areas_action.setChecked(False)
    window.table.setCurrentIndex(window.proxy.index(0, 0))
    first = window.editor.current_row["code"]
    window.pane.next_action.trigger()
    assert window.editor.current_row["code"] != first
    window.pane.prev_action.trigger()
    assert window.editor.current_row["code"] == first
    window.pane.next_open_action.trigger()
    current = window.editor.current_row
    assert not judging.is_recorded(current)
    before = [r for r in window.table_model.rows()]
    index = [r["item_id"] for r in before].index(current["item_id"])
    assert all(judging.is_recorded(r) for r in before[:index])


def test_filters_my_areas_unrecorded_not_passed(window: MainWindow) -> None:
    unit = "Sở Văn hóa, Thể thao và Du lịch"
    window.select_inspection(inspection_id(window.adapter.store, unit))
    me = window.me_combo.findText("Lâm Thị Ngọc Hân", Qt.MatchFlag.MatchStartsWith)
    window.me_combo.setCurrentIndex(me)
    assert window.adapter.recorder == "Lâm Thị Ngọc Hân"
    window.pane.my_areas_action.setChecked(True)
    shown = [window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())]
    assert shown and all(code.startswith("A3") for code in shown)
    window.pane.my_areas_action.setChecked(False)
    assert window.proxy.rowCount() == window.table_model.rowCount()

    window.pane.unrecorded_action.setChecked(True)
    visible = _visible_rows(window)
    pinned = window.proxy.pinned
    assert all(not judging.is_recorded(r) for r in visible if r["item_id"] != pinned)
    assert 0 < len(visible) < window.table_model.rowCount()
    window.pane.unrecorded_action.setChecked(False)

    window.pane.not_passed_action.setChecked(True)
    visible = _visible_rows(window)
    assert visible
    assert all(r["result"] in ("khong-dat", "mot-phan") for r in visible if r["item_id"] != pinned)


def _visible_rows(window: MainWindow) -> list[dict[str, Any]]:
    return [window.proxy.index(r, 0).data(ObjectRole) for r in range(window.proxy.rowCount())]


def test_my_choice_is_remembered_per_plan(window: MainWindow) -> None:
    me = window.me_combo.findText("Lý Minh Đức", Qt.MatchFlag.MatchStartsWith)
    window.me_combo.setCurrentIndex(me)
    window.reload()
    assert window.me_combo.currentText().startswith("Lý Minh Đức")
    assert window.pane.my_areas_action.isEnabled() and window.pane.my_areas_action.isChecked()
    assert {r["area_code"] for r in _visible_rows(window)} == {"A7"}


def test_filter_with_recommendation(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    window.select_inspection(insp)
    window.pane.my_areas_action.setChecked(False)
    window.adapter.add_recommendation(insp, "Niêm yết lại", item_code="A3.1.3")
    window.pane.with_rec_action.setChecked(True)
    codes = [r["code"] for r in _visible_rows(window) if r["item_id"] != window.proxy.pinned]
    assert codes == ["A3.1.3"]


@pytest.mark.parametrize("query", ["niem yet", "NIÊM YẾT", "Niem Yết"])
def test_search_ignores_diacritics_and_case(qtbot: Any, window: MainWindow, query: str) -> None:
    window.select_inspection(inspection_id(window.adapter.store, SO_KHCN))
    window.pane.my_areas_action.setChecked(False)
    window.pane.search_action.trigger()
    if query.isascii():
        qtbot.keyClicks(window.pane.search_edit, query)
    else:  # QTest types Latin-1 only
        window.pane.search_edit.setText(query)
    expected = {
        r["code"]
        for r in window.table_model.rows()
        if "niem yet" in fold(r["text"] + " " + (r["note"] or ""))
    }
    assert expected  # the checklist has items about "niêm yết"
    assert {r["code"] for r in _visible_rows(window)} == expected
    assert window.editor.current_row["code"] in expected
    window.pane.search_edit.clear()
    assert window.proxy.rowCount() == window.table_model.rowCount()


def test_judging_controls_write_result_and_score(window: MainWindow) -> None:
    store = window.adapter.store
    editor = window.editor

    open_item(window, SO_KHCN, "A1.1.3")  # PERCENT, max 2, thresholds 100/90/80/0
    editor.den_spin.setValue(20)
    editor.num_spin.setValue(19)
    f = finding(store, SO_KHCN, "A1.1.3")
    assert (f["numerator"], f["denominator"], f["result"], f["score"]) == (19, 20, "mot-phan", 1.5)
    assert "95 %" in editor.percent_label.text()
    editor.num_spin.setValue(20)
    assert finding(store, SO_KHCN, "A1.1.3")["result"] == "dat"

    open_item(window, SO_KHCN, "A1.1.2")  # YES_NO
    click_choice(editor, "khong")
    f = finding(store, SO_KHCN, "A1.1.2")
    assert (f["result"], f["score"], f["value"]) == ("khong-dat", 0.0, "khong")

    open_item(window, SO_KHCN, "A1.3.1")  # LEVEL
    click_choice(editor, "tot")
    f = finding(store, SO_KHCN, "A1.3.1")
    assert (f["result"], f["score"], f["value"]) == ("dat", 1.0, "tot")
    click_choice(editor, "chua-dat")
    assert finding(store, SO_KHCN, "A1.3.1")["result"] == "khong-dat"

    open_item(window, SO_KHCN, "A1.2.4")  # COUNT
    editor.count_spin.setValue(3)
    assert finding(store, SO_KHCN, "A1.2.4")["value"] == "3"

    open_item(window, SO_KHCN, "A1.1.1")  # DATE_ON_TIME
    click_choice(editor, "khong")
    editor.date_edit.setDate(QDate(2021, 2, 15))
    f = finding(store, SO_KHCN, "A1.1.1")
    assert (f["result"], f["score"], f["value"]) == ("khong-dat", 0.0, "2021-02-15")

    row = open_item(window, SO_KHCN, "A8.1.1")  # TEXT: observation only
    assert row["type"] == "TEXT"
    assert editor.measure_stack.currentWidget() is editor.measure_stack.page(JudgingType.TEXT)
    editor.note_edit.setPlainText("Bộ phận Một cửa bố trí đủ công chức")
    editor.save_note()
    assert finding(store, SO_KHCN, "A8.1.1")["note"] == "Bộ phận Một cửa bố trí đủ công chức"

    # The score box is bounded by the item's maximum, in steps of 0.25.
    open_item(window, SO_KHCN, "A1.1.3")
    assert editor.score_spin.maximum() == 2.0 and editor.score_spin.singleStep() == 0.25
    editor.score_spin.setValue(1.25)
    assert finding(store, SO_KHCN, "A1.1.3")["score"] == 1.25


def test_result_buttons_default_scores(window: MainWindow) -> None:
    store = window.adapter.store
    open_item(window, SO_KHCN, "A1.1.3")
    window.editor.choice_action("dat").trigger()
    assert finding(store, SO_KHCN, "A1.1.3")["score"] == 2.0
    window.editor.choice_action("khong-ap-dung").trigger()
    f = finding(store, SO_KHCN, "A1.1.3")
    assert (f["result"], f["score"]) == ("khong-ap-dung", None)
    assert window.editor.choice_buttons[3].isChecked()


def test_self_assessment_disagreement_is_marked(window: MainWindow) -> None:
    store = window.adapter.store
    insp = inspection_id(store, SO_KHCN)
    item_id = store.findings.item_id_for_code(insp, "A1.1.2")
    store.findings.set_finding(insp, item_id, {"self_result": "dat", "self_score": 1.0})
    row = open_item(window, SO_KHCN, "A1.1.2")
    assert not window.table.isColumnHidden(ChecklistTableModel.COL_SELF)
    source = window.table_model.index(window.table_model.row_for_item(row["item_id"]), 0)
    assert source.siblingAtColumn(ChecklistTableModel.COL_SELF).data() == "Đạt · 1"
    assert source.data(Qt.ItemDataRole.BackgroundRole) is None  # no result yet: no conflict
    window.editor.choice_action("khong").trigger()
    assert source.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert source.data(Qt.ItemDataRole.ToolTipRole) == DISAGREE
    self_cell = source.siblingAtColumn(ChecklistTableModel.COL_SELF)
    assert self_cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert window.editor.disagree_label.isVisibleTo(window.editor)
    window.editor.choice_action("co").trigger()
    assert not window.editor.disagree_label.isVisibleTo(window.editor)


def test_commune_visit_switcher(window: MainWindow) -> None:
    store = window.adapter.store
    district = inspection_id(store, "UBND huyện Mỹ Tú")
    commune = inspection_id(store, "UBND thị trấn Huỳnh Hữu Nghĩa")
    window.select_inspection(district)
    assert window.pane.unit_tabs.isVisibleTo(window)
    assert [window.pane.unit_tabs.tabText(i) for i in range(window.pane.unit_tabs.count())] == [
        "UBND huyện Mỹ Tú",
        "UBND thị trấn Huỳnh Hữu Nghĩa",
    ]
    window.pane.unit_tabs.setCurrentIndex(1)
    assert window.editor.inspection_id == commune
    assert window.tree.currentIndex().data() == "UBND thị trấn Huỳnh Hữu Nghĩa"
    assert "Huỳnh Hữu Nghĩa" in window.pane.header_label.text()
    # Commune items only (level X), and the tabs stay for the whole visit.
    assert window.table_model.rowCount() == 62
    assert window.pane.unit_tabs.count() == 2 and window.pane.unit_tabs.currentIndex() == 1
    open_item(window, "UBND thị trấn Huỳnh Hữu Nghĩa", "A1.1.2")
    window.editor.choice_action("co").trigger()
    assert finding(store, "UBND thị trấn Huỳnh Hữu Nghĩa", "A1.1.2")["result"] == "dat"
    assert finding(store, "UBND huyện Mỹ Tú", "A1.1.2") is None
    window.pane.unit_tabs.setCurrentIndex(0)
    assert window.editor.inspection_id == district
    # A visit without subordinate units shows no switcher.
    window.select_inspection(inspection_id(store, SO_KHCN))
    assert not window.pane.unit_tabs.isVisibleTo(window)


def test_open_another_database(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "khac" / "khac.sqlite"
    s = Store.open(other)
    build_demo(s)
    s.close()
    monkeypatch.setattr(MainWindow, "ask_database_path", staticmethod(lambda *_: other))
    window.open_action.trigger()
    assert window.windowTitle() == "Kiểm tra CCHC — khac.sqlite"
    assert window.adapter.path == other
    assert window.editor.current_row is not None


def test_empty_database_explains_next_step(qtbot: Any, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "trong.sqlite")
    w = MainWindow(StoreAdapter(store))
    qtbot.addWidget(w)
    try:
        # The window offers what to do; no command to type (issue 17).
        assert "kiemtra" not in w.pane.header_label.text()
        plans = w.feature("plans")
        assert not plans.banner.isHidden()
        buttons = [b.text() for b in plans.banner.findChildren(QPushButton)]
        assert buttons == ["Tạo mẫu kế hoạch…", "Nạp kế hoạch từ Excel…"]
        assert plans.import_action.isEnabled() and not plans.update_action.isEnabled()
        assert w.table_model.rowCount() == 0
        assert not w.editor.choice_actions[0].isEnabled()
    finally:
        w.close()
        store.close()


def test_run_builds_the_window(
    qtbot: Any, demo_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui import app as app_module

    seen: list[str] = []

    def fake_exec(self: Any = None) -> int:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen.append(w.windowTitle())
                w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    demo_store.close()
    assert app_module.run(db_path) == 0
    assert seen == [f"Kiểm tra CCHC — {db_path.name}"]
