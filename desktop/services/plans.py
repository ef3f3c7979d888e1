"""Creating a plan with its units, one inspection per unit, and its delegation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from db import Store
from desktop.domain import InspectionKind, InspectionMode, Role, UnitLevel
from desktop.services.checklists import ensure_checklist


@dataclass
class UnitSpec:
    """One row of the schedule: a unit and when and how it is inspected."""

    name: str
    level: UnitLevel
    month: int | None
    parent: str | None = None  # name of another unit of the plan, visited together
    kind: InspectionKind = InspectionKind.THEO_KE_HOACH
    mode: InspectionMode = InspectionMode.TRUC_TIEP


@dataclass
class MemberSpec:
    full_name: str
    role: Role
    position_title: str = ""
    agency: str = ""
    areas: list[str] = field(default_factory=list)


@dataclass
class PlanSpec:
    number: str
    year: int
    issuer: str
    issued_on: dt.date | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    province: str = ""
    title: str = ""
    units: list[UnitSpec] = field(default_factory=list)
    members: list[MemberSpec] = field(default_factory=list)


def create_plan(store: Store, spec: PlanSpec) -> str:
    """Write the whole plan in one transaction and return its id.

    A unit whose `parent` names another unit of the plan is inspected during that unit's
    visit: its inspection gets the parent's inspection as `parent_id`.
    """
    with store.transaction():
        version_id = ensure_checklist(store)
        plan_id = store.planning.create_plan(
            {
                "number": spec.number,
                "year": spec.year,
                "issuer": spec.issuer,
                "issued_on": spec.issued_on.isoformat() if spec.issued_on else None,
                "period_from": spec.period_from.isoformat() if spec.period_from else None,
                "period_to": spec.period_to.isoformat() if spec.period_to else None,
                "province": spec.province,
                "title": spec.title or f"Kế hoạch kiểm tra công tác CCHC năm {spec.year}",
            }
        )
        unit_ids: dict[str, str] = {}
        inspection_ids: dict[str, str] = {}
        # Parents first, so a child can point at its parent's unit and inspection.
        ordered = sorted(enumerate(spec.units), key=lambda p: (p[1].parent is not None, p[0]))
        for position, unit in ordered:
            parent_unit = unit_ids.get(unit.parent) if unit.parent else None
            unit_id = store.planning.ensure_unit(unit.name, unit.level.value, parent_unit)
            unit_ids.setdefault(unit.name, unit_id)
            inspection_id = store.planning.create_inspection(
                {
                    "plan_id": plan_id,
                    "unit_id": unit_id,
                    "unit_name": unit.name,
                    "unit_level": unit.level.value,
                    "parent_id": inspection_ids.get(unit.parent) if unit.parent else None,
                    "month": unit.month,
                    "kind": unit.kind.value,
                    "mode": unit.mode.value,
                    "checklist_version_id": version_id,
                    "position": position,
                }
            )
            # A unit listed twice (by report, then visited): its children join the first.
            inspection_ids.setdefault(unit.name, inspection_id)
        for position, member in enumerate(spec.members):
            store.planning.add_member(
                {
                    "plan_id": plan_id,
                    "full_name": member.full_name,
                    "position_title": member.position_title,
                    "agency": member.agency,
                    "role": member.role.value,
                    "areas": ",".join(member.areas),
                    "position": position,
                }
            )
        store.core.append_audit("insert", "plans", plan_id, None, {"number": spec.number})
    return plan_id
