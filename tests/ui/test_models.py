"""The item models of the recording screen pass Qt's model tester and keep their promises."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from db import Store
from desktop.ui.checklist_model import ChecklistFilterProxy, ChecklistTableModel
from desktop.ui.models import AreaListModel, InspectionTreeModel, ObjectRole, SortRole
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize native windows; says so once per window.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


def test_tree_model(qtbot: Any, qtmodeltester: Any, demo_store: Store) -> None:
    model = InspectionTreeModel()
    model.set_inspections(demo_store.planning.inspections())
    qtmodeltester.check(model)
    months = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert months == ["Tháng 6", "Tháng 7", "Tháng 8"]
    district = model.index_for(inspection_id(demo_store, "UBND huyện Mỹ Tú"))
    assert model.rowCount(district) == 1
    assert model.index(0, 0, district).data() == "UBND thị trấn Huỳnh Hữu Nghĩa"
    assert model.parent(model.index(0, 0, district)) == district
    first = model.index(0, 0, model.index(0, 0))
    assert first.data() == "Sở Y tế"
    assert first.siblingAtColumn(1).data() == "76/76"
    assert first.siblingAtColumn(2).data() == "Đang kiểm tra"


def test_tree_model_progress_updates_without_reset(qtbot: Any, demo_store: Store) -> None:
    model = InspectionTreeModel()
    model.set_inspections(demo_store.planning.inspections())
    insp = inspection_id(demo_store, "Thanh tra tỉnh")
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.dataChanged):
            model.update_inspection(insp, done=40, status="dang-kiem-tra")
    assert model.index_for(insp).siblingAtColumn(1).data() == "40/76"
    assert model.index(0, 1).data() == "154/228"


def test_table_model_roles(qtbot: Any, qtmodeltester: Any, demo_store: Store) -> None:
    model = ChecklistTableModel()
    model.set_rows(demo_store.findings.inspection_items(inspection_id(demo_store, "Sở Y tế")))
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Mã", "Nội dung", "Kết quả", "Điểm", "Tự đánh giá", "Nhận xét"]
    index = model.index(9, ChecklistTableModel.COL_CODE)
    assert index.data(SortRole) == 9  # checklist order, not text order
    assert index.data(ObjectRole)["code"] == index.data()
    row = model.row_dict(0)
    with qtbot.assertNotEmitted(model.modelReset):
        with qtbot.waitSignal(model.dataChanged) as blocker:
            model.update_item(row["item_id"], {"result": "khong-dat", "score": 0.0})
    assert Qt.ItemDataRole.DisplayRole in blocker.args[2]
    # The judging type's own word (the first item is judged on time or not).
    assert row["type"] == "DATE_ON_TIME"
    assert model.index(0, ChecklistTableModel.COL_RESULT).data() == "Không đúng hạn"


def test_proxy_and_area_models(qtbot: Any, qtmodeltester: Any, demo_store: Store) -> None:
    rows = demo_store.findings.inspection_items(inspection_id(demo_store, "Thanh tra tỉnh"))
    table = ChecklistTableModel()
    table.set_rows(rows)
    proxy = ChecklistFilterProxy()
    proxy.setSourceModel(table)
    qtmodeltester.check(proxy)
    proxy.set_filters(area_code="A3")
    assert proxy.rowCount() == sum(r["area_code"] == "A3" for r in rows) > 0
    proxy.set_filters(area_code=None, my_areas={"A6", "A7"})
    assert proxy.rowCount() == 20
    proxy.set_search("ke hoach")
    assert 0 < proxy.rowCount() < 20
    qtmodeltester.check(proxy)

    areas = AreaListModel()
    areas.set_rows(rows)
    qtmodeltester.check(areas)
    assert areas.index(0).data() == "Tất cả lĩnh vực   38/76"
    a3_total = table.area_progress()["A3"][1]
    assert areas.index(areas.row_of("A3")).data().endswith(f"/{a3_total}")
    with qtbot.assertNotEmitted(areas.modelReset):
        areas.set_progress({**table.area_progress(), "A3": (a3_total, a3_total)})
    assert areas.index(areas.row_of("A3")).data().endswith(f"{a3_total}/{a3_total}")
    areas.set_mine({"A3"}, True)
    assert areas.index(0).data().startswith("Lĩnh vực của tôi (A3)")
    assert areas.index(areas.row_of("A1")).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert areas.rowCount(QModelIndex()) == 9


def test_sorting_by_code_keeps_checklist_order(qtbot: Any, demo_store: Store) -> None:
    # "A1.1.10" comes after "A1.1.9": code order is the checklist's position order, and
    # ascending by code is the source order itself (no pairwise comparisons, see sort()).
    model = ChecklistTableModel()
    proxy = ChecklistFilterProxy()
    proxy.setSourceModel(model)
    rows = demo_store.findings.inspection_items(inspection_id(demo_store, "Sở Y tế"))
    model.set_rows(rows)
    source_codes = [r["code"] for r in rows]

    def shown() -> list[str]:
        return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]

    proxy.sort(ChecklistTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
    assert shown() == source_codes
    proxy.sort(ChecklistTableModel.COL_CODE, Qt.SortOrder.DescendingOrder)
    assert shown() == source_codes[::-1]
    proxy.sort(ChecklistTableModel.COL_RESULT, Qt.SortOrder.AscendingOrder)
    column = ChecklistTableModel.COL_RESULT
    results = [proxy.index(r, column).data(SortRole) for r in range(proxy.rowCount())]
    assert results == sorted(results)
    proxy.sort(ChecklistTableModel.COL_CODE, Qt.SortOrder.AscendingOrder)
    assert shown() == source_codes
    # Filtering afterwards keeps the order; new rows arrive in order too.
    proxy.set_filters(area_code=rows[-1]["area_code"])
    assert shown() == [r["code"] for r in rows if r["area_code"] == rows[-1]["area_code"]]
    proxy.set_filters(area_code=None)
    model.set_rows(list(reversed(rows)))  # whatever the source order, shown as given
    assert shown() == source_codes[::-1]
