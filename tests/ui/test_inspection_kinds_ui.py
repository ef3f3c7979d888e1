"""Issue 17: the window shows a visit's kind; surprise visits without a month are "Đột xuất"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.services import plan_workbook as pw
from desktop.ui.models import IdRole, InspectionTreeModel
from tests.test_plan_workbook import MEMBERS, PLAN_2021, write_plan

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]

UNITS = [
    [1, "Sở Tư pháp", "Sở/ngành", None, 3, "Qua báo cáo"],
    [2, "Sở Tư pháp", "Sở/ngành", None, None, "Đột xuất"],
    [3, "Sở Y tế", "Sở/ngành", None, 3, None],
]


@pytest.fixture
def kinds_store(tmp_path: Path, store: Store) -> Store:
    pw.import_plan(store, write_plan(tmp_path / "k.xlsx", PLAN_2021, UNITS, MEMBERS))
    return store


def test_navigator_groups_surprise_visits_and_names_kinds(
    qtbot: Any, qtmodeltester: Any, kinds_store: Store
) -> None:
    model = InspectionTreeModel()
    model.set_inspections(kinds_store.planning.inspections())
    qtmodeltester.check(model)
    groups = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert groups == ["Tháng 3", "Đột xuất"]
    march = [model.index(r, 0, model.index(0, 0)).data() for r in range(2)]
    assert march == ["Sở Tư pháp (Qua báo cáo)", "Sở Y tế"]
    assert model.index(0, 0, model.index(1, 0)).data() == "Sở Tư pháp (Đột xuất)"


def test_header_names_the_kind(qtbot: Any, kinds_store: Store) -> None:
    from desktop.ui.main_window import MainWindow
    from desktop.ui.store_adapter import StoreAdapter

    window = MainWindow(StoreAdapter(kinds_store))
    qtbot.addWidget(window)
    surprise = next(i for i in kinds_store.planning.inspections() if i["kind"] == "dot-xuat")
    window.select_inspection(surprise["id"])
    assert "Đột xuất" in window.pane.header_label.text()
    plain = next(i for i in kinds_store.planning.inspections() if i["unit"] == "Sở Y tế")
    window.select_inspection(plain["id"])
    assert "Theo kế hoạch" in window.pane.header_label.text()


def test_navigator_holds_a_tree_of_any_depth(
    qtbot: Any, qtmodeltester: Any, tmp_path: Path, store: Store
) -> None:
    from tests.test_unit_tree import HANOI_2021, TREE

    pw.import_plan(store, write_plan(tmp_path / "tree.xlsx", HANOI_2021, TREE, MEMBERS))
    model = InspectionTreeModel()
    # Children listed before their parents must still find them.
    model.set_inspections(list(reversed(store.planning.inspections())))
    qtmodeltester.check(model)
    so = model.index_for(
        next(i["id"] for i in store.planning.inspections() if i["unit"] == "Sở Tài chính")
    )
    chi_cuc = model.index(0, 0, so)
    assert chi_cuc.data() == "Chi cục Tài chính doanh nghiệp"
    assert model.index(0, 0, chi_cuc).data() == "Phòng Hành chính - Tổng hợp"
    trip = model.visit_of(model.index(0, 0, chi_cuc).data(IdRole))
    assert [r["unit"] for r in trip] == [
        "Sở Tài chính",
        "Chi cục Tài chính doanh nghiệp",
        "Phòng Hành chính - Tổng hợp",
    ]
