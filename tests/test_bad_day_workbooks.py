"""Hostile workbooks, small and fast (issue 16): styles, shared strings, cells, merged ranges,
defined names and nesting are counted before openpyxl parses anything, and refused in one
Vietnamese line; dates outside 1900–2100 (and 1e308 in a date cell) are named by their cell.
The full-size bombs with time and memory bounds are in tests/fuzz/test_workbook_bombs.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from desktop.services import checklist_workbook as cw
from desktop.services import plan_workbook as pw
from desktop.services import selfassessment_workbook as sw
from desktop.services import workbook_io as wio
from desktop.services.demo import build_demo, sample_plan
from desktop.services.errors import InputFileError
from tests import workbook_bombs as bombs


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("bombs")
    store = Store.open(root / "data" / "kiemtra.sqlite")
    build_demo(store)
    inspection = store.planning.inspections(store.planning.plans()[0]["id"])[0]["id"]
    files = {
        "plan": pw.write_template(root / "plan.xlsx", sample_plan()),
        "checklist": cw.export_checklist(store, root / "checklist.xlsx"),
        "form": sw.write_form(store, inspection, root / "form.xlsx"),
    }
    imports: dict[str, Callable[[Path], Any]] = {
        "plan": lambda path: pw.read_plan(path, pw.area_codes(store)),
        "checklist": cw.read_checklist,
        "form": lambda path: sw.read_form(store, inspection, path, "inspector"),
    }
    yield {"root": root, "files": files, "read": imports}
    store.close()


BOMBS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "styles": (lambda s, t: bombs.styles_bomb(s, t, wio.MAX_STYLES + 1), "kiểu định dạng ô"),
    "shared strings": (
        lambda s, t: bombs.shared_strings_bomb(s, t, wio.MAX_SHARED_STRINGS + 1),
        "chuỗi văn bản",
    ),
    "cells": (lambda s, t: bombs.huge_sheet(s, t, wio.MAX_CELLS // 20 + 1), "quá nhiều ô"),
    "merged range": (lambda s, t: bombs.merged_sheet(s, t, "A1:Z20000"), "quá nhiều ô"),
    "whole column merged": (lambda s, t: bombs.merged_sheet(s, t, "A:A"), "quá nhiều ô"),
    "defined names": (
        lambda s, t: bombs.defined_names_bomb(s, t, wio.MAX_OTHER_ELEMENTS),
        "phần tử XML",
    ),
    "deep": (lambda s, t: bombs.deep_sheet(s, t, wio.MAX_DEPTH + 1), "lồng quá sâu"),
}


@pytest.mark.parametrize("kind", ["plan", "checklist", "form"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_bombs_are_refused_before_parsing(world: dict[str, Any], kind: str, bomb: str) -> None:
    make, says = BOMBS[bomb]
    path = make(world["files"][kind], world["root"] / f"{kind}-{bomb}.xlsx")
    with pytest.raises(InputFileError) as caught:
        world["read"][kind](path)
    message = str(caught.value)
    assert says in message and "\n" not in message and path.name in message


def test_just_under_the_limits_still_reads(world: dict[str, Any]) -> None:
    path = bombs.styles_bomb(world["files"]["form"], world["root"] / "ok.xlsx", 100)
    world["read"]["form"](path)


def _plan_with(world: dict[str, Any], field: str, value: Any, number_format: str = "") -> Path:
    book = openpyxl.load_workbook(world["files"]["plan"])
    sheet = book[pw.SHEET_PLAN]
    for row in sheet.iter_rows(min_row=1):
        if row[0].value == field:
            row[1].value = value
            if number_format:
                row[1].number_format = number_format
            where = row[1].row
    path = world["root"] / f"plan-{field}-{abs(hash(str(value)))}.xlsx"
    book.save(path)
    return path, where  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("01/01/0001", "01/01/0001 nằm ngoài khoảng 1900–2100"),
        ("31/12/2101", "31/12/2101 nằm ngoài khoảng 1900–2100"),
        (dt.datetime(1850, 5, 1), "01/05/1850 nằm ngoài khoảng 1900–2100"),
    ],
)
def test_dates_outside_1900_2100_name_their_cell(
    world: dict[str, Any], value: Any, says: str
) -> None:
    path, row = _plan_with(world, pw.F_ISSUED, value)
    with pytest.raises(InputFileError) as caught:
        world["read"]["plan"](path)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        f"“{pw.SHEET_PLAN}”, dòng {row}, cột “{pw.F_ISSUED}”" in p and says in p for p in problems
    ), problems


def test_1e308_in_a_date_cell_is_a_bad_date(world: dict[str, Any]) -> None:
    path, row = _plan_with(world, pw.F_ISSUED, 1e308, "dd/mm/yyyy")
    with pytest.raises(InputFileError) as caught:
        world["read"]["plan"](path)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        f"dòng {row}, cột “{pw.F_ISSUED}”" in p and "ngày không hợp lệ" in p for p in problems
    ), problems
    assert not any(wio.MSG_ERROR_VALUE in p for p in problems)
