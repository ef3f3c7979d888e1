"""A realistic demo database: the Sóc Trăng 2021 inspection schedule with findings recorded."""

from __future__ import annotations

import datetime as dt
import random

from db import Store
from db.store import finding_id
from db.store import new_id as store_new_id
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
            store.update_row(
                "inspections",
                inspection["id"],
                {"visit_date": dt.date(2021, 6, 8 + 7 * n).isoformat(), "place": "Sóc Trăng"},
            )
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
    store: Store, units: int = 200, years: int = 10, seed: int = 1, progress=None
) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A province's decade: `years` plans of `units` inspections each, every item recorded.

    Written in bulk (no audit entries: generated data). Returns row counts.
    """
    from desktop.services.checklists import ensure_checklist

    rng = random.Random(seed)
    version_id = ensure_checklist(store)
    items = store.checklist_items(version_id)
    unit_specs = _scale_units(units, rng)
    last_year = dt.date.today().year
    counts = {"plans": 0, "inspections": 0, "findings": 0, "recommendations": 0}
    unit_ids: dict[str, str] = {}
    for name, level, parent in unit_specs:
        unit_ids[name] = store.ensure_unit(
            name, level.value, unit_ids.get(parent) if parent else None
        )
    notes_ok, notes_bad = NOTES_OK, NOTES_BAD
    for y in range(years):
        year = last_year - years + 1 + y
        two_level = year >= 2025  # districts abolished on 1 July 2025
        with store.transaction():
            plan_id = store.create_plan(
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
                                "deadline": (visit + dt.timedelta(days=30)).isoformat(),
                                "status": "mo",
                            }
                        )
            store.insert_rows("inspections", inspection_rows)
            store.insert_rows("findings", finding_rows)
            store.insert_rows("recommendations", rec_rows)
        counts["inspections"] += len(inspection_rows)
        counts["findings"] += len(finding_rows)
        counts["recommendations"] += len(rec_rows)
        if progress is not None:
            progress(y + 1, years)
    counts["attachments"] = _scale_attachments(store, rng) if store.path is not None else 0
    reindex = getattr(store, "rebuild_search_index", None)
    if reindex is not None:
        reindex()
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

    plans = store.plans()
    if not plans:
        return 0
    latest = max(plans, key=lambda p: p["year"])
    inspections = store.inspections(latest["id"])[:SCALE_ATTACHMENTS]
    data_dir = data_dir_for(Path(store.path))
    added = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, inspection in enumerate(inspections):
            items = store.inspection_items(inspection["id"])
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
