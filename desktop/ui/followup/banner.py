"""The earlier-years banner above the checklist: recommendations not verified yet."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Qt,
    Slot,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import format_date
from desktop.services import followup
from desktop.services.errors import UserError

if TYPE_CHECKING:
    from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.followup.register import (
    STATUS_COLOURS,
    T_BANNER,
    T_BANNER_HIDE,
    T_BANNER_LINE,
    T_BANNER_SHOW,
)

T_REINSPECTION = "Tái kiểm tra: đã khắc phục {fixed}/{count} kiến nghị của lần kiểm tra trước"


# =========================================================================================
# The earlier-years banner in the main window
# =========================================================================================
class EarlierBanner(QFrame):
    """ "Kiến nghị chưa khắc phục từ lần kiểm tra trước: N" with an expandable list.

    Hidden when the unit has nothing open from earlier years' plans.
    """

    def __init__(
        self, adapter: StoreAdapter, parent: QWidget | None = None, *, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.today = today
        self.recommendations: list[dict[str, Any]] = []
        self.setObjectName("earlier_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#earlier_banner { background: #fff4ce; border: 1px solid #e0c36a;"
            " border-radius: 3px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        row = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600; color: #7a4d00;")
        self.toggle = QToolButton()
        self.toggle.setText(T_BANNER_SHOW)
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._toggled)
        row.addWidget(self.title, 1)
        row.addWidget(self.toggle)
        layout.addLayout(row)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A long list scrolls inside the banner: the checklist keeps its room.
        self.details_area = QScrollArea()
        self.details_area.setWidgetResizable(True)
        self.details_area.setFrameShape(QFrame.Shape.NoFrame)
        self.details_area.setMaximumHeight(150)
        self.details_area.setStyleSheet("background: transparent;")
        self.details_area.setWidget(self.details)
        self.details_area.setVisible(False)
        layout.addWidget(self.details_area)
        self.setVisible(False)

    @Slot(str)
    def set_inspection(self, inspection_id: str | None) -> None:
        """Show what is still open from this unit's earlier inspections (or hide)."""
        found: list[dict[str, Any]] = []
        reinspected: list[dict[str, Any]] = []
        if inspection_id:
            try:
                # A re-inspection starts from every recommendation of the visit it re-checks,
                # fixed or not (issue 17); any other visit from what is still open.
                reinspected = followup.reinspected(self.adapter.reads, inspection_id, self.today)
                found = reinspected or followup.open_recommendations_from_earlier(
                    self.adapter.reads, inspection_id, self.today
                )
            except UserError:
                found = []
        self.recommendations = found
        if not found:
            self.setVisible(False)
            return
        if reinspected:
            fixed = sum(r["fixed"] for r in reinspected)
            self.title.setText(T_REINSPECTION.format(fixed=fixed, count=len(reinspected)))
            self.toggle.setChecked(True)
        else:
            self.title.setText(T_BANNER.format(count=len(found)))
        from html import escape

        lines = [
            T_BANNER_LINE.format(
                year=r["plan_year"],
                plan=escape(r["plan_number"]),
                number=r["number"],
                text=escape(r["text"]),
                deadline=format_date(r["deadline"]) or "—",
                status=f"<span style='color:{STATUS_COLOURS[r['status']].name()}'>"
                f"{r['status_label']}</span>",
            )
            for r in found
        ]
        self.details.setText(
            "<ul style='margin:0'>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"
        )
        self.setVisible(True)

    def expanded(self) -> bool:
        return self.toggle.isChecked()

    @Slot(bool)
    def _toggled(self, on: bool) -> None:
        self.details_area.setVisible(on)
        self.toggle.setText(T_BANNER_HIDE if on else T_BANNER_SHOW)
