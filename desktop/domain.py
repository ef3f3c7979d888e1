"""The vocabulary of the product: codes stored in the database and the Vietnamese users see.

No I/O here. Every enum's value is the code kept in the database and used on the command line;
`label` is what a user reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

# The letters of the unit levels in a checklist item's "levels" are the database's (its
# queries filter items by them): one definition, in db (db/store/plans.py).
from db.store import LEVEL_LETTERS
from db.text import fold, nfc

__all__ = [
    "CENTRAL_CITIES",
    "InspectionKind",
    "InspectionMode",
    "InspectionStatus",
    "JudgingType",
    "LEVEL_LETTERS",
    "LEVEL_NAMES",
    "LevelName",
    "Locality",
    "Result",
    "Role",
    "UnitLevel",
    "department_signer",
    "document_number",
    "fold",
    "format_date",
    "kind_and_mode",
    "kind_caption",
    "level_name",
    "locality",
    "nfc",
    "official_date",
    "parse_date",
]


class UnitLevel(StrEnum):
    SO = "so"
    DVSN = "dvsn"
    HUYEN = "huyen"
    XA = "xa"

    @property
    def label(self) -> str:
        return _UNIT_LEVEL_LABELS[self]

    @property
    def letter(self) -> str:
        """The letter used in a checklist item's "levels" (S, D, H, X)."""
        return LEVEL_LETTERS[self.value]

    @classmethod
    def from_label(cls, text: str) -> UnitLevel:
        """Parse what a person typed ("Sở/ngành", "xa", "Phường", "Quận" ...)."""
        return level_name(text).checklist_level()


_UNIT_LEVEL_LABELS = {
    UnitLevel.SO: "Sở/ngành",
    UnitLevel.DVSN: "Đơn vị sự nghiệp",
    UnitLevel.HUYEN: "Huyện",
    UnitLevel.XA: "Xã",
}


@dataclass(frozen=True)
class LevelName:
    """A level as plans write it ("Phường", "Bộ phận Một cửa") and the checklist level it
    is judged at. `level` None: the level of the unit it belongs to (a one-stop desk of a
    quận is judged with the quận's items), `fallback` when it belongs to none."""

    label: str
    level: UnitLevel | None
    aliases: frozenset[str]
    fallback: UnitLevel = UnitLevel.XA

    def checklist_level(self, parent: UnitLevel | None = None) -> UnitLevel:
        """The checklist level (S, D, H, X) of a unit of this level under `parent`."""
        if self.level is not None:
            return self.level
        return parent or self.fallback


def _names(*texts: str) -> frozenset[str]:
    return frozenset(fold(t) for t in texts)


# The one mapping from what users write to the checklist levels (issue 17). The first of each
# group of four ("Huyện", "Xã") is also the UnitLevel's own label.
LEVEL_NAMES: tuple[LevelName, ...] = (
    LevelName(
        "Sở/ngành",
        UnitLevel.SO,
        _names(
            "sở/ngành",
            "sở",
            "ngành",
            "sở, ngành",
            "sở ngành",
            "s",
            "ban",
            "ban ngành",
            "cơ quan chuyên môn",
        ),
    ),
    LevelName(
        "Đơn vị sự nghiệp",
        UnitLevel.DVSN,
        _names("đơn vị sự nghiệp", "dvsn", "đơn vị trực thuộc", "d"),
    ),
    LevelName("Chi cục", UnitLevel.DVSN, _names("chi cục")),
    LevelName(
        "Phòng/Ban",
        UnitLevel.DVSN,
        _names("phòng/ban", "phòng", "phòng, ban", "phòng ban", "phòng chuyên môn"),
    ),
    LevelName(
        "Bộ phận Một cửa",
        None,
        _names(
            "bộ phận một cửa",
            "một cửa",
            "bộ phận tiếp nhận và trả kết quả",
        ),
    ),
    LevelName(
        "Địa điểm giải quyết TTHC",
        None,
        _names("địa điểm giải quyết tthc", "địa điểm giải quyết thủ tục hành chính"),
    ),
    LevelName("Điểm tiếp công dân", None, _names("điểm tiếp công dân", "tiếp công dân")),
    LevelName(
        "Trung tâm phục vụ hành chính công",
        None,
        _names(
            "trung tâm phục vụ hành chính công",
            "trung tâm phục vụ hcc",
            "tt phục vụ hcc",
            "ttpvhcc",
        ),
    ),
    LevelName("Huyện", UnitLevel.HUYEN, _names("huyện", "cấp huyện", "ubnd cấp huyện", "h")),
    LevelName("Quận", UnitLevel.HUYEN, _names("quận")),
    LevelName("Thị xã", UnitLevel.HUYEN, _names("thị xã")),
    LevelName("Thành phố thuộc tỉnh", UnitLevel.HUYEN, _names("thành phố thuộc tỉnh", "thành phố")),
    LevelName("Xã", UnitLevel.XA, _names("xã", "cấp xã", "xã/phường", "xã, phường", "x")),
    LevelName("Phường", UnitLevel.XA, _names("phường")),
    LevelName("Thị trấn", UnitLevel.XA, _names("thị trấn")),
    LevelName("Đặc khu", UnitLevel.XA, _names("đặc khu")),
)


def level_name(text: str) -> LevelName:
    """The level a person typed ("phuong", "Bộ phận Một cửa", "Quận"); ValueError if none."""
    wanted = fold(text).strip()
    for name in LEVEL_NAMES:
        if wanted in name.aliases or wanted == fold(name.label):
            return name
    raise ValueError(text)


class Result(StrEnum):
    DAT = "dat"
    KHONG_DAT = "khong-dat"
    MOT_PHAN = "mot-phan"
    KHONG_AP_DUNG = "khong-ap-dung"

    @property
    def label(self) -> str:
        return _RESULT_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> Result:
        key = fold(text).strip().replace(" ", "-")
        for result in cls:
            if key in (result.value, fold(result.label).replace(" ", "-")):
                return result
        aliases = {
            "co": cls.DAT,
            "khong": cls.KHONG_DAT,
            "chua-dat": cls.KHONG_DAT,
            "tot": cls.DAT,
            "dat-mot-phan": cls.MOT_PHAN,
            "kad": cls.KHONG_AP_DUNG,
        }
        if key in aliases:
            return aliases[key]
        raise ValueError(text)


_RESULT_LABELS = {
    Result.DAT: "Đạt",
    Result.KHONG_DAT: "Không đạt",
    Result.MOT_PHAN: "Đạt một phần",
    Result.KHONG_AP_DUNG: "Không áp dụng",
}


class JudgingType(StrEnum):
    YES_NO = "YES_NO"
    LEVEL = "LEVEL"
    PERCENT = "PERCENT"
    COUNT = "COUNT"
    DATE_ON_TIME = "DATE_ON_TIME"
    TEXT = "TEXT"

    @property
    def label(self) -> str:
        return {
            "YES_NO": "Có/Không",
            "LEVEL": "Mức độ",
            "PERCENT": "Tỷ lệ %",
            "COUNT": "Số lượng",
            "DATE_ON_TIME": "Đúng hạn",
            "TEXT": "Nhận xét",
        }[self.value]


class Role(StrEnum):
    TRUONG_DOAN = "truong-doan"
    PHO_TRUONG_DOAN = "pho-truong-doan"
    THANH_VIEN = "thanh-vien"
    THU_KY = "thu-ky"

    @property
    def label(self) -> str:
        return {
            "truong-doan": "Trưởng đoàn",
            "pho-truong-doan": "Phó trưởng đoàn",
            "thanh-vien": "Thành viên",
            "thu-ky": "Thư ký",
        }[self.value]

    @classmethod
    def from_label(cls, text: str) -> Role:
        key = fold(text).strip().replace(" ", "-")
        for role in cls:
            if key in (role.value, fold(role.label).replace(" ", "-")):
                return role
        raise ValueError(text)


class InspectionKind(StrEnum):
    """What kind of check a visit is; the documents and the window follow it."""

    THEO_KE_HOACH = "theo-ke-hoach"  # announced, on the plan's schedule
    DOT_XUAT = "dot-xuat"  # surprise: no notice
    QUA_BAO_CAO = "qua-bao-cao"  # from the unit's reports and evidence, no visit
    TAI_KIEM_TRA = "tai-kiem-tra"  # re-checks an earlier inspection's recommendations

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> InspectionKind:
        """Parse a code ("dot-xuat") or what a person typed ("Đột xuất")."""
        key = fold(text).strip().replace(" ", "-")
        for kind in cls:
            if key in (kind.value, fold(kind.label).replace(" ", "-")):
                return kind
        raise ValueError(text)


_KIND_LABELS = {
    InspectionKind.THEO_KE_HOACH: "Theo kế hoạch",
    InspectionKind.DOT_XUAT: "Đột xuất",
    InspectionKind.QUA_BAO_CAO: "Qua báo cáo",
    InspectionKind.TAI_KIEM_TRA: "Tái kiểm tra",
}


class InspectionMode(StrEnum):
    """How the delegation works with the unit: on site or online."""

    TRUC_TIEP = "truc-tiep"
    TRUC_TUYEN = "truc-tuyen"

    @property
    def label(self) -> str:
        return {"truc-tiep": "Trực tiếp", "truc-tuyen": "Trực tuyến"}[self.value]


# Until m009 "qua báo cáo" was stored as a mode; a row from such a laptop still arrives by sync.
OLD_REPORT_MODE = "qua-bao-cao"


def kind_and_mode(kind: str | None, mode: str | None) -> tuple[InspectionKind, InspectionMode]:
    """The kind and mode of a stored inspection, old values mapped (mode "qua-bao-cao" is the
    kind "qua-bao-cao" today); anything unknown reads as the defaults."""
    if mode == OLD_REPORT_MODE:
        return InspectionKind.QUA_BAO_CAO, InspectionMode.TRUC_TIEP
    known_kind = InspectionKind(kind) if kind in set(InspectionKind) else None
    known_mode = InspectionMode(mode) if mode in set(InspectionMode) else None
    return (
        known_kind or InspectionKind.THEO_KE_HOACH,
        known_mode or InspectionMode.TRUC_TIEP,
    )


def kind_caption(kind: str | None, mode: str | None) -> str:
    """What the window shows beside a visit: "Đột xuất", "Qua báo cáo", "Trực tuyến"; ""
    for an announced on-site visit (the ordinary case needs no mark)."""
    k, m = kind_and_mode(kind, mode)
    parts = [] if k == InspectionKind.THEO_KE_HOACH else [k.label]
    if m == InspectionMode.TRUC_TUYEN and k != InspectionKind.QUA_BAO_CAO:
        parts.append(m.label.lower() if parts else m.label)
    return " ".join(parts)


class InspectionStatus(StrEnum):
    CHUA_KIEM_TRA = "chua-kiem-tra"
    DANG_KIEM_TRA = "dang-kiem-tra"
    DA_KIEM_TRA = "da-kiem-tra"
    DA_KET_LUAN = "da-ket-luan"

    @property
    def label(self) -> str:
        return {
            "chua-kiem-tra": "Chưa kiểm tra",
            "dang-kiem-tra": "Đang kiểm tra",
            "da-kiem-tra": "Đã kiểm tra",
            "da-ket-luan": "Đã kết luận",
        }[self.value]


def parse_date(value: object) -> dt.date:
    """A date from a real date/datetime or from text "dd/mm/yyyy" (also "d/m/yyyy", ISO)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_date(value: str | dt.date | None) -> str:
    """dd/mm/yyyy for people; '' for nothing."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


DATE_BLANK = "……"  # a number left for the clerk to write in by hand


def official_date(place: str, date: dt.date | None) -> str:
    """Place and date line of an official document (Nghị định 30/2020/NĐ-CP).

    "Sóc Trăng, ngày 05 tháng 01 năm 2021": a day below 10 and months 1–2 take a leading
    zero, months 3–12 do not. Without a date the numbers are left as dotted blanks."""
    place = place.strip() or DATE_BLANK
    if date is None:
        return f"{place}, ngày {DATE_BLANK} tháng {DATE_BLANK} năm {DATE_BLANK}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"


# -- the issuing authority ------------------------------------------------------------------
# Centrally-run cities (thành phố trực thuộc trung ương), folded: their people's committee is
# "UBND THÀNH PHỐ …", never "UBND TỈNH …". Huế since 2025; "Thừa Thiên Huế" stays a province.
CENTRAL_CITIES = frozenset({"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"})
_CITY_PREFIXES = ("thanh pho ", "tp. ", "tp.", "tp ")
_PROVINCE_PREFIXES = ("tinh ",)
_COMMITTEE_PREFIXES = ("uy ban nhan dan ", "ubnd ")
_BLANK_PLACE = "……"


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> tuple[str, bool]:
    """`text` without the first matching folded prefix, and whether one was removed."""
    padded = text.strip() + " "  # "Ủy ban nhân dân tỉnh" alone: the prefix is the whole text
    folded = fold(padded)
    for prefix in prefixes:
        if folded.startswith(prefix):
            return padded[len(prefix) :].strip(), True
    return text, False


@dataclass(frozen=True)
class Locality:
    """The province or centrally-run city whose people's committee issued the plan.

    One place for every document that names it: the header ("UBND THÀNH PHỐ HÀ NỘI"), the
    prose ("Ủy ban nhân dân Thành phố"), the recipients ("UBND Thành phố") and the addressee
    ("Kính gửi: UBND Thành phố Hà Nội")."""

    name: str  # "Hà Nội", "Sóc Trăng", "" when unknown
    city: bool

    @property
    def level(self) -> str:
        """ "Thành phố" or "tỉnh", as written after "Ủy ban nhân dân"."""
        return "Thành phố" if self.city else "tỉnh"

    @property
    def parent_body(self) -> str:
        """The header's first line: "UBND THÀNH PHỐ HÀ NỘI", "UBND TỈNH SÓC TRĂNG"."""
        name = self.name.upper() if self.name else _BLANK_PLACE
        return f"UBND {self.level.upper()} {name}"

    @property
    def committee(self) -> str:
        """ "Ủy ban nhân dân Thành phố" / "Ủy ban nhân dân tỉnh" (the name already known)."""
        return f"Ủy ban nhân dân {self.level}"

    @property
    def committee_short(self) -> str:
        """ "UBND Thành phố" / "UBND tỉnh" (recipient lists)."""
        return f"UBND {self.level}"

    @property
    def committee_named(self) -> str:
        """ "UBND Thành phố Hà Nội" / "UBND tỉnh Sóc Trăng"."""
        return f"{self.committee_short} {self.name}".rstrip()

    @property
    def place(self) -> str:
        """The place on the date line ("Hà Nội, ngày …"; "Thành phố Hồ Chí Minh, ngày …")."""
        if self.city and fold(self.name) == "ho chi minh":
            return "Thành phố Hồ Chí Minh"
        return self.name


def locality(province: str | None, issuer: str | None = "") -> Locality:
    """The plan's issuing locality from its province field and its issuer ("Ủy ban nhân dân
    thành phố Hà Nội", "UBND TP. Hồ Chí Minh", "Ủy ban nhân dân tỉnh Sóc Trăng").

    A centrally-run city is a thành phố whatever was typed; otherwise the issuer's own word
    ("thành phố"/"TP." or "tỉnh") decides, and a bare name is a province."""
    said_city = False
    name = nfc(province or "").strip()
    text = nfc(issuer or "").strip()
    if text:
        rest, _ = _strip_prefix(text, _COMMITTEE_PREFIXES)
        rest, said_city = _strip_prefix(rest, _CITY_PREFIXES)
        if not said_city:
            rest, _ = _strip_prefix(rest, _PROVINCE_PREFIXES)
        name = name or rest
    name, typed_city = _strip_prefix(name, _CITY_PREFIXES)
    if not typed_city:
        name, _ = _strip_prefix(name, _PROVINCE_PREFIXES)
    name = name.strip()
    return Locality(name, fold(name) in CENTRAL_CITIES or said_city or typed_city)


# -- document numbers and the signer of Sở Nội vụ ---------------------------------------------
def document_number(number: str) -> str:
    """The số of a document as Nghị định 30 writes it: below 10 with a leading zero
    ("5" → "05", "5/TB-SNV" → "05/TB-SNV"); anything else unchanged."""
    head, sep, tail = number.strip().partition("/")
    if head.isdigit() and len(head) == 1:
        head = "0" + head
    return head + sep + tail


DIRECTOR_TITLE = ["GIÁM ĐỐC"]
DEPUTY_TITLE = ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def department_signer(position_title: str | None, name: str | None) -> tuple[list[str], str]:
    """Who signs a document issued by Sở Nội vụ: the delegation head when he is the Giám đốc
    ("GIÁM ĐỐC") or a Phó Giám đốc ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"); otherwise (another post,
    or no head on record) the Giám đốc's block with the name left blank, to be signed and
    named by the Sở's leadership (never "TRƯỞNG ĐOÀN": the delegation does not issue it)."""
    post = fold(position_title or "").strip()
    if post.startswith("pho giam doc"):
        return list(DEPUTY_TITLE), (name or "").strip()
    if post.startswith("giam doc"):
        return list(DIRECTOR_TITLE), (name or "").strip()
    return list(DIRECTOR_TITLE), ""
