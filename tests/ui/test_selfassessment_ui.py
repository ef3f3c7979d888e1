"""The self-assessment form from the window: Ghi nhận ▸ Xuất phiếu / Nhập phiếu …"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from desktop.services import judging
from desktop.services import selfassessment_workbook as sa
from desktop.ui.checklist_model import ChecklistTableModel
from desktop.ui.common import dialogs_vi
from desktop.ui.selfassessment.controller import T_EXPORT, T_IMPORT, SelfAssessmentController
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

UNIT = "Sở Văn hóa, Thể thao và Du lịch"  # inspected, no self-assessment yet
COL = {name: n for n, (name, _w) in enumerate(sa.COLUMNS, start=1)}


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Patch the file dialogs, "open it?", the system viewer and every message."""
    seen: dict[str, Any] = {"opened": [], "texts": [], "informed": [], "errors": []}

    def ask_save(_parent: Any, _caption: str, suggested: Path) -> Path:
        seen["suggested"] = suggested
        return tmp_path / "phieu"  # no extension typed: .xlsx is added

    monkeypatch.setattr(SelfAssessmentController, "ask_save_path", staticmethod(ask_save))
    monkeypatch.setattr(
        SelfAssessmentController, "ask_open_path", staticmethod(lambda *a: seen["pick"])
    )
    monkeypatch.setattr(SelfAssessmentController, "ask_open_file", staticmethod(lambda *a: True))
    monkeypatch.setattr(
        SelfAssessmentController,
        "open_file",
        staticmethod(lambda p: seen["opened"].append(p) or True),
    )
    monkeypatch.setattr(dialogs_vi, "show_text", lambda *a: seen["texts"].append(a))
    monkeypatch.setattr(dialogs_vi, "inform", lambda _p, _t, text: seen["informed"].append(text))
    monkeypatch.setattr(dialogs_vi, "error", lambda _p, _t, text: seen["errors"].append(text))
    return seen


def record_actions(window: Any) -> dict[str, Any]:
    menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Ghi nhận"
    )
    menu.aboutToShow.emit()
    return {a.text().replace("&", ""): a for a in menu.actions() if a.text()}


def fill(path: Path, rows: dict[str, dict[str, Any]]) -> None:
    """Type into the form as a unit would: {item code: {column title: value}}."""
    book = openpyxl.load_workbook(path)
    sheet = book[sa.SHEET]
    where = {r[0].value: r[0].row for r in sheet.iter_rows(min_row=sa.HEADER_ROW + 1) if r[0].value}
    for code, cells in rows.items():
        row = where.get(code) or sheet.max_row + 1  # an unknown code goes on a new row
        if code not in where:
            sheet.cell(row=row, column=1).value = code
        for title, value in cells.items():
            sheet.cell(row=row, column=COL[title]).value = value
    book.save(path)


def findings_dump(window: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in window.adapter.store.db.execute(
            "SELECT id, result, score, note, self_result, self_score, self_evidence, hlc "
            "FROM findings ORDER BY id"
        ).fetchall()
    ]


def model_row(window: Any, code: str) -> tuple[int, dict[str, Any]]:
    model = window.table_model
    n = next(n for n, r in enumerate(model.rows()) if r["code"] == code)
    return n, model.row_dict(n)


def test_menu_entries_follow_the_open_visit(qtbot: Any, window: Any) -> None:
    window.select_inspection(inspection_id(window.adapter.store, UNIT))
    actions = record_actions(window)
    names = [T_EXPORT, T_IMPORT["self"], T_IMPORT["inspector"]]
    assert all(actions[n].isEnabled() for n in names)
    assert list(actions)[-3:] == names  # at the end of the menu, in this order
    window.select_inspection(None)
    assert not any(record_actions(window)[n].isEnabled() for n in names)


def test_export_then_import_a_filled_form(
    qtbot: Any, window: Any, seams: dict[str, Any], tmp_path: Path
) -> None:
    store = window.adapter.store
    insp = inspection_id(store, UNIT)
    window.select_inspection(insp)
    assert window.table.isColumnHidden(ChecklistTableModel.COL_SELF)
    passed = [r["code"] for r in window.table_model.rows() if r["result"] == "dat"]
    first, second = passed[:2]

    with qtbot.waitSignal(window.feature("selfassessment").exported) as blocker:
        record_actions(window)[T_EXPORT].trigger()
    path = Path(blocker.args[0])
    assert path == tmp_path / "phieu.xlsx" and path.is_file()
    assert seams["suggested"].name == f"Phiếu tự đánh giá - {UNIT}"
    assert seams["opened"] == [path]
    sheet = openpyxl.load_workbook(path)[sa.SHEET]
    assert sheet.cell(row=4, column=2).value == insp
    assert sheet.cell(row=sa.HEADER_ROW, column=COL[sa.C_SELF_RESULT]).value == "Tự đánh giá"

    # The unit fills in its side: one item where it disagrees with the delegation.
    fill(
        path,
        {
            first: {sa.C_SELF_RESULT: "Không đạt", sa.C_SELF_SCORE: 0},
            second: {sa.C_SELF_RESULT: "Đạt", sa.C_SELF_EVIDENCE: "Báo cáo số 15/BC-SVHTTDL"},
        },
    )
    seams["pick"] = path
    n, row = model_row(window, first)
    assert not judging.disagrees(row)
    with qtbot.waitSignal(window.feature("selfassessment").imported) as done:
        record_actions(window)[T_IMPORT["self"]].trigger()
    assert done.args == [insp, "self", 2]
    assert seams["texts"] == [] and seams["errors"] == []
    assert seams["informed"][-1].startswith("Đã nhập 2 nội dung")
    stored = {r["code"]: r for r in store.findings.inspection_items(insp)}
    assert (stored[first]["self_result"], stored[first]["self_score"]) == ("khong-dat", 0)
    assert stored[second]["self_evidence"] == "Báo cáo số 15/BC-SVHTTDL"
    # The table follows through the adapter: the column shows, the disagreement is marked.
    assert not window.table.isColumnHidden(ChecklistTableModel.COL_SELF)
    n, row = model_row(window, first)
    assert judging.disagrees(row)
    mark = window.table_model.index(n, ChecklistTableModel.COL_SELF)
    assert mark.data(Qt.ItemDataRole.DecorationRole) is not None
    assert str(mark.data()).startswith("Không đạt")
    _n2, row2 = model_row(window, second)
    assert not judging.disagrees(row2)

    # The same form again: nothing to change.
    with qtbot.waitSignal(window.feature("selfassessment").imported) as again:
        record_actions(window)[T_IMPORT["self"]].trigger()
    assert again.args[2] == 0 and seams["informed"][-1].startswith("Đã nhập 0 nội dung")

    # The delegation's side of the same workbook, recorded under "Tôi là".
    window.adapter.recorder = "Trần Văn Bình"
    fill(path, {first: {sa.C_NOTE: "Kế hoạch ban hành muộn", sa.C_RESULT: "Đạt một phần"}})
    with qtbot.waitSignal(window.feature("selfassessment").imported):
        record_actions(window)[T_IMPORT["inspector"]].trigger()
    finding = store.findings.inspection_items(insp)
    got = next(r for r in finding if r["code"] == first)
    assert (got["result"], got["note"], got["recorded_by"]) == (
        "mot-phan",
        "Kế hoạch ban hành muộn",
        "Trần Văn Bình",
    )
    _n, row = model_row(window, first)
    assert row["result"] == "mot-phan" and row["note"] == "Kế hoạch ban hành muộn"


def test_bad_form_lists_every_problem_and_writes_nothing(
    qtbot: Any, window: Any, seams: dict[str, Any]
) -> None:
    store = window.adapter.store
    insp = inspection_id(store, UNIT)
    window.select_inspection(insp)
    with qtbot.waitSignal(window.feature("selfassessment").exported) as blocker:
        window.feature("selfassessment").export_action.trigger()
    path = Path(blocker.args[0])
    code = next(r["code"] for r in window.table_model.rows() if r["max_score"])
    fill(
        path,
        {
            code: {sa.C_SELF_RESULT: "Không đạt", sa.C_SELF_SCORE: 99},  # score out of range
            "Z9.9.9": {sa.C_SELF_RESULT: "Đạt"},  # not on this form
        },
    )
    before = findings_dump(window)
    seams["pick"] = path
    with qtbot.waitSignal(window.feature("selfassessment").refused) as refused:
        record_actions(window)[T_IMPORT["self"]].trigger()
    assert len(refused.args[0]) == 2
    assert findings_dump(window) == before
    assert seams["informed"] == []
    ((_parent, title, message, text),) = seams["texts"]
    assert title == "Không nhập được phiếu"
    assert path.name in message and "chưa có gì được ghi" in message
    lines = text.splitlines()
    assert len(lines) == 2
    score_line = next(line for line in lines if "Điểm tự chấm" in line)
    assert "Phiếu đánh giá" in score_line and "dòng" in score_line and "“99”" in score_line
    code_line = next(line for line in lines if "Z9.9.9" in line)
    assert "TT/Mã" in code_line and "không có trong phiếu" in code_line
    assert window.table.isColumnHidden(ChecklistTableModel.COL_SELF)


def test_form_of_another_visit_is_refused(
    qtbot: Any, window: Any, seams: dict[str, Any], tmp_path: Path
) -> None:
    store = window.adapter.store
    other = inspection_id(store, "Thanh tra tỉnh")
    path = sa.write_form(store, other, tmp_path / "khac.xlsx")
    window.select_inspection(inspection_id(store, UNIT))
    seams["pick"] = path
    before = findings_dump(window)
    with qtbot.waitSignal(window.feature("selfassessment").refused):
        window.feature("selfassessment").import_actions["inspector"].trigger()
    assert findings_dump(window) == before
    assert "cuộc kiểm tra khác" in seams["texts"][0][3]


def test_problem_dialog_scrolls_the_whole_list(qtbot: Any) -> None:
    from desktop.services.errors import Problem
    from desktop.ui.selfassessment.controller import problem_lines

    problems = [Problem(sa.SHEET, 7 + n, sa.C_SELF_SCORE, 99, "ngoài khoảng") for n in range(60)]
    dialog = dialogs_vi.TextDialog(None, "t", "m", problem_lines(problems))
    qtbot.addWidget(dialog)
    assert dialog.text_edit.isReadOnly()
    assert dialog.text_edit.toPlainText().count("\n") == 59
    first = "1. Trang “Phiếu đánh giá”, dòng 7, cột “Điểm tự chấm”, giá trị “99”: ngoài khoảng"
    assert dialog.text_edit.toPlainText().startswith(first + "\n")


@pytest.mark.parametrize("side", ["self", "inspector"])
def test_result_on_a_text_item_is_a_problem(
    qtbot: Any, window: Any, seams: dict[str, Any], tmp_path: Path, side: str
) -> None:
    store = window.adapter.store
    insp = inspection_id(store, UNIT)
    window.select_inspection(insp)
    text_item = next(r["code"] for r in window.table_model.rows() if r["type"] == "TEXT")
    path = sa.write_form(store, insp, tmp_path / "phieu.xlsx")
    column = sa.C_SELF_RESULT if side == "self" else sa.C_RESULT
    fill(path, {text_item: {column: "Đạt"}})
    before = findings_dump(window)
    seams["pick"] = path
    with qtbot.waitSignal(window.feature("selfassessment").refused):
        window.feature("selfassessment").import_actions[side].trigger()
    assert findings_dump(window) == before
    text = seams["texts"][0][3]
    assert column in text and "chỉ ghi nhận xét" in text
