"""Hostile workbooks for the three workbook imports: plan, checklist, self-assessment form.

Every case ends in the import's clear error (InputFileError/UserError, in Vietnamese) or in
success; never another exception, never a partial write, never unbounded memory.

An accepted hostile file meets an oracle (`run(..., oracle=...)`), on what the import read from
it (taken just before the import, in the same database state):
- "good": damage to the zip's bytes or members can only be accepted when the import reads
  exactly what it reads from the good file;
- "resaved": damage inside the XML can change cells, but the import must read what a
  spreadsheet program sees (the file opened by openpyxl and saved again);
- "clean": any cell values: what was read holds no formula and no over-long text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from db import Store
from desktop.services import checklist_workbook as cw
from desktop.services import checklists
from desktop.services import plan_workbook as pw
from desktop.services import selfassessment_workbook as sw
from desktop.services.demo import build_demo, sample_plan
from desktop.services.errors import InputFileError, StoreError, UserError
from desktop.services.workbook_io import MAX_TEXT
from tests.fuzz.hostile import (
    FORMULAS,
    GB,
    MB,
    MemoryWatch,
    add_bomb_member,
    attempt,
    billion_laughs,
    cut,
    dump,
    flip,
    lie_about_size,
    read_members,
    refused,
    replace_member,
    write_zip,
)
from tests.workbook_bombs import declare_shared_strings

pytestmark = pytest.mark.fuzz


class Kind:
    """One workbook entry point: a valid file to start from, and the import to call."""

    def __init__(
        self,
        name: str,
        make: Callable[[Store, Path], Path],
        run: Callable[[Store, Path], Any],
        sheets: tuple[str, ...],
    ) -> None:
        self.name, self.make, self.run, self.sheets = name, make, run, sheets


def _inspection(store: Store) -> str:
    return str(store.planning.inspections(store.planning.plans()[0]["id"])[0]["id"])


KINDS = {
    "plan": Kind(
        "plan",
        lambda store, path: pw.write_template(path, sample_plan()),
        # The demo already holds the sample plan: change its number so that it can go in.
        lambda store, path: pw.import_plan(store, path),
        (pw.SHEET_PLAN, pw.SHEET_UNITS, pw.SHEET_MEMBERS),
    ),
    "checklist": Kind(
        "checklist",
        lambda store, path: cw.export_checklist(store, path),
        lambda store, path: cw.import_checklist(store, path),
        (cw.SHEET,),
    ),
    "form": Kind(
        "form",
        lambda store, path: sw.write_form(store, _inspection(store), path),
        lambda store, path: sw.import_form(store, _inspection(store), path, "inspector"),
        (sw.SHEET,),
    ),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One demo database and one valid file of each kind (the plan under a new number)."""
    root = tmp_path_factory.mktemp("workbooks")
    store = Store.open(root / "data" / "kiemtra.sqlite")
    build_demo(store)
    files = {}
    for name, kind in KINDS.items():
        files[name] = kind.make(store, root / f"{name}.xlsx")
    book = openpyxl.load_workbook(files["plan"])
    for row in book[pw.SHEET_PLAN].iter_rows(min_row=2):
        if row[0].value == pw.F_NUMBER:
            row[1].value = "99/KH-FUZZ"
    book.save(files["plan"])
    yield {"root": root, "store": store, "files": files}
    store.close()


def read(world: dict[str, Any], kind: str, path: Path) -> Any:
    """What the import of `kind` reads from `path` in the database's current state."""
    store: Store = world["store"]
    if kind == "plan":
        return pw.read_plan(path, pw.area_codes(store))
    if kind == "checklist":
        data = cw.read_checklist(path)
        # The guide sheet (name, version) is optional: the import then takes the current
        # checklist's name; the version is made free ("-2" …) whatever the workbook says.
        current = store.checklists.checklist(checklists.ensure_checklist(store))
        data["name"] = data["name"] or current["name"]
        del data["version"]
        return data
    return sw.read_form(store, _inspection(store), path, "inspector")


def resaved(path: Path) -> Path | None:
    """`path` opened by openpyxl and saved again (None when openpyxl cannot open it)."""
    target = path.with_name(path.stem + "-resaved.xlsx")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path).save(target)
    except Exception:  # whatever a broken file makes openpyxl raise
        return None
    return target


def run(world: dict[str, Any], kind: str, path: Path, oracle: str | None = None) -> Any:
    """Import `path`; when it is accepted, check `oracle` (see the module's docstring)."""
    store: Store = world["store"]
    expected: Any = None
    got: Any = None
    if oracle is not None:
        try:
            got = read(world, kind, path)
        except (UserError, StoreError):
            oracle = None  # the import refuses it too (attempt checks that it does, cleanly)
    if oracle == "good":
        expected = read(world, kind, world["files"][kind])
    elif oracle == "resaved":
        clean = resaved(path)
        assert clean is not None, "accepted a workbook that openpyxl cannot open"
        expected = read(world, kind, clean)
    result = attempt(lambda: KINDS[kind].run(store, path), lambda: dump(store))
    if oracle is not None and not refused(result):
        if oracle == "clean":
            for text in strings(got):
                # A string that starts with "=" is a formula to openpyxl and Excel alike.
                assert not (text.startswith("=") and len(text) > 1), text[:80]
                assert len(text) <= MAX_TEXT, f"a text of {len(text)} characters went in"
        else:
            assert got == expected, f"accepted, but read otherwise than the {oracle} file"
    return result


def strings(value: Any) -> Iterator[str]:
    """Every string inside what an import read (dataclasses, dicts, lists, tuples)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from strings(item)


_counter = iter(range(10**9))


def fresh(world: dict[str, Any], kind: str, suffix: str = ".xlsx") -> Path:
    return world["root"] / f"{kind}-{next(_counter)}{suffix}"


# -- the file as bytes -------------------------------------------------------------------------

kinds = st.sampled_from(sorted(KINDS))


@given(kind=kinds, where=st.floats(0, 0.999))
def test_truncated_file(world: dict[str, Any], kind: str, where: float) -> None:
    path = fresh(world, kind)
    path.write_bytes(cut(world["files"][kind].read_bytes(), where))
    assert refused(run(world, kind, path))


@given(kind=kinds, data=st.binary(max_size=4096))
def test_random_bytes(world: dict[str, Any], kind: str, data: bytes) -> None:
    path = fresh(world, kind)
    path.write_bytes(data)
    assert refused(run(world, kind, path))


@given(
    kind=kinds,
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_random_byte_flips(world: dict[str, Any], kind: str, flips: list[Any]) -> None:
    path = fresh(world, kind)
    path.write_bytes(flip(world["files"][kind].read_bytes(), flips))
    run(world, kind, path, oracle="good")


@given(kind=kinds, data=st.data())
def test_byte_flips_inside_each_xml_part(world: dict[str, Any], kind: str, data: Any) -> None:
    """Flips in the uncompressed XML (a zip's CRC would catch flips in the compressed bytes)."""
    members = read_members(world["files"][kind])
    name = data.draw(st.sampled_from(sorted(members)), label="member")
    flips = data.draw(
        st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=4)
    )
    members[name] = flip(members[name], flips)
    run(world, kind, write_zip(fresh(world, kind), members), oracle="resaved")


@given(kind=kinds, data=st.data())
def test_members_dropped_or_duplicated(world: dict[str, Any], kind: str, data: Any) -> None:
    members = list(read_members(world["files"][kind]).items())
    chosen = data.draw(st.permutations(members), label="order")
    dropped = data.draw(st.integers(0, len(members) - 1), label="dropped")
    twice = data.draw(st.integers(0, len(members) - 1), label="twice")
    if data.draw(st.booleans(), label="drop"):
        chosen = [m for i, m in enumerate(chosen) if i != dropped]
    else:
        chosen = [*chosen, chosen[twice]]
    path = fresh(world, kind)
    with (
        pytest.warns(UserWarning, match="Duplicate name")
        if len(chosen) > len(members)
        else (_nothing())
    ):
        write_zip(path, chosen)
    run(world, kind, path, oracle="good")


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# -- the cells ---------------------------------------------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.sampled_from(FORMULAS),
    st.text(max_size=40),
    st.text(min_size=1, max_size=3).map(lambda t: t * 40_000),  # 40k to 120k characters
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([6.5, -6, 0, 13, 2.0, -0.0, 1e300]),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)),
    st.sampled_from(
        ["31/02/2021", "2021-13-45", "13/13/13", "Tháng -3", "tháng 6,5", "#REF!", "#N/A", "  "]
    ),
)


@given(kind=kinds, data=st.data())
def test_cells_of_every_type(world: dict[str, Any], kind: str, data: Any) -> None:
    """Random values in random cells of the sheets the import reads (header rows included)."""
    book = openpyxl.load_workbook(world["files"][kind])
    for _ in range(data.draw(st.integers(1, 12), label="cells")):
        sheet = book[data.draw(st.sampled_from(KINDS[kind].sheets), label="sheet")]
        row = data.draw(st.integers(1, max(sheet.max_row, 2) + 1), label="row")
        column = data.draw(st.integers(1, sheet.max_column + 1), label="column")
        value = data.draw(cell_values, label="value")
        if isinstance(value, str):
            value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", value)
        if type(sheet.cell(row=row, column=column)).__name__ != "MergedCell":
            sheet.cell(row=row, column=column, value=value)
    path = fresh(world, kind)
    book.save(path)
    run(world, kind, path, oracle="clean")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_formulas_and_huge_cells_are_refused_with_their_place(
    world: dict[str, Any], kind: str
) -> None:
    book = openpyxl.load_workbook(world["files"][kind])
    sheet = book[KINDS[kind].sheets[-1]]
    header = {"plan": pw.M_TITLE, "checklist": cw.C_TEXT, "form": sw.C_NOTE}[kind]
    rows = list(sheet.iter_rows())
    column = next(c.column for row in rows for c in row if c.value == header)
    at = next(c.row for row in rows for c in row if c.value == header)
    data_rows = [
        r[0].row
        for r in rows[at:]
        if r[0].value and type(sheet.cell(row=r[0].row, column=column)).__name__ == "Cell"
    ]
    sheet.cell(row=data_rows[-1], column=column, value="=cmd|' /C calc'!A0")
    sheet.cell(row=data_rows[-2], column=column, value="x" * 100_000)
    path = fresh(world, kind)
    book.save(path)
    error = run(world, kind, path)
    assert isinstance(error, InputFileError), error
    text = str(error)
    assert "công thức" in text and "quá dài" in text, text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_empty_and_missing_sheets(world: dict[str, Any], kind: str) -> None:
    book = openpyxl.load_workbook(world["files"][kind])
    for name in KINDS[kind].sheets:
        sheet = book[name]
        sheet.delete_rows(1, sheet.max_row)
    path = fresh(world, kind)
    book.save(path)
    assert refused(run(world, kind, path))
    book = openpyxl.load_workbook(world["files"][kind])
    book.create_sheet("Khác")
    for name in KINDS[kind].sheets:
        del book[name]
    book.save(path)
    assert isinstance(run(world, kind, path), InputFileError)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_duplicate_headers_and_hundreds_of_columns(world: dict[str, Any], kind: str) -> None:
    book = openpyxl.load_workbook(world["files"][kind])
    for name in KINDS[kind].sheets:
        sheet = book[name]
        headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
        for column in range(sheet.max_column + 1, 400):
            sheet.cell(row=1, column=column, value=headers[column % len(headers)])
            sheet.cell(row=2, column=column, value=column)
    path = fresh(world, kind)
    book.save(path)
    run(world, kind, path, oracle="clean")


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_ten_thousand_rows(world: dict[str, Any], kind: str) -> None:
    book = openpyxl.load_workbook(world["files"][kind])
    sheet = book[KINDS[kind].sheets[-1]]
    template = [c.value for c in list(sheet.iter_rows())[-1]]
    for n in range(10_000):
        sheet.append([f"{v}-{n}" if isinstance(v, str) else v for v in template])
    path = fresh(world, kind)
    book.save(path)
    error = run(world, kind, path)
    assert isinstance(error, InputFileError)
    assert "quá 5.000 dòng" in str(error)


# -- raw XML: what no spreadsheet program writes -----------------------------------------------


def _sheet_part(world: dict[str, Any], kind: str) -> str:
    """The zip member of the first sheet the import reads."""
    names = read_members(world["files"][kind])
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
    return sheets[0]


@given(
    kind=kinds,
    raw=st.sampled_from(
        ["1e308", "-1e308", "1e20", "-5", "nan", "inf", "-inf", "abc", "", "99999999999", "0x1F"]
    ),
    cell_type=st.sampled_from(["n", "d", "b", "e", "s", "str", "inlineStr", "zz"]),
)
def test_raw_cell_values(world: dict[str, Any], kind: str, raw: str, cell_type: str) -> None:
    """Cell values openpyxl would never write: bad numbers, bad types, shared string indexes
    that point nowhere, date serials out of range (the plan's dates carry a date format)."""
    part = _sheet_part(world, kind)
    xml = read_members(world["files"][kind])[part].decode("utf-8")
    xml, count = re.subn(
        r'<c r="B(\d+)"([^>]*?)(?: t="\w+")?(/>|>.*?</c>)',
        lambda m: f'<c r="B{m[1]}"{m[2]} t="{cell_type}"><v>{raw}</v></c>',
        xml,
    )
    assert count
    run(world, kind, replace_member(world["files"][kind], fresh(world, kind), part, xml.encode()))


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("where", ["sheet", "sharedStrings"])
def test_billion_laughs(world: dict[str, Any], kind: str, where: str) -> None:
    members = read_members(world["files"][kind])
    part = _sheet_part(world, kind)
    if where == "sheet":
        xml = members[part].decode("utf-8")
        body = xml[xml.index("<worksheet") :].replace(
            "</sheetData>",
            '<row r="900"><c r="A900" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
            1,
        )
        members[part] = billion_laughs() + body.encode()
    else:
        members["xl/sharedStrings.xml"] = billion_laughs() + (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
            b' uniqueCount="1"><si><t>&lol9;</t></si></sst>'
        )
        declare_shared_strings(members)
    path = write_zip(fresh(world, kind), members)
    with MemoryWatch() as memory:
        error = run(world, kind, path)
    assert isinstance(error, InputFileError), error
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


def test_external_entity_is_refused(world: dict[str, Any]) -> None:
    members = read_members(world["files"]["plan"])
    part = _sheet_part(world, "plan")
    xml = members[part].decode("utf-8")
    body = xml[xml.index("<worksheet") :].replace(
        "</sheetData>",
        '<row r="900"><c r="A900" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData>',
        1,
    )
    members[part] = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        + body.encode()
    )
    assert isinstance(run(world, "plan", write_zip(fresh(world, "plan"), members)), InputFileError)


@pytest.fixture(scope="module")
def gigabyte_bomb(world: dict[str, Any]) -> Path:
    """A valid plan workbook whose first sheet inflates to 1 GB of zeros (about 1 MB on disk)."""
    members = read_members(world["files"]["plan"])
    path = world["root"] / "bomb.xlsx"
    return add_bomb_member(path, _sheet_part(world, "plan"), GB, members)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_zip_bomb_of_a_gigabyte(world: dict[str, Any], gigabyte_bomb: Path, kind: str) -> None:
    assert gigabyte_bomb.stat().st_size < 20 * MB
    with MemoryWatch() as memory:
        error = run(world, kind, gigabyte_bomb)
    assert isinstance(error, InputFileError) and "giải nén quá lớn" in str(error)
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_member_that_lies_about_its_size(world: dict[str, Any], kind: str) -> None:
    """A sheet declared 1 kB that inflates to 300 MB: never more than the declared bytes."""
    members = read_members(world["files"][kind])
    part = _sheet_part(world, kind)
    path = add_bomb_member(fresh(world, kind), part, 300 * MB, members)
    lie_about_size(path, part, 1000)
    with MemoryWatch() as memory:
        error = run(world, kind, path)
    assert isinstance(error, InputFileError)
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


def _repeated_part(
    path: Path,
    source: Path,
    part: str,
    head: bytes,
    unit: bytes,
    tail: bytes,
    size: int,
    shared: bool = False,
) -> Path:
    members = read_members(source)
    if shared:
        declare_shared_strings(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name != part:
                zf.writestr(name, data)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = unit * (MB // len(unit))
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(head)
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write(tail)
    return path


NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize("case", ["shared strings", "one wide row", "one huge cell"])
def test_repetitive_xml_within_the_size_limit(world: dict[str, Any], case: str) -> None:
    """Regression: 180 MB of tiny shared strings (a 450 kB file) took 2 GB and minutes in
    openpyxl; a row of millions of cells likewise. Now refused while streaming."""
    source = world["files"]["plan"]
    path = fresh(world, "plan")
    if case == "shared strings":
        _repeated_part(
            path,
            source,
            "xl/sharedStrings.xml",
            b"<sst " + NS + b">",
            b"<si><t>a</t></si>",
            b"</sst>",
            30 * MB,
            shared=True,
        )
    else:
        unit = b'<c t="n"><v>1</v></c>' if case == "one wide row" else b"x"
        head = b"<worksheet " + NS + b'><sheetData><row r="1">'
        if case == "one huge cell":
            head += b'<c t="inlineStr"><is><t>'
        tail = (b"</t></is></c>" if case == "one huge cell" else b"") + (
            b"</row></sheetData></worksheet>"
        )
        _repeated_part(path, source, _sheet_part(world, "plan"), head, unit, tail, 60 * MB)
    assert path.stat().st_size < 20 * MB
    with MemoryWatch() as memory:
        error = run(world, "plan", path)
    # Shared strings are now counted (workbook_io.MAX_SHARED_STRINGS) before their size tells.
    says = "chuỗi văn bản" if case == "shared strings" else "giải nén quá lớn"
    assert isinstance(error, InputFileError) and says in str(error)
    assert memory.peak < 50 * MB and memory.rss_growth < 200 * MB


def test_valid_files_still_import(world: dict[str, Any]) -> None:
    """The control: every untouched file goes in."""
    for kind in ("checklist", "form"):
        result = run(world, kind, world["files"][kind])
        assert not refused(result), result


def test_the_oracle_sees_a_workbook_read_otherwise(world: dict[str, Any]) -> None:
    """A checklist whose one text was changed goes in (a new version), and the "good" oracle
    every damaged zip gets would not let it pass as the good file."""
    book = openpyxl.load_workbook(world["files"]["checklist"])
    sheet = book[cw.SHEET]
    rows = list(sheet.iter_rows())
    header = next(c for row in rows for c in row if c.value == cw.C_TEXT)
    last = [r for r in rows[header.row :] if r[header.column - 1].value][-1]
    last[header.column - 1].value = "Nội dung do người khác sửa"
    path = fresh(world, "checklist")
    book.save(path)
    with pytest.raises(AssertionError, match="read otherwise than the good file"):
        run(world, "checklist", path, oracle="good")
