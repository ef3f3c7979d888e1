"""A small plan built for the report tests: every Vietnamese diacritic, a very long note."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from db import Store
from desktop.domain import Result, Role, UnitLevel
from desktop.services import findings
from desktop.services.inspections import set_visit
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan

DIACRITICS_UNIT = "UBND xã Ấp Đông Ỷ Ơ Ữ Ặ Ễ Ộ Ờ Ự Ỵ ỹ ẫ ẩ ở ỡ ợ ừ ử ữ ự ỳ ỷ"
LONG_NOTE = " ".join(f"nhậnxét{n:03d} hồ sơ lưu trữ chưa đầy đủ" for n in range(60))[:2000]


@dataclass
class Sample:
    plan: str
    unit: str  # inspection of the diacritics unit, with findings
    empty: str  # inspection with nothing recorded yet


@pytest.fixture
def sample(store: Store) -> Sample:
    plan = create_plan(
        store,
        PlanSpec(
            number="21/KH-UBND",
            year=2021,
            issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
            issued_on=dt.date(2021, 2, 2),
            province="Sóc Trăng",
            units=[
                UnitSpec(DIACRITICS_UNIT, UnitLevel.XA, 6),
                UnitSpec("Sở Y tế", UnitLevel.SO, 7),
            ],
            members=[
                MemberSpec("Trần Văn Thắng", Role.TRUONG_DOAN, "Phó Giám đốc", "Sở Nội vụ"),
                MemberSpec("Phan Thị Mỹ Duyên", Role.THU_KY, "Chuyên viên", "Sở Nội vụ"),
            ],
        ),
    )
    ids = {i["unit"]: i["id"] for i in store.planning.inspections(plan)}
    unit = ids[DIACRITICS_UNIT]
    items = store.findings.inspection_items(unit)
    scored = [i for i in items if i["max_score"] > 0]
    findings.record(
        store, unit, scored[0]["code"], result=Result.DAT, note="Kế hoạch ban hành kịp thời."
    )
    findings.record(store, unit, scored[1]["code"], result=Result.KHONG_DAT, note=LONG_NOTE)
    findings.record(store, unit, scored[2]["code"], result=Result.MOT_PHAN, score=0.5)
    findings.record(store, unit, scored[3]["code"], result=Result.DAT)
    # A visit before the documents' date (05/01/2021): a derived recommendation is due 30 days
    # after the visit (27/01/2021), not after the document (README: visit date + 30 days).
    set_visit(store, unit, dt.date(2020, 12, 28))
    return Sample(plan, unit, ids["Sở Y tế"])
