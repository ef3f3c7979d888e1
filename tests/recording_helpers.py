"""A small plan for the on-site recording tests: one department and one commune."""

from __future__ import annotations

from db import Store
from desktop.domain import UnitLevel
from desktop.services.plans import PlanSpec, UnitSpec, create_plan


def small_plan(store: Store) -> tuple[str, str]:
    """Create a plan visiting Sở Y tế and UBND xã Đại Ân 2; return their inspection ids."""
    plan_id = create_plan(
        store,
        PlanSpec(
            number="5/KH-UBND",
            year=2025,
            issuer="Ủy ban nhân dân tỉnh",
            units=[
                UnitSpec("Sở Y tế", UnitLevel.SO, 3),
                UnitSpec("UBND xã Đại Ân 2", UnitLevel.XA, 4),
            ],
        ),
    )
    by_unit = {i["unit"]: i["id"] for i in store.planning.inspections(plan_id)}
    return by_unit["Sở Y tế"], by_unit["UBND xã Đại Ân 2"]


def item_id(store: Store, inspection_id: str, code: str) -> str:
    found = store.findings.item_id_for_code(inspection_id, code)
    assert found is not None, code
    return found
