"""The Qt binding keeps Python's reference counts straight through our model overrides.

PySide6 6.12.0 drops a reference to None each time C++ calls a Python data() that returns
None (every role a model does not answer). Under Python 3.11 None is an ordinary object: after
a few hundred thousand calls — a morning of browsing — its count reaches zero and the program
aborts with "deallocating None". pyproject.toml excludes that release; this test fails on any
binding that does it again.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from db import Store
from desktop.ui.checklist_model import ChecklistFilterProxy, ChecklistTableModel
from desktop.ui.models import InspectionTreeModel
from tests.ui.conftest import inspection_id

pytestmark = pytest.mark.gui

CALLS = 2000


def _none_refs_lost(call: Any) -> int:
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def test_unanswered_roles_do_not_leak_none(qtbot: Any, demo_store: Store) -> None:
    model = ChecklistTableModel()
    model.set_rows(demo_store.findings.inspection_items(inspection_id(demo_store, "Sở Y tế")))
    proxy = ChecklistFilterProxy()
    proxy.setSourceModel(model)
    cell = proxy.index(0, ChecklistTableModel.COL_TEXT)  # through C++: proxy → our data()
    unanswered = int(Qt.ItemDataRole.CheckStateRole)
    assert cell.data(unanswered) is None
    assert _none_refs_lost(lambda: cell.data(unanswered)) < CALLS // 10

    tree = InspectionTreeModel()
    tree.set_inspections(demo_store.planning.inspections())
    tree_proxy = QSortFilterProxyModel()
    tree_proxy.setSourceModel(tree)
    month = tree_proxy.index(0, 0, QModelIndex())
    assert _none_refs_lost(lambda: month.data(unanswered)) < CALLS // 10
    assert (
        _none_refs_lost(lambda: tree_proxy.headerData(9, Qt.Orientation.Horizontal)) < CALLS // 10
    )
