"""A realistic demo database: the Sóc Trăng 2021 inspection schedule with findings recorded."""

from __future__ import annotations

import datetime as dt
import random

from db import Store
from desktop.domain import JudgingType, Result, Role, UnitLevel
from desktop.services import findings
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan

# Lịch kiểm tra CCHC năm 2021, kèm Kế hoạch số 21/KH-UBND ngày 02/02/2021 của UBND tỉnh
# Sóc Trăng (../shared/seeds); each district visit includes one commune.
SOC_TRANG_2021 = [
    ("Sở Y tế", UnitLevel.SO, 6, None),
    ("Sở Văn hóa, Thể thao và Du lịch", UnitLevel.SO, 6, None),
    ("Thanh tra tỉnh", UnitLevel.SO, 6, None),
    ("Sở Khoa học và Công nghệ", UnitLevel.SO, 7, None),
    ("Sở Nông nghiệp và Phát triển nông thôn", UnitLevel.SO, 7, None),
    ("UBND thành phố Sóc Trăng", UnitLevel.HUYEN, 7, None),
    ("UBND Phường 5", UnitLevel.XA, 7, "UBND thành phố Sóc Trăng"),
    ("UBND thị xã Ngã Năm", UnitLevel.HUYEN, 7, None),
    ("UBND Phường 1", UnitLevel.XA, 7, "UBND thị xã Ngã Năm"),
    ("UBND huyện Mỹ Tú", UnitLevel.HUYEN, 8, None),
    ("UBND thị trấn Huỳnh Hữu Nghĩa", UnitLevel.XA, 8, "UBND huyện Mỹ Tú"),
    ("UBND huyện Trần Đề", UnitLevel.HUYEN, 8, None),
    ("UBND xã Đại Ân 2", UnitLevel.XA, 8, "UBND huyện Trần Đề"),
    ("UBND huyện Thạnh Trị", UnitLevel.HUYEN, 8, None),
    ("UBND thị trấn Phú Lộc", UnitLevel.XA, 8, "UBND huyện Thạnh Trị"),
]

DELEGATION = [
    ("Trần Văn Thắng", Role.TRUONG_DOAN, "Phó Giám đốc", "Sở Nội vụ", ["A1", "A4", "A5"]),
    ("Lâm Thị Ngọc Hân", Role.THANH_VIEN, "Trưởng phòng", "Văn phòng UBND tỉnh", ["A3"]),
    ("Nguyễn Hoàng Phúc", Role.THANH_VIEN, "Phó Trưởng phòng", "Sở Tư pháp", ["A2", "A3"]),
    ("Thạch Thị Sô Phia", Role.THANH_VIEN, "Chuyên viên chính", "Sở Tài chính", ["A6"]),
    ("Lý Minh Đức", Role.THANH_VIEN, "Trưởng phòng", "Sở Thông tin và Truyền thông", ["A7"]),
    ("Đặng Quốc Việt", Role.THANH_VIEN, "Phó Trưởng phòng", "Sở Khoa học và Công nghệ", ["A7"]),
    ("Phan Thị Mỹ Duyên", Role.THU_KY, "Chuyên viên", "Sở Nội vụ", ["A8"]),
]

NOTES_OK = [
    "Hồ sơ đầy đủ, ban hành đúng thời hạn.",
    "Đã niêm yết công khai tại Bộ phận Một cửa.",
    "Có kế hoạch và báo cáo định kỳ đúng hạn.",
]
NOTES_BAD = [
    "Chưa ban hành kế hoạch, đơn vị cho biết đang dự thảo.",
    "Kiểm tra ngẫu nhiên 10 hồ sơ: 2 hồ sơ trễ hạn nhưng không có phiếu xin lỗi.",
    "Niêm yết thủ tục hành chính chưa cập nhật theo quyết định công bố mới.",
    "Báo cáo quý gửi chậm so với quy định.",
]


def sample_plan() -> PlanSpec:
    """The Sóc Trăng 2021 plan as a specification."""
    return PlanSpec(
        number="21/KH-UBND",
        year=2021,
        issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
        issued_on=dt.date(2021, 2, 2),
        period_from=dt.date(2021, 1, 1),
        period_to=dt.date(2021, 12, 31),
        province="Sóc Trăng",
        title="Kế hoạch kiểm tra công tác cải cách hành chính năm 2021",
        units=[
            UnitSpec(name, level, month, parent) for name, level, month, parent in SOC_TRANG_2021
        ],
        members=[MemberSpec(n, r, p, a, areas) for n, r, p, a, areas in DELEGATION],
    )


def build_demo(store: Store, seed: int = 2021) -> str:
    """Create the demo plan (once) and record findings for the June visits."""
    for plan in store.plans():
        if plan["number"] == "21/KH-UBND" and plan["year"] == 2021:
            return str(plan["id"])
    rng = random.Random(seed)
    plan_id = create_plan(store, sample_plan())
    june = [i for i in store.inspections(plan_id) if i["month"] == 6]
    with store.transaction():
        for n, inspection in enumerate(june):
            items = store.inspection_items(inspection["id"])
            # The first visit complete, the others half-way, as on a real campaign.
            share = 1.0 if n == 0 else 0.5
            for item in items[: int(len(items) * share)]:
                if item["type"] == JudgingType.TEXT:
                    findings.record(
                        store, inspection["id"], item["code"], note=rng.choice(NOTES_OK)
                    )
                    continue
                ok = rng.random() < 0.8
                result = Result.DAT if ok else rng.choice([Result.KHONG_DAT, Result.MOT_PHAN])
                score = item["max_score"] if ok else round(item["max_score"] * 0.5 * 4) / 4
                if result == Result.KHONG_DAT:
                    score = 0.0
                findings.record(
                    store,
                    inspection["id"],
                    item["code"],
                    result=result,
                    score=score,
                    note=rng.choice(NOTES_OK if ok else NOTES_BAD),
                    recorded_by="Trần Văn Thắng",
                )
    return plan_id
