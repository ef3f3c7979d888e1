"""The vocabulary of the product: codes stored in the database and the Vietnamese users see.

No I/O here. Every enum's value is the code kept in the database and used on the command line;
`label` is what a user reads.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

# The letters of the unit levels in a checklist item's "levels" are the database's (its
# queries filter items by them): one definition, in db (db/store/plans.py).
from db.store import LEVEL_LETTERS
from db.text import fold, nfc

__all__ = [
    "InspectionKind",
    "InspectionMode",
    "InspectionStatus",
    "JudgingType",
    "LEVEL_LETTERS",
    "Result",
    "Role",
    "UnitLevel",
    "fold",
    "format_date",
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
        """Parse what a person typed ("Sở/ngành", "xa", "Đơn vị trực thuộc" ...)."""
        key = fold(text).strip()
        for level, aliases in _UNIT_LEVEL_ALIASES.items():
            if key in aliases:
                return level
        raise ValueError(text)


_UNIT_LEVEL_LABELS = {
    UnitLevel.SO: "Sở/ngành",
    UnitLevel.DVSN: "Đơn vị sự nghiệp",
    UnitLevel.HUYEN: "Huyện",
    UnitLevel.XA: "Xã",
}
_UNIT_LEVEL_ALIASES = {
    UnitLevel.SO: {"so/nganh", "so", "nganh", "so, nganh", "so nganh", "s"},
    UnitLevel.DVSN: {"don vi su nghiep", "dvsn", "don vi truc thuoc", "chi cuc", "d"},
    UnitLevel.HUYEN: {"huyen", "cap huyen", "ubnd cap huyen", "h"},
    UnitLevel.XA: {"xa", "cap xa", "xa/phuong", "xa, phuong", "phuong", "thi tran", "dac khu", "x"},
}


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
    THEO_KE_HOACH = "theo-ke-hoach"
    DOT_XUAT = "dot-xuat"
    TAI_KIEM_TRA = "tai-kiem-tra"

    @property
    def label(self) -> str:
        return {
            "theo-ke-hoach": "Theo kế hoạch",
            "dot-xuat": "Đột xuất",
            "tai-kiem-tra": "Tái kiểm tra",
        }[self.value]


class InspectionMode(StrEnum):
    TRUC_TIEP = "truc-tiep"
    TRUC_TUYEN = "truc-tuyen"
    QUA_BAO_CAO = "qua-bao-cao"

    @property
    def label(self) -> str:
        return {"truc-tiep": "Trực tiếp", "truc-tuyen": "Trực tuyến", "qua-bao-cao": "Qua báo cáo"}[
            self.value
        ]


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
