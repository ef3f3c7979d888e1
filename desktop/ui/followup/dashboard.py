"""The campaign dashboard: a plan's progress, scores, ranking and follow-up, as charts.

Imported only when the user opens it ("Theo dõi" ▸ "Bảng điều khiển…"), so that QtCharts
does not slow the start of the application.

Four tabs, each a chart; clicking a bar or a slice lists the units behind it in the panel
beside the charts (`unitsPicked`), and clicking a unit there asks the main window to open its
inspection (`inspectionRequested`). The figures come from plain functions (`plan_figures`)
over the services, so they can be checked without charts:

- progress by month: inspections scheduled, visited (recording started or later) and
  concluded (status "Đã kết luận") per month of the schedule;
- scores by area: the average percent of each area over the inspections that recorded
  something in it (scoring.score_plan); the others are "chưa kiểm tra", never a 0;
- units ranked by percent (the top 40 when there are more), within the plan: complete visits
  with their rank, then the partly recorded ones marked "tạm tính · đã ghi nhận n/m";
- recommendations by follow-up status (followup.register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import (
    QLocale,
    QMargins,
    QModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import scoring
from desktop.ui.followup.register import STATUS_COLOURS
from desktop.ui.models import IdRole

if TYPE_CHECKING:
    from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.common.keyboard import close_on_escape, fit_on_screen
from desktop.ui.followup.figures import (
    RANK_LIMIT,
    SERIES_COLOURS,
    T_ALL_RANKED,
    T_AVERAGE,
    T_CONCLUDED,
    T_NOT_RANKED,
    T_NOTHING,
    T_PANEL,
    T_PANEL_HINT,
    T_PERCENT,
    T_PICK,
    T_PICK_AREA,
    T_PICK_MONTH,
    T_PICK_NONE,
    T_PICK_STATUS,
    T_PICK_UNIT,
    T_PLAN,
    T_PLAN_ITEM,
    T_SCHEDULED,
    T_TAB_AREAS,
    T_TAB_PROGRESS,
    T_TAB_RANK,
    T_TAB_RECS,
    T_TITLE,
    T_TOP,
    T_UNIT_AREA,
    T_UNIT_LINE,
    T_UNIT_NOT_INSPECTED,
    T_UNIT_PERCENT,
    T_UNIT_PROVISIONAL,
    T_UNIT_RECS,
    T_UNITS,
    T_VISITED,
    UnitListModel,
    _pct_text,
    bar_choices,
    plan_figures,
    rank_label,
)


# =========================================================================================
# The window
# =========================================================================================
class DashboardWindow(QWidget):
    """Charts of one plan with click-through to the units.

    Signals:
      unitsPicked(title: str, units: list) — a bar or slice was clicked; units are
          {"id": inspection id, "label": text} dicts.
      inspectionRequested(inspection_id: str) — a unit in the list was clicked.
    Attributes for tests and callers: `charts` (name → QChart), `bar_sets` (name → {set
    label → QBarSet}), `slices` (status → QPieSlice), `figures` (plan_figures()).
    """

    unitsPicked = Signal(str, list)
    inspectionRequested = Signal(str)

    def __init__(
        self, adapter: StoreAdapter, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.adapter = adapter
        self.today = today
        self.plan_id: str | None = None
        self.figures: dict[str, Any] = {}
        self.charts: dict[str, QChart] = {}
        self.bar_sets: dict[str, dict[str, QBarSet]] = {}
        self.slices: dict[str, QPieSlice] = {}
        self.setWindowTitle(T_TITLE)
        self.units = UnitListModel(self)
        self._build()
        adapter.storeReplaced.connect(self._reload_plans)
        fit_on_screen(self, 1240, 760)
        close_on_escape(self)
        self._reload_plans()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(T_PLAN))
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._plan_picked)
        top.addWidget(self.plan_combo)
        top.addStretch(1)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.views: dict[str, QChartView] = {}
        for name, title in (
            ("progress", T_TAB_PROGRESS),
            ("areas", T_TAB_AREAS),
            ("rank", T_TAB_RANK),
            ("recs", T_TAB_RECS),
        ):
            view = QChartView()
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.views[name] = view
            if name == "areas":
                box = QWidget()
                bl = QVBoxLayout(box)
                bl.setContentsMargins(0, 0, 0, 0)
                bl.addWidget(view, 1)
                self.area_names = QLabel()
                self.area_names.setWordWrap(True)
                self.area_names.setContentsMargins(8, 2, 8, 6)
                bl.addWidget(self.area_names)
                self.tabs.addTab(box, title)
            elif name == "rank":
                self.rank_scroll = QScrollArea()
                self.rank_scroll.setWidgetResizable(True)
                self.rank_scroll.setWidget(view)
                self.tabs.addTab(self.rank_scroll, title)
            else:
                self.tabs.addTab(view, title)

        panel = QWidget()
        pl = QVBoxLayout(panel)
        pl.setContentsMargins(4, 0, 0, 0)
        self.pick_combo = QComboBox()  # the bars by keyboard: choosing one = clicking it
        self.pick_combo.activated.connect(self._bar_chosen)
        pick_label = QLabel(T_PICK)
        pick_label.setBuddy(self.pick_combo)
        pl.addWidget(pick_label)
        pl.addWidget(self.pick_combo)
        self.panel_title = QLabel(f"<b>{T_PANEL}</b>")
        self.panel_title.setWordWrap(True)
        pl.addWidget(self.panel_title)
        self.unit_view = QListView()
        self.unit_view.setModel(self.units)
        self.unit_view.setWordWrap(True)
        self.unit_view.clicked.connect(self._unit_clicked)
        self.unit_view.activated.connect(self._unit_clicked)
        pl.addWidget(self.unit_view, 1)
        hint = QLabel(T_PANEL_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        pl.addWidget(hint)
        self.tabs.currentChanged.connect(lambda _n: self._show_units(T_PANEL, []))
        self.tabs.currentChanged.connect(lambda _n: self._fill_choices())

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([900, 320])
        layout.addWidget(splitter, 1)
        self.unitsPicked.connect(self._show_units)

    # -- plans ----------------------------------------------------------------------------
    @Slot()
    def _reload_plans(self) -> None:
        wanted = self.plan_id
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for p in self.adapter.reads.planning.plans():
            self.plan_combo.addItem(
                T_PLAN_ITEM.format(number=p["number"], year=p["year"], units=p["units"]), p["id"]
            )
        self.plan_combo.blockSignals(False)
        index = self.plan_combo.findData(wanted) if wanted else -1
        self.plan_combo.setCurrentIndex(index)
        self._plan_picked(max(index, 0) if self.plan_combo.count() else -1)

    def set_plan(self, plan_id: str | None) -> None:
        index = self.plan_combo.findData(plan_id) if plan_id else -1
        if index >= 0 and index != self.plan_combo.currentIndex():
            self.plan_combo.setCurrentIndex(index)  # → _plan_picked
        elif index >= 0:
            self.refresh()

    @Slot(int)
    def _plan_picked(self, index: int) -> None:
        self.plan_id = self.plan_combo.itemData(index) if index >= 0 else None
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Read the figures again and redraw every chart."""
        self.units.set_units([])
        self.panel_title.setText(f"<b>{T_PANEL}</b>")
        if not self.plan_id:
            self.figures = {"progress": [], "areas": [], "ranked": [], "statuses": []}
        else:
            self.figures = plan_figures(self.adapter.reads, self.plan_id, self.today)
        self._draw_progress()
        self._draw_areas()
        self._draw_rank()
        self._draw_statuses()
        self._fill_choices()

    def _fill_choices(self) -> None:
        tab = list(self.views)[self.tabs.currentIndex()]
        self.pick_combo.clear()
        self.pick_combo.addItem(T_PICK_NONE, None)
        for text, what in bar_choices(self.figures, tab):
            self.pick_combo.addItem(text, (tab, *what))

    @Slot(int)
    def _bar_chosen(self, index: int) -> None:
        what = self.pick_combo.itemData(index)
        if what is None:
            return
        if what[0] == "rank":  # the chart lists the best at the top
            self.pick_ranked(len(self._rank_rows) - 1 - what[1])
        elif what[0] == "progress":
            self.pick_month(*what[1:])
        elif what[0] == "areas":
            self.pick_area(what[1])
        else:
            self.pick_status(what[1])

    # -- charts ---------------------------------------------------------------------------
    def _chart(self, name: str, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setPointSizeF(max(font.pointSizeF(), 10) + 1)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(6, 6, 6, 6))
        chart.setLocale(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        chart.setLocalizeNumbers(True)
        old = self.views[name].chart()
        self.views[name].setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()
        self.charts[name] = chart
        return chart

    def _connect_set(
        self, bar_set: QBarSet, handler: Callable[[int], None], name: str, label: str
    ) -> None:
        bar_set.clicked.connect(handler)
        self.bar_sets.setdefault(name, {})[label] = bar_set

    def _month_picker(self, key: str, label: str) -> Callable[[int], None]:
        """The handler of one series of the progress chart (a bar: a month)."""
        return lambda n: self.pick_month(key, label, n)

    def _draw_progress(self) -> None:
        rows = self.figures["progress"]
        chart = self._chart("progress", T_TAB_PROGRESS)
        self.bar_sets["progress"] = {}
        series = QBarSeries()
        for (key, label), colour in zip(
            (("scheduled", T_SCHEDULED), ("visited", T_VISITED), ("concluded", T_CONCLUDED)),
            SERIES_COLOURS,
            strict=True,
        ):
            bar_set = QBarSet(label)
            bar_set.setColor(colour)
            bar_set.append([float(len(r[key])) for r in rows])
            self._connect_set(bar_set, self._month_picker(key, label), "progress", label)
            series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([r["label"] for r in rows] or [T_NOTHING])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        top = max((len(r["scheduled"]) for r in rows), default=1)
        axis_y.setRange(0, top + 1)
        axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_y.setTickInterval(1 if top <= 12 else 5)
        axis_y.setTickAnchor(0)
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText(T_UNITS)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)

    def _draw_areas(self) -> None:
        rows = self.figures["areas"]
        chart = self._chart("areas", T_TAB_AREAS)
        self.bar_sets["areas"] = {}
        series = QBarSeries()
        bar_set = QBarSet(T_AVERAGE)
        bar_set.setColor(QColor("#1a73e8"))
        bar_set.append([float(a["average"]) for a in rows])
        self._connect_set(bar_set, self.pick_area, "areas", T_AVERAGE)
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([a["code"] for a in rows] or [T_NOTHING])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat("%.0f")
        axis_y.setTitleText(T_AVERAGE)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        self.area_names.setText(" · ".join(f"<b>{a['code']}</b>: {a['name']}" for a in rows))

    def _draw_rank(self) -> None:
        ranked = self.figures["ranked"]
        shown = ranked[:RANK_LIMIT]
        title = (
            T_TOP.format(shown=len(shown), total=len(ranked))
            if len(ranked) > RANK_LIMIT
            else T_ALL_RANKED.format(total=len(ranked))
        )
        if self.figures.get("not_inspected"):
            title += T_NOT_RANKED.format(count=len(self.figures["not_inspected"]))
        chart = self._chart("rank", title)
        self.bar_sets["rank"] = {}
        chart.legend().setVisible(False)
        self._rank_rows = list(reversed(shown))  # the best at the top of the chart
        series = QHorizontalBarSeries()
        series.setBarWidth(0.6 if len(shown) > 3 else 0.4)
        bar_set = QBarSet(T_PERCENT)
        bar_set.setColor(QColor("#1b7a3a"))
        bar_set.append([float(s["percent"]) for s in self._rank_rows])
        self._connect_set(bar_set, self.pick_ranked, "rank", T_PERCENT)
        bar_set.hovered.connect(self._rank_hovered)
        series.append(bar_set)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPrecision(3)
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([rank_label(s) for s in self._rank_rows] or [T_NOTHING])
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        axis_x.setRange(0, 100)
        axis_x.setLabelFormat("%.0f")
        axis_x.setTitleText(T_PERCENT)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        # One readable row per unit; the scroll area takes what does not fit.
        self.views["rank"].setMinimumHeight(max(360, 30 * len(shown) + 120))

    @Slot(bool, int)
    def _rank_hovered(self, inside: bool, index: int) -> None:
        """The full line of the bar under the mouse (the axis cuts long unit names)."""
        row = self._rank_rows[index] if inside and 0 <= index < len(self._rank_rows) else None
        text = ""
        if row is not None:
            text = f"{rank_label(row)} — {_pct_text(row['percent'])}%"
        self.views["rank"].setToolTip(text)

    def _draw_statuses(self) -> None:
        rows = self.figures["statuses"]
        chart = self._chart("recs", T_TAB_RECS)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.slices = {}
        series = QPieSeries()
        series.setPieSize(0.7)
        for row in rows:
            piece = series.append(f"{row['label']}: {row['count']}", float(row["count"]))
            piece.setColor(STATUS_COLOURS[row["status"]])
            piece.setLabelVisible(True)
            piece.clicked.connect(lambda status=row["status"]: self.pick_status(status))
            self.slices[row["status"]] = piece
        chart.addSeries(series)
        if not rows:
            chart.setTitle(f"{T_TAB_RECS} — {T_NOTHING}")

    # -- click-through --------------------------------------------------------------------
    @Slot(int)
    def pick_month(self, key: str, label: str, index: int) -> None:
        row = self.figures["progress"][index]
        units = row[key]
        self.unitsPicked.emit(
            T_PICK_MONTH.format(series=label, month=row["label"], count=len(units)),
            [{"id": i["id"], "label": T_UNIT_LINE.format(unit=i["unit"])} for i in units],
        )

    @Slot(int)
    def pick_area(self, index: int) -> None:
        area = self.figures["areas"][index]
        inspected, missing = area["units"], area["not_inspected"]
        self.unitsPicked.emit(
            T_PICK_AREA.format(
                code=area["code"],
                name=area["name"],
                count=len(inspected),
                total=len(inspected) + len(missing),
            ),
            [
                {
                    "id": u["id"],
                    "label": T_UNIT_AREA.format(**{**u, "percent": _pct_text(u["percent"])}),
                }
                for u in inspected
            ]
            + [{"id": u["id"], "label": T_UNIT_NOT_INSPECTED.format(**u)} for u in missing],
        )

    @Slot(int)
    def pick_ranked(self, index: int) -> None:
        row = self._rank_rows[index]
        text = T_UNIT_PROVISIONAL if scoring.is_provisional(row) else T_UNIT_PERCENT
        self.unitsPicked.emit(
            T_PICK_UNIT.format(unit=row["unit"]),
            [
                {
                    "id": row["id"],
                    "label": text.format(**{**row, "percent": _pct_text(row["percent"])}),
                }
            ],
        )

    def pick_status(self, status: str) -> None:
        row = next(r for r in self.figures["statuses"] if r["status"] == status)
        self.unitsPicked.emit(
            T_PICK_STATUS.format(status=row["label"], count=len(row["units"])),
            [
                {"id": u["id"], "label": T_UNIT_RECS.format(unit=u["unit"], count=u["count"])}
                for u in row["units"]
            ],
        )

    @Slot(str, list)
    def _show_units(self, title: str, units: list[dict[str, Any]]) -> None:
        self.panel_title.setText(f"<b>{title}</b>")
        self.units.set_units(units)

    @Slot(QModelIndex)
    def _unit_clicked(self, index: QModelIndex) -> None:
        inspection_id = index.data(IdRole)
        if inspection_id:
            self.inspectionRequested.emit(inspection_id)
