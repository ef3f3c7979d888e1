"""The remediation register window, its dialogs, letters, and the earlier-years banner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.domain import UnitLevel
from desktop.services import conclusions, followup
from desktop.services.plans import PlanSpec, UnitSpec, create_plan
from desktop.ui.followup.banner import EarlierBanner
from desktop.ui.followup.dialogs import ReportDialog, VerifyDialog
from desktop.ui.followup.register import STATUS_COLOURS, RegisterModel
from desktop.ui.followup.window import FollowupWindow
from desktop.ui.models import ObjectRole
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize or raise native windows; says so per window.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

TODAY = dt.date(2021, 9, 15)
YTE = "Sở Y tế"
THANH_TRA = "Thanh tra tỉnh"


@pytest.fixture
def recs(demo_store: Store) -> dict[str, str]:
    """Recommendations around TODAY's deadlines for two June units."""
    yte = inspection_id(demo_store, YTE)
    tt = inspection_id(demo_store, THANH_TRA)

    def add(insp: str, text: str, days: int) -> str:
        return str(
            conclusions.add_recommendation(
                demo_store, insp, text, deadline=TODAY + dt.timedelta(days=days)
            )["id"]
        )

    return {
        "late": add(yte, "Ban hành kế hoạch CCHC đúng thời hạn", -5),
        "soon": add(yte, "Niêm yết thủ tục hành chính tại Bộ phận Một cửa", 3),
        "later": add(yte, "Khảo sát sự hài lòng của người dân", 30),
        "today": add(tt, "Cập nhật hồ sơ trễ hạn và gửi phiếu xin lỗi", 0),
        "tt_late": add(tt, "Báo cáo quý gửi đúng hạn", -1),
    }


@pytest.fixture
def register(qtbot: Any, adapter: StoreAdapter, recs: dict[str, str]) -> FollowupWindow:
    win = FollowupWindow(adapter, today=TODAY)
    qtbot.addWidget(win)
    win.show()
    return win


def row_of(win: FollowupWindow, rec_id: str) -> dict[str, Any]:
    row = win.model.row_for(rec_id)
    assert row is not None
    return win.model.row_dict(row)


def cell(win: FollowupWindow, rec_id: str, column: int, role: Any = None) -> Any:
    row = win.model.row_for(rec_id)
    assert row is not None
    index = win.model.index(row, column)
    return index.data() if role is None else index.data(role)


def test_models_pass_the_model_tester(
    qtmodeltester: Any, demo_store: Store, recs: dict[str, str]
) -> None:
    model = RegisterModel()
    model.set_rows(followup.register(demo_store, today=TODAY))
    assert model.rowCount() == 5
    qtmodeltester.check(model)
    model.set_filters(status="qua-han", text="ke hoach")  # the model filters itself
    qtmodeltester.check(model)
    assert 0 < model.rowCount() < model.total() == 5


def test_statuses_around_the_deadline(register: FollowupWindow, recs: dict[str, str]) -> None:
    from PySide6.QtCore import Qt

    col_status, col_days = RegisterModel.COL_STATUS, RegisterModel.COL_DAYS
    assert cell(register, recs["late"], col_status) == "Quá hạn"
    assert cell(register, recs["late"], col_days) == "5"
    assert cell(register, recs["tt_late"], col_days) == "1"
    assert cell(register, recs["soon"], col_status) == "Sắp đến hạn"
    assert cell(register, recs["today"], col_status) == "Sắp đến hạn"
    assert cell(register, recs["today"], col_days) == ""
    assert cell(register, recs["later"], col_status) == "Chưa đến hạn"
    assert cell(register, recs["late"], RegisterModel.COL_DEADLINE) == "10/09/2021"
    brush = cell(register, recs["late"], col_status, Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == STATUS_COLOURS["qua-han"]
    assert register.count_label.text() == "5/5 kiến nghị · quá hạn: 2"

    # The same register a month later: everything is overdue.
    register._today = TODAY + dt.timedelta(days=31)
    register.reload()
    assert cell(register, recs["later"], col_status) == "Quá hạn"
    assert cell(register, recs["later"], col_days) == "1"


def test_filters_by_status_text_and_plan(
    register: FollowupWindow, recs: dict[str, str], demo_store: Store
) -> None:
    register.set_status("qua-han")
    assert register.model.rowCount() == 2
    register.set_status(None)
    register.text_edit.setText("thanh tra")  # no diacritics, finds "Thanh tra tỉnh"
    register.apply_filters_now()  # (typing waits for a pause: see test_followup_filter)
    shown = {register.model.index(n, 0).data(ObjectRole)["id"] for n in range(2)}
    assert register.model.rowCount() == 2 and shown == {recs["today"], recs["tt_late"]}
    register.text_edit.setText("hai long")
    register.apply_filters_now()
    assert register.model.rowCount() == 1
    register.text_edit.clear()
    register.apply_filters_now()
    other = create_plan(
        demo_store,
        PlanSpec(
            number="5/KH-UBND",
            year=2022,
            issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
            issued_on=dt.date(2022, 2, 2),
            units=[UnitSpec(YTE, UnitLevel.SO, 6)],
        ),
    )
    register.reload()
    register.set_plan(other)
    assert register.model.rowCount() == 0
    register.set_plan(None)
    assert register.model.rowCount() == 5


def test_report_then_verify_changes_the_status_in_place(
    qtbot: Any, register: FollowupWindow, recs: dict[str, str], monkeypatch: Any
) -> None:
    resets: list[bool] = []
    register.model.modelReset.connect(lambda: resets.append(True))
    register.select_ids([recs["late"], recs["soon"]])
    assert [r["id"] for r in register.selected()] == [recs["late"], recs["soon"]]
    assert register.report_action.isEnabled() and not register.verify_action.isEnabled()
    asked: list[int] = []

    def answer(parent: Any, chosen: list[dict[str, Any]], today: dt.date) -> tuple:
        asked.append(len(chosen))
        return TODAY, "12/BC-SYT", "Đã ban hành kế hoạch và niêm yết lại thủ tục"

    monkeypatch.setattr(ReportDialog, "ask", staticmethod(answer))
    with qtbot.waitSignal(register.model.dataChanged, timeout=2000):
        assert register.record_report()
    assert asked == [2]
    assert cell(register, recs["late"], RegisterModel.COL_STATUS) == "Đã báo cáo"
    assert cell(register, recs["soon"], RegisterModel.COL_STATUS) == "Đã báo cáo"
    assert cell(register, recs["late"], RegisterModel.COL_DAYS) == ""
    assert (
        followup.recommendation_status(register.adapter.store, recs["late"], TODAY)["doc_number"]
        == "12/BC-SYT"
    )

    register.select_ids([recs["late"]])
    assert register.verify_action.isEnabled()
    monkeypatch.setattr(VerifyDialog, "ask", staticmethod(lambda parent, rec: (True, "")))
    with qtbot.waitSignal(register.model.dataChanged, timeout=2000):
        assert register.verify_selected()
    assert cell(register, recs["late"], RegisterModel.COL_STATUS) == "Đã xác minh"

    register.select_ids([recs["soon"]])
    monkeypatch.setattr(
        VerifyDialog,
        "ask",
        staticmethod(lambda parent, rec: (False, "Chưa có tài liệu kiểm chứng")),
    )
    assert register.verify_selected()
    assert cell(register, recs["soon"], RegisterModel.COL_STATUS) == "Không đạt yêu cầu"
    assert resets == []  # edits refresh rows, they never reset the model


def test_refused_report_is_shown_and_changes_nothing(
    register: FollowupWindow, recs: dict[str, str], monkeypatch: Any
) -> None:
    problems: list[str] = []
    monkeypatch.setattr(register, "_problem", problems.append)
    register.select_ids([recs["late"]])
    monkeypatch.setattr(
        ReportDialog, "ask", staticmethod(lambda parent, chosen, today: (TODAY, "", "x"))
    )
    assert not register.record_report()
    assert problems == [followup.MESSAGES["no_doc"]]
    assert cell(register, recs["late"], RegisterModel.COL_STATUS) == "Quá hạn"


def test_reminder_letter_to_a_chosen_file_then_offered_to_open(
    register: FollowupWindow, recs: dict[str, str], monkeypatch: Any, tmp_path: Path
) -> None:
    import docx

    target = tmp_path / "don doc.docx"
    opened: list[Path] = []
    monkeypatch.setattr(
        FollowupWindow, "ask_save_path", staticmethod(lambda parent, title, start, f: target)
    )
    monkeypatch.setattr(FollowupWindow, "ask_open_now", staticmethod(lambda parent, p: True))
    monkeypatch.setattr(FollowupWindow, "open_file", staticmethod(opened.append))
    register.select_ids([recs["late"]])
    assert register.reminder_action.isEnabled()
    assert register.make_reminder() == target
    assert opened == [target]
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert f"Kính gửi: {YTE}." in text
    table_text = " ".join(c.text for t in docx.Document(str(target)).tables for c in t._cells)
    assert "Ban hành kế hoạch CCHC đúng thời hạn" in table_text
    assert "Niêm yết" not in table_text  # not overdue yet: not in the reminder

    pdf = tmp_path / "don doc.pdf"
    monkeypatch.setattr(
        FollowupWindow, "ask_save_path", staticmethod(lambda parent, title, start, f: pdf)
    )
    monkeypatch.setattr(FollowupWindow, "ask_open_now", staticmethod(lambda parent, p: False))
    assert register.make_reminder() == pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    assert opened == [target]


def test_no_reminder_for_a_unit_with_nothing_overdue(
    register: FollowupWindow, recs: dict[str, str], monkeypatch: Any, demo_store: Store
) -> None:
    problems: list[str] = []
    monkeypatch.setattr(register, "_problem", problems.append)
    vhtt = inspection_id(demo_store, "Sở Văn hóa, Thể thao và Du lịch")
    other = register.adapter.add_recommendation(  # announced: the register reloads
        vhtt, "Kiện toàn Tổ công tác CCHC", deadline=TODAY + dt.timedelta(days=60)
    )
    register.select_ids([other["id"]])
    assert register.make_reminder() is None
    assert len(problems) == 1 and "không có kiến nghị nào quá hạn" in problems[0]


def test_escalation_list_to_xlsx(
    register: FollowupWindow, recs: dict[str, str], monkeypatch: Any, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "de nghi"
    monkeypatch.setattr(
        FollowupWindow, "ask_save_path", staticmethod(lambda parent, title, start, f: target)
    )
    monkeypatch.setattr(FollowupWindow, "ask_open_now", staticmethod(lambda parent, p: False))
    written = register.export_escalation()
    assert written == tmp_path / "de nghi.xlsx"
    sheet = load_workbook(written).active
    units = [sheet.cell(r, 2).value for r in range(5, sheet.max_row + 1)]
    assert units == [YTE, THANH_TRA]  # most overdue first


def test_menu_opens_the_register_and_double_click_opens_the_unit(
    qtbot: Any, window: Any, recs: dict[str, str]
) -> None:
    action = window.feature("followup").register_action
    assert action.shortcut().toString() == "Ctrl+R"
    menus = [a.text() for a in window.menuBar().actions()]
    assert "Th&eo dõi" in menus
    action.trigger()
    win = window.feature("followup").register_window
    assert win is not None and win.isVisible()
    assert win.model.rowCount() == 5
    row = win.model.row_for(recs["tt_late"])
    index = win.model.index(row, 0)
    win.table.doubleClicked.emit(index)
    assert window.selection.inspection_id == inspection_id(window.adapter.store, THANH_TRA)


# -- earlier years ----------------------------------------------------------------------------
def _plan(store: Store, year: int) -> dict[str, str]:
    plan_id = create_plan(
        store,
        PlanSpec(
            number=f"{year - 2000}/KH-UBND",
            year=year,
            issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
            issued_on=dt.date(year, 2, 2),
            province="Sóc Trăng",
            units=[UnitSpec(YTE, UnitLevel.SO, 6), UnitSpec("Sở Tư pháp", UnitLevel.SO, 7)],
        ),
    )
    return {i["unit"]: i["id"] for i in store.planning.inspections(plan_id)}


def test_banner_lists_what_is_still_open_from_an_earlier_year(qtbot: Any, store: Store) -> None:
    from desktop.ui.main_window import MainWindow

    before, now = _plan(store, 2023), _plan(store, 2024)
    conclusions.add_recommendation(
        store, before[YTE], "Số hóa hồ sơ một cửa", deadline=dt.date(2023, 12, 31)
    )
    done = conclusions.add_recommendation(
        store, before[YTE], "Ký số văn bản đi", deadline=dt.date(2023, 12, 31)
    )
    followup.record_report(
        store, [done["id"]], dt.date(2023, 12, 1), "9/BC-SYT", "Đã ký số", today=dt.date(2024, 1, 2)
    )
    followup.verify(store, done["id"], True, verified_on=dt.date(2024, 1, 2))

    window = MainWindow(StoreAdapter(store))
    qtbot.addWidget(window)
    window.show()
    banner = window.feature("followup").banner
    window.open_inspection(now[YTE])
    assert window.selection.inspection_id == now[YTE]
    assert not banner.isHidden()
    assert banner.title.text() == "Kiến nghị chưa khắc phục từ lần kiểm tra trước: 1"
    assert not banner.expanded() and banner.details_area.isHidden()
    banner.toggle.click()
    assert not banner.details_area.isHidden()
    assert "Số hóa hồ sơ một cửa" in banner.details.text()
    assert "Ký số văn bản đi" not in banner.details.text()  # verified: not listed
    assert "31/12/2023" in banner.details.text()

    window.open_inspection(now["Sở Tư pháp"])  # nothing recommended there before
    assert banner.isHidden()
    window.open_inspection(before[YTE])  # the earlier plan itself: nothing before it
    assert window.selection.plan_id == store.planning.inspection(before[YTE])["plan_id"]
    assert banner.isHidden()


def test_banner_alone(qtbot: Any, store: Store) -> None:
    before, now = _plan(store, 2022), _plan(store, 2023)
    conclusions.add_recommendation(store, before[YTE], "Kiện toàn bộ phận một cửa")
    banner = EarlierBanner(StoreAdapter(store))
    qtbot.addWidget(banner)
    banner.set_inspection(now[YTE])
    assert banner.recommendations and not banner.isHidden()
    banner.set_inspection(None)
    assert banner.isHidden()


def test_report_dialog_picks_files_and_the_report_keeps_them(
    qtbot: Any, register: FollowupWindow, recs: dict[str, str], monkeypatch: Any, tmp_path: Path
) -> None:
    first = tmp_path / "Báo cáo khắc phục.pdf"
    first.write_bytes(b"%PDF bao cao")
    second = tmp_path / "anh.png"
    second.write_bytes(b"\x89PNG")
    picks = [[str(first), str(second)], [str(first)], []]
    monkeypatch.setattr(ReportDialog, "pick_files", staticmethod(lambda parent: picks.pop(0)))
    dialog = ReportDialog([row_of(register, recs["late"])], TODAY)
    qtbot.addWidget(dialog)
    dialog.add_files_button.click()
    dialog.add_files_button.click()  # the same file again is listed once
    dialog.add_files_button.click()  # cancelled
    assert [dialog.file_list.item(i).text() for i in range(dialog.file_list.count())] == [
        "Báo cáo khắc phục.pdf",
        "anh.png",
    ]
    dialog.file_list.setCurrentRow(1)
    dialog.remove_file_button.click()
    dialog.doc_edit.setText("12/BC-SYT")
    dialog.note_edit.setPlainText("Đã niêm yết lại")
    answer = dialog.values()
    assert answer[1:] == ("12/BC-SYT", "Đã niêm yết lại", [str(first)])

    register.select_ids([recs["late"]])
    monkeypatch.setattr(ReportDialog, "ask", staticmethod(lambda parent, chosen, today: answer))
    with qtbot.waitSignal(register.model.dataChanged, timeout=2000):
        assert register.record_report()
    rec = followup.recommendation_status(register.adapter.store, recs["late"], TODAY)
    files = rec["remediations"][-1]["attachments"]
    assert [f["filename"] for f in files] == ["Báo cáo khắc phục.pdf"]
