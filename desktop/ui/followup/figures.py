"""The dashboard's figures (`plan_figures`, plain Python over the services), its texts and
the list model of the units behind a clicked bar; no QtCharts here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from desktop.domain import InspectionStatus, UnitLevel
from desktop.services import followup, scoring
from desktop.services.followup import STATUS_LABELS, FollowupStatus
from desktop.ui import strings
from desktop.ui.models import IdRole

if TYPE_CHECKING:
    pass

# Strings the user sees.
T_TITLE = "Bảng điều khiển đợt kiểm tra"
T_PLAN = strings.PLAN
T_PLAN_ITEM = "{number} — năm {year} ({units} đơn vị)"
T_TAB_PROGRESS = "Tiến độ theo tháng"
T_TAB_AREAS = "Điểm theo lĩnh vực"
T_TAB_RANK = "Xếp hạng đơn vị"
T_TAB_RECS = "Kiến nghị theo trạng thái"
T_SCHEDULED = "Theo kế hoạch"
T_VISITED = "Đã kiểm tra"
T_CONCLUDED = "Đã kết luận"
T_MONTH = "Tháng {month}"
T_NO_MONTH = "Chưa xếp lịch"
T_AVERAGE = "Điểm bình quân (%)"
T_PERCENT = "Tỷ lệ điểm đạt (%)"
T_UNITS = "Số cuộc kiểm tra"
T_TOP = "{shown} đơn vị điểm cao nhất trong {total} đơn vị đã có kết quả"
T_ALL_RANKED = "{total} đơn vị đã có kết quả, xếp theo tỷ lệ điểm"
T_NOT_RANKED = "; {count} đơn vị chưa kiểm tra"
T_PROVISIONAL = "tạm tính"
T_RECORDED = "đã ghi nhận {judged}/{to_judge}"
T_NOT_INSPECTED = "chưa kiểm tra"
T_NOTHING = "Chưa có dữ liệu"
T_PANEL = "Đơn vị"
T_PANEL_HINT = "Bấm vào cột hoặc phần biểu đồ để xem các đơn vị; bấm tên đơn vị để mở."
T_PICK_MONTH = "{series} — {month}: {count} đơn vị"
T_PICK_AREA = "Lĩnh vực {code} {name}: đã ghi nhận {count}/{total} đơn vị (điểm thấp trước)"
T_PICK_UNIT = "Xếp hạng: {unit}"
T_PICK_STATUS = "Kiến nghị “{status}”: {count} đơn vị"
T_UNIT_LINE = "{unit}"
T_UNIT_PERCENT = "{unit} — {percent}%"
T_UNIT_AREA = "{unit} — {percent}% · " + T_RECORDED
T_UNIT_PROVISIONAL = "{unit} — {percent}% · " + T_PROVISIONAL + ", " + T_RECORDED
T_UNIT_NOT_INSPECTED = "{unit} — " + T_NOT_INSPECTED
T_UNIT_RECS = "{unit} — {count} kiến nghị"

RANK_LIMIT = 40
SERIES_COLOURS = (QColor("#9aa0a6"), QColor("#1a73e8"), QColor("#1b7a3a"))
VISITED = {
    InspectionStatus.DANG_KIEM_TRA.value,
    InspectionStatus.DA_KIEM_TRA.value,
    InspectionStatus.DA_KET_LUAN.value,
}


def _pct_text(value: float) -> str:
    """A percentage as the tables write it: up to 2 decimals, a decimal comma ("37,75")."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


# =========================================================================================
# The figures (plain Python over the services)
# =========================================================================================
def plan_figures(store: Any, plan_id: str, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the dashboard draws for a plan, each bar/slice with its inspections."""
    inspections = store.planning.inspections(plan_id)
    months = sorted({i["month"] for i in inspections}, key=lambda m: (m is None, m or 0))
    progress = []
    for month in months:
        here = [i for i in inspections if i["month"] == month]
        progress.append(
            {
                "month": month,
                "label": T_MONTH.format(month=month) if month else T_NO_MONTH,
                "scheduled": here,
                "visited": [i for i in here if i["status"] in VISITED],
                "concluded": [i for i in here if i["status"] == InspectionStatus.DA_KET_LUAN.value],
            }
        )
    every = scoring.score_plan(store, plan_id)
    scores = [s for s in every if s["recorded"]]
    areas: dict[str, dict[str, Any]] = {}
    for s in every:
        for area in s["areas"]:
            if not area["max"]:
                continue
            entry = areas.setdefault(
                area["code"],
                {"code": area["code"], "name": area["name"], "units": [], "not_inspected": []},
            )
            unit = {"id": s["id"], "unit": s["unit"]}
            if not area["recorded"]:  # never inspected: "chưa kiểm tra", not a 0 in the average
                entry["not_inspected"].append(unit)
                continue
            entry["units"].append(
                {
                    **unit,
                    "percent": area["percent"],
                    "judged": area["judged"],
                    "to_judge": area["to_judge"],
                    "provisional": scoring.is_provisional(area),
                }
            )
    area_rows = []
    for entry in sorted(areas.values(), key=lambda a: _area_key(a["code"])):
        if not entry["units"]:
            continue  # no unit inspected it yet: no bar (a 0 would read as a result)
        entry["units"].sort(key=lambda u: u["percent"])
        entry["not_inspected"].sort(key=lambda u: u["unit"])
        entry["average"] = round(sum(u["percent"] for u in entry["units"]) / len(entry["units"]), 2)
        area_rows.append(entry)
    # Complete visits first (their rank is final), then the provisional ones; each by percent.
    ranked = sorted(scores, key=lambda s: (scoring.is_provisional(s), -s["percent"], s["unit"]))
    not_inspected = [{"id": s["id"], "unit": s["unit"]} for s in every if not s["recorded"]]
    recs = followup.register(store, plan_id, today=today)
    statuses = []
    for status in FollowupStatus:
        mine = [r for r in recs if r["status"] == status.value]
        if not mine:
            continue
        per_unit: dict[str, dict[str, Any]] = {}
        for r in mine:
            unit = per_unit.setdefault(
                r["inspection_id"], {"id": r["inspection_id"], "unit": r["unit"], "count": 0}
            )
            unit["count"] += 1
        statuses.append(
            {
                "status": status.value,
                "label": STATUS_LABELS[status],
                "count": len(mine),
                "units": sorted(per_unit.values(), key=lambda u: (-u["count"], u["unit"])),
            }
        )
    return {
        "progress": progress,
        "areas": area_rows,
        "ranked": ranked,
        "not_inspected": not_inspected,
        "statuses": statuses,
    }


def _area_key(code: str) -> tuple[str, int]:
    digits = "".join(ch for ch in code if ch.isdigit())
    return code.rstrip("0123456789"), int(digits or 0)


# =========================================================================================
# The list of units beside the charts
# =========================================================================================
class UnitListModel(QAbstractListModel):
    """Units behind the clicked bar: {"id": inspection id, "label": text shown}."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, str]] = []

    def set_units(self, rows: list[dict[str, str]]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self.endResetModel()

    def ids(self) -> list[str]:
        return [r["id"] for r in self._rows]

    def labels(self) -> list[str]:
        return [r["label"] for r in self._rows]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row["label"]
        if role == IdRole:
            return row["id"]
        return None


T_PICK = "Xem đơn vị của (chọn bằng phím ↑/↓):"
T_PICK_NONE = "— chọn cột hoặc phần biểu đồ —"
T_BAR = "{series} — {month}: {count}"


def bar_choices(figures: dict[str, Any], tab: str) -> list[tuple[str, tuple[Any, ...]]]:
    """The bars or slices of one chart as (text, what to pick): the keyboard's way to the
    units behind them (clicking a bar needs the mouse)."""
    if tab == "progress":
        series = (("scheduled", T_SCHEDULED), ("visited", T_VISITED), ("concluded", T_CONCLUDED))
        return [
            (T_BAR.format(series=label, month=r["label"], count=len(r[key])), (key, label, n))
            for n, r in enumerate(figures.get("progress", []))
            for key, label in series
        ]
    if tab == "areas":
        return [(f"{a['code']} {a['name']}", (n,)) for n, a in enumerate(figures.get("areas", []))]
    if tab == "rank":
        return [(r["unit"], (n,)) for n, r in enumerate(figures.get("ranked", [])[:RANK_LIMIT])]
    return [(f"{s['label']}: {s['count']}", (s["status"],)) for s in figures.get("statuses", [])]


def rank_label(row: dict[str, Any]) -> str:
    """A ranked unit's line on the chart's axis: its rank, or "tạm tính, đã ghi nhận n/m"."""
    level = UnitLevel(row["level"]).label if row["level"] in set(UnitLevel) else ""
    if scoring.is_provisional(row):  # partly recorded: no rank, what is recorded
        # What matters first: the axis cuts long labels at the end.
        parts = [T_PROVISIONAL, T_RECORDED.format(**row), level]
    else:
        parts = [f"hạng {row['final_rank']}" if row.get("final_rank") else "", level]
    detail = " · ".join(p for p in parts if p)
    return f"{row['unit']} ({detail})" if detail else str(row["unit"])
