"""The place-and-date line: leading zeros for days below 10 and for January and February."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.domain import official_date


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2021, 1, 5), "Sóc Trăng, ngày 05 tháng 01 năm 2021"),
        (dt.date(2021, 2, 28), "Sóc Trăng, ngày 28 tháng 02 năm 2021"),
        (dt.date(2021, 3, 9), "Sóc Trăng, ngày 09 tháng 3 năm 2021"),
        (dt.date(2021, 12, 10), "Sóc Trăng, ngày 10 tháng 12 năm 2021"),
        (dt.date(2024, 10, 1), "Sóc Trăng, ngày 01 tháng 10 năm 2024"),
    ],
)
def test_official_date(date: dt.date, expected: str) -> None:
    assert official_date("Sóc Trăng", date) == expected


def test_missing_date_is_dotted() -> None:
    assert official_date("Hưng Yên", None) == "Hưng Yên, ngày …… tháng …… năm ……"
