"""Place and date line of an official document (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime as dt

BLANK = "……"


def official_date(place: str, date: dt.date | None) -> str:
    """ "Sóc Trăng, ngày 05 tháng 01 năm 2021": a day below 10 and months 1–2 take a leading
    zero, months 3–12 do not. Without a date the numbers are left as dotted blanks."""
    place = place.strip() or BLANK
    if date is None:
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {day} tháng {month} năm {date.year}"
