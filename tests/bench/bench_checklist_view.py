"""Opening a 1,000-item checklist in the view: the app's model and filter proxy vs a bare
QStandardItemModel holding the same rows, each in an identical QTableView rendered offscreen."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from db import Store
from desktop.services.demo import build_demo
from tests.bench.harness import Outcome, benchmark, best_of

ITEMS = 1000


def _rows() -> list[dict[str, Any]]:
    """1,000 checklist rows: the demo's recorded inspection repeated with fresh ids/codes."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite")
        try:
            build_demo(store)
            inspection = store.planning.inspections()[0]["id"]
            source = store.findings.inspection_items(inspection)
        finally:
            store.close()
    rows = []
    for n in range(ITEMS):
        row = dict(source[n % len(source)])
        row["item_id"] = f"{row['item_id']}-{n}"
        row["code"] = f"{row['code']}.{n // len(source)}"
        rows.append(row)
    return rows


def _view() -> Any:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QTableView

    view = QTableView()
    view.resize(1000, 700)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.show()
    return view


@benchmark
def checklist_view() -> Outcome:
    """Target (issue 3): ≤ 2× a QStandardItemModel with the same rows in the same view."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication

    from desktop.ui.checklist_model import ChecklistFilterProxy, ChecklistTableModel

    app = QApplication.instance() or QApplication([])
    rows = _rows()
    ours_view, bare_view = _view(), _view()
    app.processEvents()

    def ours() -> None:
        model = ChecklistTableModel()
        proxy = ChecklistFilterProxy()
        proxy.setSourceModel(model)
        model.set_rows(rows)
        ours_view.setModel(proxy)
        ours_view.viewport().grab()
        ours_view.setModel(None)

    def baseline() -> None:
        model = QStandardItemModel(0, 6)
        for r in rows:
            model.appendRow(
                [
                    QStandardItem(r["code"]),
                    QStandardItem(r["text"]),
                    QStandardItem(r["result"] or "—"),
                    QStandardItem("" if r["score"] is None else f"{r['score']:g}"),
                    QStandardItem(r.get("self_result") or ""),
                    QStandardItem(r.get("note") or ""),
                ]
            )
        bare_view.setModel(model)
        bare_view.viewport().grab()
        bare_view.setModel(None)

    measured = best_of(ours, repeat=5)
    base = best_of(baseline, repeat=5)
    ours_view.close()
    bare_view.close()
    return Outcome("checklist view (open)", measured, base, 2.0, f"{ITEMS} items, 6 columns")
