"""Plans: creating one with its units, one inspection per row of the schedule, and its
delegation; amending it from a newer workbook; adding a visit on site (issue 17)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from db import Store
from desktop.domain import (
    InspectionKind,
    InspectionMode,
    Role,
    UnitLevel,
    fold,
    kind_and_mode,
    level_name,
    nfc,
)
from desktop.services.checklists import checklist_for
from desktop.services.errors import UserError

MSG_NO_PLAN = "Không có kế hoạch {id}"
MSG_NO_INSPECTION = "Không có cuộc kiểm tra {id}"
MSG_BAD_LEVEL = (
    "Cấp đơn vị không hợp lệ: “{value}” (ví dụ Sở/ngành, Chi cục, Phòng/Ban, Bộ phận Một cửa, "
    "Quận, Phường, Đặc khu)"
)
MSG_BAD_KIND = (
    "Loại kiểm tra không hợp lệ: “{value}” (theo-ke-hoach, dot-xuat, qua-bao-cao, tai-kiem-tra)"
)
MSG_NO_PARENT = "Kế hoạch không có đơn vị “{parent}” để làm đơn vị trực thuộc"
MSG_EMPTY_NAME = "Chưa nhập tên đơn vị"
MSG_DUPLICATE = "Kế hoạch đã có cuộc kiểm tra “{kind}” tại {unit}"
MSG_REINSPECT_KIND = "Chỉ cuộc tái kiểm tra (--kind tai-kiem-tra) mới ghi “tái kiểm tra của”"
MSG_REINSPECT_SELF = "Một cuộc kiểm tra không thể là tái kiểm tra của chính nó"


class RemovalRefused(UserError):
    """Amending a plan would remove visits or members: `lines` lists them; `blocked` when
    one of them has recorded work (never removed, whatever the user says)."""

    def __init__(self, message: str, lines: list[str], blocked: bool) -> None:
        super().__init__(message)
        self.lines = lines
        self.blocked = blocked


@dataclass
class UnitSpec:
    """One row of the schedule: a unit and when and how it is inspected."""

    name: str
    level: UnitLevel
    month: int | None
    parent: str | None = None  # name of another unit of the plan, visited together
    kind: InspectionKind = InspectionKind.THEO_KE_HOACH
    mode: InspectionMode = InspectionMode.TRUC_TIEP
    level_name: str = ""  # the level as the plan wrote it ("Phường"); "" = the level's label
    visit_date: dt.date | None = None
    reinspects: str | None = None  # id of the earlier inspection a re-inspection re-checks
    team: str = ""  # the Tổ kiểm tra assigned
    source_row: int | None = field(default=None, compare=False)  # the workbook row, if any


@dataclass
class MemberSpec:
    full_name: str
    role: Role
    position_title: str = ""
    agency: str = ""
    areas: list[str] = field(default_factory=list)
    team: str = ""  # Tổ kiểm tra
    units: list[str] = field(default_factory=list)  # names of the units assigned
    source_row: int | None = field(default=None, compare=False)  # the workbook row, if any


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


def _plan_fields(spec: PlanSpec) -> dict[str, Any]:
    return {
        "number": spec.number,
        "year": spec.year,
        "issuer": spec.issuer,
        "issued_on": spec.issued_on.isoformat() if spec.issued_on else None,
        "period_from": spec.period_from.isoformat() if spec.period_from else None,
        "period_to": spec.period_to.isoformat() if spec.period_to else None,
        "province": spec.province,
        "title": spec.title or f"Kế hoạch kiểm tra công tác CCHC năm {spec.year}",
    }


def _member_fields(member: MemberSpec) -> dict[str, Any]:
    return {
        "full_name": member.full_name,
        "position_title": member.position_title,
        "agency": member.agency,
        "role": member.role.value,
        "areas": ",".join(member.areas),
        "team": member.team,
        "units": "\n".join(member.units),
    }


def _visit_fields(unit: UnitSpec) -> dict[str, Any]:
    """The columns of an inspection the schedule decides (kept apart from its identity)."""
    month = unit.month or (unit.visit_date.month if unit.visit_date else None)
    return {
        "month": month,
        "mode": unit.mode.value,
        "level_name": unit.level_name,
        "team": unit.team,
        "reinspects_id": unit.reinspects,
    }


def schedule_order(units: list[UnitSpec]) -> list[tuple[int, UnitSpec]]:
    """(position, unit), every parent before its children at any depth; a row whose parent
    is not in the list (or a cycle) comes last, unchanged."""
    names = {fold(u.name) for u in units}
    placed: set[str] = set()
    out: list[tuple[int, UnitSpec]] = []
    pending = list(enumerate(units))
    while pending:
        ready = [
            (n, u)
            for n, u in pending
            if not u.parent or fold(u.parent) in placed or fold(u.parent) not in names
        ]
        if not ready:
            out.extend(pending)
            break
        out.extend(ready)
        placed.update(fold(u.name) for _, u in ready)
        pending = [p for p in pending if p not in ready]
    return out


def _insert_visit(
    store: Store,
    plan_id: str,
    unit: UnitSpec,
    position: int,
    parent: tuple[str, str] | None,
    era: tuple[int, dt.date | None],
) -> tuple[str, str]:
    """Write a unit (reused when known) and its inspection; (unit id, inspection id).

    The inspection keeps the unit's name and level as they are today (`unit_name`,
    `unit_level`, `level_name`): a unit renamed or merged later still reads as it was."""
    parent_unit, parent_inspection = parent if parent else (None, None)
    # The checklist of the plan's era and the unit's level (desktop.services.checklists).
    version_id = checklist_for(store, era[0], era[1], unit.level.value)
    unit_id = store.planning.ensure_unit(unit.name, unit.level.value, parent_unit, unit.level_name)
    inspection_id = store.planning.create_inspection(
        {
            "plan_id": plan_id,
            "unit_id": unit_id,
            "unit_name": unit.name,
            "unit_level": unit.level.value,
            "parent_id": parent_inspection,
            "kind": unit.kind.value,
            "visit_date": unit.visit_date.isoformat() if unit.visit_date else None,
            "checklist_version_id": version_id,
            "position": position,
            **_visit_fields(unit),
        }
    )
    return unit_id, inspection_id


def create_plan(store: Store, spec: PlanSpec) -> str:
    """Write the whole plan in one transaction and return its id.

    A unit whose `parent` names another unit of the plan is inspected during that unit's
    visit: its inspection gets the parent's inspection as `parent_id` (at any depth).
    """
    era = (spec.year, spec.issued_on)
    with store.transaction():
        plan_id = store.planning.create_plan(_plan_fields(spec))
        visits: dict[str, tuple[str, str]] = {}  # folded name → (unit id, inspection id)
        for position, unit in schedule_order(spec.units):
            parent = visits.get(fold(unit.parent)) if unit.parent else None
            ids = _insert_visit(store, plan_id, unit, position, parent, era)
            # A unit listed twice (by report, then visited): its children join the first.
            visits.setdefault(fold(unit.name), ids)
        for position, member in enumerate(spec.members):
            store.planning.add_member(
                {"plan_id": plan_id, "position": position, **_member_fields(member)}
            )
        store.core.append_audit("insert", "plans", plan_id, None, {"number": spec.number})
    return plan_id


# -- amending a plan ---------------------------------------------------------------------------


def _visit_key(name: str, kind: str) -> tuple[str, str]:
    return fold(nfc(name)).strip(), kind


def update_plan(
    store: Store, plan_id: str, spec: PlanSpec, *, allow_remove: bool = False
) -> dict[str, Any]:
    """Amend a plan from a newer version of its workbook, in one transaction.

    Adds units, visits and members; changes months, dates, forms, parents, teams; never
    touches what was recorded. Visits and members the workbook no longer lists are removed
    only with `allow_remove`, and a visit with recorded work never is: otherwise the call is
    refused with the list. Returns what was added, changed and removed (names)."""
    plan = store.planning.plan(plan_id)
    if plan is None:
        raise UserError(MSG_NO_PLAN.format(id=plan_id))
    current = store.planning.inspections(plan_id)
    by_key = {
        _visit_key(i["unit"], kind_and_mode(i["kind"], i["mode"])[0].value): i for i in current
    }
    wanted = {_visit_key(u.name, u.kind.value) for u in spec.units}
    gone = [i for k, i in by_key.items() if k not in wanted]
    members = store.planning.members(plan_id)
    member_names = {fold(m.full_name).strip() for m in spec.members}
    gone_members = [m for m in members if fold(m["full_name"]).strip() not in member_names]
    _check_removals(store, plan, gone, gone_members, allow_remove)

    added: list[str] = []
    changed: list[str] = []
    era = (spec.year, spec.issued_on)
    with store.transaction():
        store.core.update_row("plans", plan_id, _plan_fields(spec))
        visits: dict[str, tuple[str, str]] = {}
        for i in current:
            visits.setdefault(fold(i["unit"]).strip(), (i["unit_id"], i["id"]))
        next_position = max((i["position"] for i in current), default=-1) + 1
        for position, unit in schedule_order(spec.units):
            parent = visits.get(fold(unit.parent).strip()) if unit.parent else None
            existing = by_key.get(_visit_key(unit.name, unit.kind.value))
            if existing is None:
                ids = _insert_visit(store, plan_id, unit, next_position + position, parent, era)
                visits.setdefault(fold(unit.name).strip(), ids)
                added.append(unit.name)
                continue
            fields = _visit_fields(unit)
            fields["parent_id"] = parent[1] if parent else None
            if unit.visit_date:  # a blank date in the file never erases one recorded here
                fields["visit_date"] = unit.visit_date.isoformat()
            if not unit.reinspects:  # nor a link made on site (inspection add)
                del fields["reinspects_id"]
            row = store.core.get_row("inspections", existing["id"])
            assert row is not None
            if any(row.get(k) != v for k, v in fields.items()):
                store.core.update_row("inspections", existing["id"], fields, current=row)
                changed.append(unit.name)
        for insp in gone:
            store.core.delete_row("inspections", insp["id"])
        by_name = {fold(m["full_name"]).strip(): m for m in members}
        position = max((m["position"] for m in members), default=-1) + 1
        members_added: list[str] = []
        for member in spec.members:
            old = by_name.get(fold(member.full_name).strip())
            if old is None:
                store.planning.add_member(
                    {"plan_id": plan_id, "position": position, **_member_fields(member)}
                )
                position += 1
                members_added.append(member.full_name)
            else:
                store.core.update_row("members", old["id"], _member_fields(member))
        for m in gone_members:
            store.core.delete_row("members", m["id"])
        store.core.append_audit(
            "update", "plans", plan_id, None, {"number": spec.number, "added": added}
        )
    return {
        "id": plan_id,
        "number": spec.number,
        "year": spec.year,
        "added": added,
        "changed": changed,
        "removed": [i["unit"] for i in gone],
        "members_added": members_added,
        "members_removed": [m["full_name"] for m in gone_members],
    }


def _check_removals(
    store: Store,
    plan: dict[str, Any],
    gone: list[dict[str, Any]],
    gone_members: list[dict[str, Any]],
    allow_remove: bool,
) -> None:
    if not gone and not gone_members:
        return
    lines = [
        f"  - {i['unit']} ({kind_and_mode(i['kind'], i['mode'])[0].label})"
        + (" — đã có kết quả ghi nhận, không xóa được" if store.planning.has_work(i["id"]) else "")
        for i in gone
    ] + [f"  - Thành viên đoàn: {m['full_name']}" for m in gone_members]
    kept = [i for i in gone if store.planning.has_work(i["id"])]
    head = f"Kế hoạch {plan['number']} năm {plan['year']}: tệp không còn {len(lines)} mục đang có"
    if kept:
        raise RemovalRefused(
            f"{head}; không cập nhật vì không bao giờ xóa kết quả đã ghi nhận "
            "(giữ các dòng này trong tệp):\n" + "\n".join(lines),
            lines,
            True,
        )
    if not allow_remove:
        raise RemovalRefused(
            f"{head}; không cập nhật. Thêm --allow-remove nếu muốn xóa:\n" + "\n".join(lines),
            lines,
            False,
        )


# -- a visit added on site ---------------------------------------------------------------------


def parse_kind(text: str) -> InspectionKind:
    """A kind from its code or its label; UserError otherwise."""
    try:
        return InspectionKind.from_label(text)
    except ValueError as exc:
        raise UserError(MSG_BAD_KIND.format(value=text)) from exc


def add_inspection(
    store: Store,
    plan_id: str,
    unit: str,
    level: str,
    kind: InspectionKind | str,
    *,
    parent: str | None = None,
    visit_date: dt.date | None = None,
    reinspects: str | None = None,
    mode: InspectionMode = InspectionMode.TRUC_TIEP,
) -> dict[str, Any]:
    """Add one visit to a plan (a unit picked at random on the day, a re-inspection); the
    inspection row. `level` is the word users write ("Phường", "Bộ phận Một cửa")."""
    name = nfc(unit).strip()
    if not name:
        raise UserError(MSG_EMPTY_NAME)
    if store.planning.plan(plan_id) is None:
        raise UserError(MSG_NO_PLAN.format(id=plan_id))
    try:
        named = level_name(level)
    except ValueError as exc:
        raise UserError(MSG_BAD_LEVEL.format(value=level)) from exc
    kind = kind if isinstance(kind, InspectionKind) else parse_kind(kind)
    current = store.planning.inspections(plan_id)
    head = None
    if parent:
        head = next((i for i in current if fold(i["unit"]) == fold(nfc(parent))), None)
        if head is None:
            raise UserError(MSG_NO_PARENT.format(parent=parent))
    if any(_visit_key(i["unit"], i["kind"]) == _visit_key(name, kind.value) for i in current):
        raise UserError(MSG_DUPLICATE.format(kind=kind.label, unit=name))
    if reinspects:
        check_reinspects(store, kind, reinspects)
    parent_level = UnitLevel(head["level"]) if head else None
    spec = UnitSpec(
        name,
        named.checklist_level(parent_level),
        visit_date.month if visit_date else None,
        parent=head["unit"] if head else None,
        kind=kind,
        mode=mode,
        level_name=named.label,
        visit_date=visit_date,
        reinspects=reinspects,
    )
    plan = store.planning.plan(plan_id) or {}
    issued = dt.date.fromisoformat(plan["issued_on"]) if plan.get("issued_on") else None
    with store.transaction():
        position = max((i["position"] for i in current), default=-1) + 1
        ids = (head["unit_id"], head["id"]) if head else None
        era = (int(plan["year"]), issued)
        _, inspection_id = _insert_visit(store, plan_id, spec, position, ids, era)
        store.core.append_audit(
            "insert", "inspections", inspection_id, None, {"unit": name, "kind": kind.value}
        )
    row = store.planning.inspection(inspection_id)
    assert row is not None
    return row


def check_reinspects(store: Store, kind: InspectionKind, earlier_id: str) -> None:
    """A re-inspection names an existing earlier inspection; UserError otherwise."""
    if kind != InspectionKind.TAI_KIEM_TRA:
        raise UserError(MSG_REINSPECT_KIND)
    if store.planning.inspection(earlier_id) is None:
        raise UserError(MSG_NO_INSPECTION.format(id=earlier_id))
