"""A realistic demo database: the Sóc Trăng 2021 inspection schedule with findings recorded."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from db import Store
from db.store import finding_id
from db.store import new_id as store_new_id
from desktop.domain import JudgingType, Result, Role, UnitLevel, fold
from desktop.services import judging
from desktop.services.conclusions import deadline_after
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


# Plausible observations per content area, for a passed and a not-passed item.
AREA_NOTES: dict[str, tuple[list[str], list[str]]] = {
    "A1": (
        [
            "Kế hoạch CCHC năm 2021 ban hành ngày 15/01/2021, nhiệm vụ có cơ quan chủ trì và "
            "thời hạn hoàn thành.",
            "Báo cáo CCHC quý I và 6 tháng gửi Sở Nội vụ đúng hạn.",
            "Có kế hoạch tuyên truyền CCHC; đăng tin trên trang thông tin điện tử của đơn vị.",
        ],
        [
            "Kế hoạch CCHC năm 2021 ban hành ngày 25/02/2021, chậm so với thời hạn.",
            "Báo cáo CCHC quý I gửi chậm 10 ngày so với quy định.",
            "Chưa ban hành kế hoạch kiểm tra CCHC đối với các đơn vị trực thuộc.",
        ],
    ),
    "A2": (
        [
            "Văn bản quy phạm pháp luật được tham mưu ban hành đúng chương trình.",
            "Có kế hoạch và báo cáo kết quả rà soát, hệ thống hóa văn bản năm 2021.",
        ],
        [
            "2/5 văn bản quy phạm pháp luật tham mưu chậm so với chương trình đã đăng ký.",
            "Chưa ban hành kế hoạch theo dõi tình hình thi hành pháp luật năm 2021.",
        ],
    ),
    "A3": (
        [
            "Kiểm tra ngẫu nhiên 10 hồ sơ: giải quyết đúng hạn, sổ theo dõi ghi đầy đủ.",
            "Thủ tục hành chính niêm yết công khai đầy đủ tại Bộ phận Một cửa, đúng danh mục.",
            "Có hộp thư góp ý và số điện thoại đường dây nóng tại Bộ phận Một cửa.",
        ],
        [
            "Kiểm tra ngẫu nhiên 10 hồ sơ: 2 hồ sơ trễ hạn nhưng không có phiếu xin lỗi.",
            "Niêm yết thủ tục hành chính chưa cập nhật theo quyết định công bố mới.",
            "Chưa tổ chức khảo sát mức độ hài lòng tại Bộ phận Một cửa.",
        ],
    ),
    "A4": (
        [
            "Quyết định quy định chức năng, nhiệm vụ, cơ cấu tổ chức còn hiệu lực, phù hợp.",
            "Số lượng cấp phó của đơn vị đúng quy định.",
        ],
        [
            "Chưa hoàn thành chỉ tiêu tinh giản biên chế năm 2021 theo lộ trình.",
            "Quy chế làm việc chưa được sửa đổi sau khi sắp xếp tổ chức bộ máy.",
        ],
    ),
    "A5": (
        [
            "Đề án vị trí việc làm đã được phê duyệt, công chức bố trí đúng vị trí.",
            "Đánh giá, xếp loại công chức năm 2020 hoàn thành đúng thời hạn.",
        ],
        [
            "3 công chức được bố trí chưa đúng vị trí việc làm đã phê duyệt.",
            "Kế hoạch đào tạo, bồi dưỡng năm 2021 mới thực hiện được 70%.",
        ],
    ),
    "A6": (
        [
            "Quy chế chi tiêu nội bộ năm 2021 ban hành sau khi lấy ý kiến công chức.",
            "Dự toán, quyết toán ngân sách được công khai đúng quy định.",
        ],
        [
            "Quy chế chi tiêu nội bộ chưa sửa đổi theo quy định mới về chế độ công tác phí.",
            "Công khai quyết toán ngân sách năm 2020 chậm so với quy định.",
        ],
    ),
    "A7": (
        [
            "Văn bản đi được ký số và gửi nhận qua phần mềm quản lý văn bản.",
            "Cung cấp dịch vụ công trực tuyến mức độ 3, 4 theo danh mục của tỉnh.",
        ],
        [
            "Tỷ lệ hồ sơ tiếp nhận trực tuyến mức độ 3, 4 còn thấp.",
            "Trang thông tin điện tử chưa cập nhật thông tin CCHC thường xuyên.",
        ],
    ),
    "A8": (
        [
            "Đơn vị có mô hình “Cà phê doanh nhân” tiếp nhận ý kiến của doanh nghiệp.",
            "Phối hợp tốt với Sở Nội vụ trong triển khai kiểm tra chuyên đề.",
        ],
        [
            "Chưa có sáng kiến, mô hình mới trong CCHC được công nhận.",
        ],
    ),
}

# Documents an inspector notes as evidence on the first visit: (area, số/ký hiệu, ngày, trích yếu).
DEMO_EVIDENCE = [
    ("A1", "15/KH-SYT", dt.date(2021, 1, 15), "Kế hoạch cải cách hành chính năm 2021"),
    ("A1", "102/BC-SYT", dt.date(2021, 3, 30), "Báo cáo công tác CCHC quý I năm 2021"),
    ("A3", "Sổ theo dõi", dt.date(2021, 6, 1), "Sổ theo dõi hồ sơ tại Bộ phận Một cửa"),
    ("A6", "05/QĐ-SYT", dt.date(2021, 1, 20), "Quy chế chi tiêu nội bộ năm 2021"),
]
DEMO_RECOMMENDATIONS = 5


def _words(text: str) -> set[str]:
    return {w for w in fold(text).replace(",", " ").replace(".", " ").split() if len(w) > 2}


def _note(rng: random.Random, item: dict[str, Any], ok: bool) -> str:
    """An observation of the item's area, the one sharing most words with the item's text."""
    passed, failed = AREA_NOTES.get(item["area_code"], (NOTES_OK, NOTES_BAD))
    notes = passed if ok else failed
    wanted = _words(item["text"])
    best = max(len(wanted & _words(n)) for n in notes)
    return rng.choice([n for n in notes if len(wanted & _words(n)) == best])


def _recommendation_text(item: dict[str, Any]) -> str:
    """A directive naming the item (quoted, so any phrasing of the item reads well)."""
    text = item["text"].rstrip(". ")
    return (
        f"Khắc phục hạn chế ở nội dung {item['code']} “{text}”; "
        "báo cáo kết quả khắc phục về Sở Nội vụ."
    )


def _measure(rng: random.Random, item: dict[str, Any], ok: bool) -> dict[str, Any]:
    """What an inspector records for one item, consistent with the judging rules."""
    max_score = float(item["max_score"] or 0)
    kind = item["type"]
    if kind == JudgingType.PERCENT:
        denominator = float(rng.randrange(10, 61))
        share = 1.0 if ok else rng.uniform(0.6, 0.95)
        numerator = float(min(denominator, round(denominator * share)))
        outcome = judging.percent_outcome(numerator, denominator, item["thresholds"], max_score)
        return {**outcome.changes(), "numerator": numerator, "denominator": denominator}
    if kind == JudgingType.LEVEL:
        level = ("tot" if rng.random() < 0.7 else "dat") if ok else "chua-dat"
        return {**judging.level_outcome(level, max_score).changes(), "value": level}
    if kind == JudgingType.YES_NO:
        value = judging.YES if ok else judging.NO
        return {**judging.yes_no_outcome(ok, max_score).changes(), "value": value}
    if kind == JudgingType.DATE_ON_TIME:
        day = (
            dt.date(2021, 1, rng.randrange(5, 16))
            if ok
            else dt.date(2021, 2, rng.randrange(15, 28))
        )
        return {**judging.on_time_outcome(ok, max_score).changes(), "value": day.isoformat()}
    if kind == JudgingType.COUNT:
        changes = judging.result_changes(Result.DAT if ok else Result.MOT_PHAN, max_score, None)
        if not ok:
            changes["score"] = round(max_score * 0.5 * 4) / 4
        return {**changes, "value": str(rng.randrange(2, 13))}
    result = Result.DAT if ok else rng.choice([Result.KHONG_DAT, Result.MOT_PHAN])
    changes = judging.result_changes(result, max_score, None)
    if result == Result.MOT_PHAN:
        changes["score"] = round(max_score * 0.5 * 4) / 4
    return changes


def _responsible(members: list[dict[str, Any]]) -> dict[str, str]:
    """Area code → the delegation member who inspects it (the first one listed)."""
    who: dict[str, str] = {}
    for member in members:
        for area in (a.strip() for a in member["areas"].split(",")):
            if area:
                who.setdefault(area, member["full_name"])
    return who


def build_demo(store: Store, seed: int = 2021, *, recommendations: bool = True) -> str:
    """Create the demo plan (once) and record findings for the June visits.

    Each finding is recorded by the member responsible for its area, with an observation that
    fits the area; the first visit is complete, with the unit's self-assessment (it disagrees
    on some items), evidence documents and (unless `recommendations=False`, for tests that
    count the ones they add) recommendations on items not passed.
    """
    for plan in store.planning.plans():
        if plan["number"] == "21/KH-UBND" and plan["year"] == 2021:
            return str(plan["id"])
    rng = random.Random(seed)
    plan_id = create_plan(store, sample_plan())
    june = [i for i in store.planning.inspections(plan_id) if i["month"] == 6]
    who = _responsible(store.planning.members(plan_id))
    leader = DELEGATION[0][0]
    actor = store.actor
    try:
        with store.transaction():
            for n, inspection in enumerate(june):
                insp_id = inspection["id"]
                store.core.update_row(
                    "inspections",
                    insp_id,
                    {"visit_date": dt.date(2021, 6, 8 + 7 * n).isoformat(), "place": "Sóc Trăng"},
                )
                items = store.findings.inspection_items(insp_id)
                # The first visit complete, the others half-way, as on a real campaign.
                share = 1.0 if n == 0 else 0.5
                failed: list[dict[str, Any]] = []
                for item in items[: int(len(items) * share)]:
                    member = who.get(item["area_code"], leader)
                    store.actor = member
                    if item["type"] == JudgingType.TEXT:
                        note = _note(rng, item, True)
                        store.findings.set_finding(
                            insp_id, item["id"], {"note": note}, recorded_by=member
                        )
                        continue
                    ok = rng.random() < 0.8
                    changes = _measure(rng, item, ok)
                    # The note follows the result the judging rules gave (a low threshold can
                    # make a "bad" measure pass).
                    changes["note"] = _note(rng, item, changes["result"] == Result.DAT.value)
                    store.findings.set_finding(insp_id, item["id"], changes, recorded_by=member)
                    passed = changes["result"] == Result.DAT.value
                    if not passed:
                        failed.append(item)
                    if n == 0:
                        # The unit's own answer, sent before the visit: it claims Đạt on half
                        # of what the delegation found wanting.
                        claims = passed or rng.random() < 0.5
                        store.findings.set_finding(
                            insp_id,
                            item["id"],
                            {
                                "self_result": Result.DAT.value if claims else changes["result"],
                                "self_score": float(item["max_score"] or 0)
                                if claims
                                else changes["score"],
                            },
                        )
                store.actor = leader
                if n == 0:
                    papers = failed[:DEMO_RECOMMENDATIONS] if recommendations else []
                    _first_visit_papers(store, insp_id, items, papers, inspection["unit"])
    finally:
        store.actor = actor
    return plan_id


def _first_visit_papers(
    store: Store,
    inspection_id: str,
    items: list[dict[str, Any]],
    failed: list[dict[str, Any]],
    unit: str,
) -> None:
    """Evidence documents and numbered recommendations of the completed first visit."""
    from desktop.services import conclusions, evidence

    for area, number, issued_on, summary in DEMO_EVIDENCE:
        item = next((i for i in items if i["area_code"] == area and i["type"] != "TEXT"), None)
        if item is not None:
            evidence.add_evidence(store, inspection_id, item["id"], number, issued_on, summary)
    for item in failed:
        conclusions.add_recommendation(
            store,
            inspection_id,
            _recommendation_text(item),
            item_code=item["code"],
            responsible=unit,
        )


# -- Large generated databases (benchmarks, scale checks) ---------------------------------

_DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Xây dựng",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Môi trường",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông vận tải",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
]
_PLACES = [
    "Mỹ Tú",
    "Trần Đề",
    "Thạnh Trị",
    "Ngã Năm",
    "Kế Sách",
    "Long Phú",
    "Cù Lao Dung",
    "Mỹ Xuyên",
    "Châu Thành",
    "Vĩnh Châu",
    "Cao Lãnh",
    "Tháp Mười",
    "Tam Nông",
    "Thanh Bình",
    "Lấp Vò",
    "Lai Vung",
    "Hồng Ngự",
    "Tân Hồng",
    "Sa Đéc",
    "Phú Lộc",
    "Đại Ân",
    "Hòa Tú",
    "Gia Hòa",
    "Thuận Hưng",
    "Mỹ Hương",
    "Long Hưng",
    "Phú Tâm",
    "An Thạnh",
    "Đại Hải",
    "Lịch Hội Thượng",
]
_COMMUNE_KINDS = ["xã", "phường", "thị trấn"]


def _scale_units(count: int, rng: random.Random) -> list[tuple[str, UnitLevel, str | None]]:
    """About a tenth departments, a tenth districts and the rest communes under them."""
    departments = max(1, count // 10)
    districts = max(1, count // 10)
    units: list[tuple[str, UnitLevel, str | None]] = []
    for n in range(departments):
        base = _DEPARTMENTS[n % len(_DEPARTMENTS)]
        units.append((base if n < len(_DEPARTMENTS) else f"{base} ({n})", UnitLevel.SO, None))
    district_names = []
    for n in range(districts):
        name = f"UBND huyện {_PLACES[n % len(_PLACES)]}" + (f" {n}" if n >= len(_PLACES) else "")
        district_names.append(name)
        units.append((name, UnitLevel.HUYEN, None))
    n = 0
    while len(units) < count:
        kind = _COMMUNE_KINDS[n % 3]
        place = _PLACES[rng.randrange(len(_PLACES))]
        units.append(
            (f"UBND {kind} {place} {n + 1}", UnitLevel.XA, district_names[n % len(district_names)])
        )
        n += 1
    return units


def build_scale_demo(
    store: Store,
    units: int = 200,
    years: int = 10,
    seed: int = 1,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, int]:
    """A province's decade: `years` plans of `units` inspections each, every item recorded.

    Written in bulk (no audit entries: generated data). Returns row counts.
    """
    from desktop.services.checklists import ensure_checklist

    rng = random.Random(seed)
    version_id = ensure_checklist(store)
    items = store.checklists.checklist_items(version_id)
    unit_specs = _scale_units(units, rng)
    last_year = dt.date.today().year
    counts = {"plans": 0, "inspections": 0, "findings": 0, "recommendations": 0}
    unit_ids: dict[str, str] = {}
    for name, level, parent in unit_specs:
        unit_ids[name] = store.planning.ensure_unit(
            name, level.value, unit_ids.get(parent) if parent else None
        )
    notes_ok, notes_bad = NOTES_OK, NOTES_BAD
    for y in range(years):
        year = last_year - years + 1 + y
        two_level = year >= 2025  # districts abolished on 1 July 2025
        with store.transaction():
            plan_id = store.planning.create_plan(
                {
                    "number": f"{10 + y}/KH-UBND",
                    "year": year,
                    "issuer": "Ủy ban nhân dân tỉnh Sóc Trăng",
                    "province": "Sóc Trăng",
                    "issued_on": dt.date(year, 2, 2).isoformat(),
                    "period_from": dt.date(year, 1, 1).isoformat(),
                    "title": f"Kế hoạch kiểm tra công tác cải cách hành chính năm {year}",
                }
            )
            counts["plans"] += 1
            inspection_rows, finding_rows, rec_rows = [], [], []
            parents: dict[str, str] = {}
            for position, (name, level, parent) in enumerate(unit_specs):
                if two_level and level == UnitLevel.HUYEN:
                    continue
                inspection_id = store_new_id()
                if level == UnitLevel.HUYEN:
                    parents[name] = inspection_id
                month = 4 + position * 6 // max(1, len(unit_specs))
                visit = dt.date(year, month, 1 + position % 27)
                inspection_rows.append(
                    {
                        "id": inspection_id,
                        "plan_id": plan_id,
                        "unit_id": unit_ids[name],
                        "unit_name": name,
                        "unit_level": level.value,
                        "parent_id": None if two_level or not parent else parents.get(parent),
                        "month": month,
                        "kind": "theo-ke-hoach",
                        "mode": "truc-tiep",
                        "status": "da-ket-luan" if year < last_year else "dang-kiem-tra",
                        "visit_date": visit.isoformat(),
                        "place": None,
                        "checklist_version_id": version_id,
                        "position": position,
                    }
                )
                letter = level.letter
                number = 0
                for item in items:
                    if letter not in item["levels"]:
                        continue
                    roll = rng.random()
                    if item["type"] == "TEXT":
                        result, score = None, None
                    elif roll < 0.82:
                        result, score = "dat", item["max_score"]
                    elif roll < 0.92:
                        result, score = "mot-phan", item["max_score"] / 2
                    else:
                        result, score = "khong-dat", 0.0
                    bad = result in ("mot-phan", "khong-dat")
                    finding_rows.append(
                        {
                            "id": finding_id(inspection_id, item["id"]),
                            "inspection_id": inspection_id,
                            "item_id": item["id"],
                            "item_code": item["code"],
                            "result": result,
                            "score": score,
                            "note": rng.choice(notes_bad if bad else notes_ok),
                            "recorded_by": DELEGATION[0][0],
                            "recorded_at": visit.isoformat(),
                        }
                    )
                    if bad and rng.random() < 0.5:
                        number += 1
                        rec_rows.append(
                            {
                                "id": store_new_id(),
                                "inspection_id": inspection_id,
                                "number": number,
                                "area_code": item["area_code"],
                                "item_code": item["code"],
                                "text": f"Khắc phục: {item['text'][:120]}",
                                "responsible": name,
                                "deadline": deadline_after(visit).isoformat(),
                                "status": "mo",
                            }
                        )
            store.core.insert_rows("inspections", inspection_rows)
            store.core.insert_rows("findings", finding_rows)
            store.core.insert_rows("recommendations", rec_rows)
        counts["inspections"] += len(inspection_rows)
        counts["findings"] += len(finding_rows)
        counts["recommendations"] += len(rec_rows)
        if progress is not None:
            progress(y + 1, years)
    counts["attachments"] = _scale_attachments(store, rng) if store.path is not None else 0
    store.search.rebuild_search_index()
    return counts


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A small solid-colour PNG: a real image file of a few hundred bytes."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


SCALE_ATTACHMENTS = 6


def _scale_attachments(store: Store, rng: random.Random) -> int:
    """A few small real files (photos, a scanned list) attached to findings of the last plan."""
    import tempfile
    from pathlib import Path

    from desktop.services.attachments import add_attachment
    from desktop.services.paths import data_dir_for

    plans = store.planning.plans()
    if not plans:
        return 0
    latest = max(plans, key=lambda p: p["year"])
    inspections = store.planning.inspections(latest["id"])[:SCALE_ATTACHMENTS]
    if store.path is None:  # an in-memory database keeps no files
        return 0
    data_dir = data_dir_for(Path(store.path))
    added = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, inspection in enumerate(inspections):
            items = store.findings.inspection_items(inspection["id"])
            if not items:
                continue
            item = items[rng.randrange(len(items))]
            if n % 2 == 0:
                source = Path(tmp) / f"anh-niem-yet-{n + 1}.png"
                source.write_bytes(_png(32, 24, (200 - 20 * n, 180, 120 + 10 * n)))
            else:
                source = Path(tmp) / f"danh-sach-ho-so-{n + 1}.txt"
                source.write_text(
                    f"Danh sách hồ sơ kiểm tra ngẫu nhiên tại {inspection['unit']}\n"
                    "1. Hồ sơ cấp giấy phép xây dựng — đúng hạn\n"
                    "2. Hồ sơ đăng ký kinh doanh — trễ hạn 2 ngày\n",
                    encoding="utf-8",
                )
            add_attachment(store, data_dir, inspection["id"], item["item_id"], source)
            added += 1
    return added
