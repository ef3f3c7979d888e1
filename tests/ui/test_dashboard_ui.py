"""The campaign dashboard: charts of the demo plan and their click-through to the units."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from typing import Any

import pytest
from PySide6.QtCore import Qt

from db import Store
from desktop.services import conclusions
from desktop.ui.models import IdRole
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize or raise native windows; says so per window.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

TODAY = dt.date(2021, 9, 15)
JUNE = ["Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Thanh tra tỉnh"]


@pytest.fixture
def campaign(demo_store: Store) -> Store:
    """The demo plan (June visits recorded) with recommendations; one visit concluded."""
    yte = inspection_id(demo_store, "Sở Y tế")
    tt = inspection_id(demo_store, "Thanh tra tỉnh")
    for text, days in (("Ban hành kế hoạch CCHC", -5), ("Niêm yết thủ tục", 3)):
        conclusions.add_recommendation(
            demo_store, yte, text, deadline=TODAY + dt.timedelta(days=days)
        )
    conclusions.add_recommendation(
        demo_store, tt, "Báo cáo quý đúng hạn", deadline=TODAY - dt.timedelta(days=1)
    )
    with demo_store.transaction():
        demo_store.core.update_row("inspections", yte, {"status": "da-ket-luan"})
    return demo_store


@pytest.fixture
def dashboard(qtbot: Any, adapter: Any, campaign: Store) -> Any:
    from desktop.ui.followup.dashboard import DashboardWindow

    dash = DashboardWindow(adapter, today=TODAY)
    qtbot.addWidget(dash)
    dash.show()
    return dash


def values(bar_set: Any) -> list[float]:
    return [bar_set.at(n) for n in range(bar_set.count())]


def test_charts_of_the_demo_plan(dashboard: Any) -> None:
    assert set(dashboard.charts) == {"progress", "areas", "rank", "recs"}
    for chart in dashboard.charts.values():
        assert chart.series()
    progress = dashboard.bar_sets["progress"]
    assert values(progress["Theo kế hoạch"]) == [3, 6, 6]
    assert values(progress["Đã kiểm tra"]) == [3, 0, 0]
    assert values(progress["Đã kết luận"]) == [1, 0, 0]
    axis = dashboard.charts["progress"].axes()[0]
    assert list(axis.categories()) == ["Tháng 6", "Tháng 7", "Tháng 8"]
    areas = dashboard.figures["areas"]
    assert [a["code"] for a in areas][:3] == ["A1", "A2", "A3"]
    averages = values(dashboard.bar_sets["areas"]["Điểm bình quân (%)"])
    assert averages == [a["average"] for a in areas]
    assert all(0 < v <= 100 for v in averages)
    ranked = values(dashboard.bar_sets["rank"]["Tỷ lệ điểm đạt (%)"])
    assert len(ranked) == 3 and ranked == sorted(ranked)  # best at the top of the chart
    pie = dashboard.charts["recs"].series()[0]
    assert sorted(s.label() for s in pie.slices()) == ["Quá hạn: 2", "Sắp đến hạn: 1"]


def test_clicking_bars_lists_the_units_behind_them(qtbot: Any, dashboard: Any) -> None:
    visited = dashboard.bar_sets["progress"]["Đã kiểm tra"]
    with qtbot.waitSignal(dashboard.unitsPicked, timeout=1000) as blocker:
        visited.clicked.emit(0)
    assert blocker.args[0] == "Đã kiểm tra — Tháng 6: 3 đơn vị"
    assert dashboard.units.labels() == JUNE
    assert "Tháng 6: 3 đơn vị" in dashboard.panel_title.text()

    dashboard.bar_sets["progress"]["Đã kết luận"].clicked.emit(0)
    assert dashboard.units.labels() == ["Sở Y tế"]
    dashboard.bar_sets["progress"]["Theo kế hoạch"].clicked.emit(1)
    assert len(dashboard.units.labels()) == 6

    dashboard.bar_sets["areas"]["Điểm bình quân (%)"].clicked.emit(0)
    a1 = dashboard.figures["areas"][0]
    shown = [x.split(" — ")[0] for x in dashboard.units.labels()]
    assert [u["unit"] for u in a1["units"]] == shown[:3]  # then those not inspected yet
    assert sorted(shown[:3]) == sorted(JUNE)
    percents = [u["percent"] for u in a1["units"]]
    assert percents == sorted(percents)  # weakest first

    rank_set = dashboard.bar_sets["rank"]["Tỷ lệ điểm đạt (%)"]
    rank_set.clicked.emit(rank_set.count() - 1)  # the top bar: the best unit
    best = max(dashboard.figures["ranked"], key=lambda r: r["percent"])
    assert dashboard.units.ids() == [best["id"]]

    dashboard.slices["qua-han"].clicked.emit()
    assert dashboard.units.labels() == ["Sở Y tế — 1 kiến nghị", "Thanh tra tỉnh — 1 kiến nghị"]


def test_unit_list_model(qtmodeltester: Any, dashboard: Any) -> None:
    dashboard.bar_sets["progress"]["Theo kế hoạch"].clicked.emit(1)
    qtmodeltester.check(dashboard.units)


def test_clicking_a_unit_opens_its_inspection_in_the_window(
    qtbot: Any, window: Any, campaign: Store
) -> None:
    dash = window.feature("followup").show_dashboard()
    qtbot.addWidget(dash)
    assert dash.plan_id == window.selection.plan_id
    dash.today = TODAY
    dash.refresh()
    dash.slices["qua-han"].clicked.emit()
    tt = inspection_id(campaign, "Thanh tra tỉnh")
    index = dash.units.index(dash.units.ids().index(tt))
    with qtbot.waitSignal(dash.inspectionRequested, timeout=1000):
        dash.unit_view.clicked.emit(index)
    assert window.selection.inspection_id == tt
    assert "Thanh tra tỉnh" in window.pane.header_label.text()


def test_empty_database_draws_empty_charts(qtbot: Any, store: Store) -> None:
    from desktop.ui.followup.dashboard import DashboardWindow
    from desktop.ui.store_adapter import StoreAdapter

    dash = DashboardWindow(StoreAdapter(store))
    qtbot.addWidget(dash)
    assert dash.plan_id is None
    assert dash.figures["ranked"] == [] and dash.units.rowCount() == 0


def test_main_window_does_not_load_qtcharts_until_the_dashboard_opens() -> None:
    code = (
        "import sys; import desktop.ui.main_window, desktop.ui.followup.register; "
        "print('PySide6.QtCharts' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_picked_units_are_selected_in_the_navigator(
    qtbot: Any, window: Any, campaign: Store
) -> None:
    dash = window.feature("followup").show_dashboard()
    qtbot.addWidget(dash)
    dash.today = TODAY
    dash.refresh()
    rank_set = dash.bar_sets["rank"]["Tỷ lệ điểm đạt (%)"]
    rank_set.clicked.emit(rank_set.count() - 1)  # the best unit
    best = dash.units.ids()[0]
    assert window.selection.inspection_id == best
    assert window.tree.currentIndex().siblingAtColumn(0).data(IdRole) == best
    dash.slices["qua-han"].clicked.emit()  # several: the first is selected
    assert window.selection.inspection_id == dash.units.ids()[0]


# -- honest totals (issue 13) -----------------------------------------------------------------
VHTTDL = "Sở Văn hóa, Thể thao và Du lịch"


def chart_texts(dashboard: Any, name: str) -> list[str]:
    """Every text drawn in a chart's scene (bar labels, axis labels, titles)."""
    import shiboken6
    from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QGraphicsTextItem

    dashboard.tabs.setCurrentIndex(list(dashboard.views).index(name))  # laid out when shown
    for _ in range(3):
        QApplication.processEvents()
    texts = []
    for item in dashboard.views[name].scene().items():
        # QtCharts' labels are private subclasses: PySide hands them over as QGraphicsItem.
        if item.type() == 9:  # QGraphicsSimpleTextItem::Type
            pointer = shiboken6.getCppPointer(item)[0]
            texts.append(shiboken6.wrapInstance(pointer, QGraphicsSimpleTextItem).text())
        elif item.type() == 8:  # QGraphicsTextItem::Type, a QObject first
            pointer = shiboken6.getCppPointer(item.toGraphicsObject())[0]
            texts.append(shiboken6.wrapInstance(pointer, QGraphicsTextItem).toPlainText())
    return texts


def test_areas_never_recorded_count_as_not_inspected_not_as_zero(dashboard: Any) -> None:
    # In the demo, Sở Y tế recorded every area; the two others recorded A1–A4 only.
    a5 = next(a for a in dashboard.figures["areas"] if a["code"] == "A5")
    assert [u["unit"] for u in a5["units"]] == ["Sở Y tế"]
    missing = [u["unit"] for u in a5["not_inspected"]]
    assert len(missing) == 14 and VHTTDL in missing and "Thanh tra tỉnh" in missing
    assert a5["average"] == a5["units"][0]["percent"] > 0  # not dragged down by two zeros
    index = dashboard.figures["areas"].index(a5)
    dashboard.bar_sets["areas"]["Điểm bình quân (%)"].clicked.emit(index)
    labels = dashboard.units.labels()
    assert labels[0].startswith("Sở Y tế — ") and "đã ghi nhận 11/11" in labels[0]
    assert labels[1:] == [f"{u} — chưa kiểm tra" for u in missing]
    assert "đã ghi nhận 1/15 đơn vị" in dashboard.panel_title.text()


def test_ranking_marks_partly_recorded_visits_provisional(dashboard: Any) -> None:
    from desktop.services import scoring

    ranked = {r["unit"]: r for r in dashboard.figures["ranked"]}
    assert not scoring.is_provisional(ranked["Sở Y tế"])
    assert scoring.is_provisional(ranked[VHTTDL])
    labels = list(dashboard.charts["rank"].axes(Qt.Orientation.Vertical)[0].categories())
    vh = next(x for x in labels if x.startswith(VHTTDL))
    assert "tạm tính" in vh and "đã ghi nhận 38/71" in vh and "hạng" not in vh
    yte = next(x for x in labels if x.startswith("Sở Y tế"))
    assert "hạng 1" in yte and "tạm tính" not in yte
    assert labels[-1] == yte  # complete visits rank above provisional ones (top of the chart)
    rank_set = dashboard.bar_sets["rank"]["Tỷ lệ điểm đạt (%)"]
    rank_set.hovered.emit(True, labels.index(vh))  # the axis cuts long names: the full line
    assert dashboard.views["rank"].toolTip() == f"{vh} — 37,75%"
    rank_set.clicked.emit(labels.index(vh))
    assert dashboard.units.labels() == [f"{VHTTDL} — 37,75% · tạm tính, đã ghi nhận 38/71"]


def test_chart_numbers_use_the_vietnamese_decimal_comma(dashboard: Any) -> None:
    for name in ("areas", "rank"):
        texts = chart_texts(dashboard, name)
        assert any(re.search(r"\d,\d", t) for t in texts), name
        assert not any(re.search(r"\d\.\d", t) for t in texts), name


def test_the_units_behind_a_bar_are_reached_by_keyboard(qtbot: Any, dashboard: Any) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    # Clicking a bar needs the mouse; the panel's list of bars does the same by keys.
    dashboard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dashboard)
    combo = dashboard.pick_combo
    texts = [combo.itemText(n) for n in range(combo.count())]
    assert texts[1:4] == [
        "Theo kế hoạch — Tháng 6: 3",
        "Đã kiểm tra — Tháng 6: 3",
        ("Đã kết luận — Tháng 6: 1"),
    ]
    combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is combo)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert dashboard.units.labels() == JUNE  # "Đã kiểm tra — Tháng 6"
    dashboard.tabs.setCurrentIndex(2)  # the ranking: its units, best first
    assert combo.itemText(1) == "Sở Y tế"
    QTest.keyClick(combo, Qt.Key.Key_Down)
    assert dashboard.units.ids() == [dashboard.figures["ranked"][0]["id"]]
