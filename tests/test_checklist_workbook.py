"""The checklist as an editable workbook: export, import as a new version, refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from desktop.domain import UnitLevel
from desktop.services import checklist_workbook as cw
from desktop.services.checklists import ensure_checklist
from desktop.services.errors import InputFileError
from desktop.services.plans import PlanSpec, UnitSpec, create_plan

HEADERS = [
    "Mã lĩnh vực",
    "Tên lĩnh vực",
    "Điểm lĩnh vực",
    "Mã tiêu chí",
    "Tên tiêu chí",
    "Mã nội dung",
    "Nội dung",
    "Hướng dẫn",
    "Căn cứ pháp lý",
    "Loại đánh giá",
    "Điểm tối đa",
    "Cấp áp dụng",
    "Tài liệu kiểm chứng",
    "Ngưỡng",
]


def exported(store: Store, tmp_path: Path) -> Path:
    return cw.export_checklist(store, tmp_path / "tieu-chi.xlsx")


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def row_of(sheet: Any, code: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[5].value == code:
            return int(row[5].row)
    raise AssertionError(code)


def versions(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM checklist_versions").fetchone()[0])


def test_export_sheets_headers_and_lists(tmp_path: Path, kiemtra: Any) -> None:
    out = tmp_path / "tc.xlsx"
    kiemtra("checklist", "export", "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tiêu chí", "Hướng dẫn"]
    sheet = book["Tiêu chí"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["G"].width >= 40
    shown = kiemtra.json("checklist", "show")
    assert sheet.max_row - 1 == sum(len(a["items"]) for a in shown["areas"])
    first = [c.value for c in sheet[2]]
    assert first[0] == "A1" and first[5] == "A1.1.1" and first[11] == "S,D,H,X"
    (types,) = sheet.data_validations.dataValidation
    assert "Có/Không" in types.formula1 and str(types.sqref).startswith("J2")
    percent = sheet[row_of(sheet, "A1.1.3")]
    assert percent[9].value == "Tỷ lệ %"
    assert percent[13].value.startswith("100:1:dat; 90:0.75:mot-phan")
    assert "S: sở/ngành" in "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)


def test_round_trip_equal_apart_from_version(tmp_path: Path, kiemtra: Any) -> None:
    before = kiemtra.json("checklist", "show")
    out = tmp_path / "tc.xlsx"
    kiemtra("checklist", "export", "-o", str(out))
    summary = kiemtra.json("checklist", "import", str(out))
    assert summary["version"] == f"{before['version']}-2"
    after = kiemtra.json("checklist", "show")
    assert after["version"] == summary["version"]
    assert {**after, "version": None} == {**before, "version": None}


def test_round_trip_keeps_every_field(tmp_path: Path, store: Store) -> None:
    old_id = ensure_checklist(store)
    summary = cw.import_checklist(store, exported(store, tmp_path), version="2027.1")
    assert store.checklists.current_checklist_version() == summary["id"] != old_id
    old, new = store.checklists.checklist(old_id), store.checklists.checklist(summary["id"])
    assert new["version"] == "2027.1"
    assert new["areas"] == old["areas"]  # guidance, legal basis, evidence, thresholds too


def test_explicit_version_that_exists_is_refused(tmp_path: Path, store: Store) -> None:
    path = exported(store, tmp_path)
    cw.import_checklist(store, path, version="2027.1")
    count = versions(store)
    with pytest.raises(Exception, match="Đã có phiên bản bộ tiêu chí “2027.1”"):
        cw.import_checklist(store, path, version="2027.1")
    assert versions(store) == count


def test_inspections_keep_their_version(tmp_path: Path, store: Store) -> None:
    old_plan = create_plan(
        store,
        PlanSpec("1/KH-UBND", 2024, "UBND tỉnh", units=[UnitSpec("Sở Y tế", UnitLevel.SO, 6)]),
    )
    (old_visit,) = store.planning.inspections(old_plan)
    old_items = store.findings.inspection_items(old_visit["id"])

    def reword(book: Any) -> None:
        sheet = book["Tiêu chí"]
        sheet.cell(row=row_of(sheet, "A1.1.1"), column=7).value = "Ban hành Kế hoạch CCHC năm mới"
        sheet.delete_rows(row_of(sheet, "A1.1.2"))

    path = edit(exported(store, tmp_path), reword)
    summary = cw.import_checklist(store, path, version="2025.2")
    # The visit created before keeps its items...
    assert store.findings.inspection_items(old_visit["id"]) == old_items
    assert old_items[0]["text"].startswith("Ban hành Kế hoạch CCHC năm kịp thời")
    assert any(i["code"] == "A1.1.2" for i in old_items)
    # ...a plan created after uses the new version.
    new_plan = create_plan(
        store,
        PlanSpec("2/KH-UBND", 2025, "UBND tỉnh", units=[UnitSpec("Sở Y tế", UnitLevel.SO, 6)]),
    )
    (new_visit,) = store.planning.inspections(new_plan)
    assert new_visit["checklist_version_id"] == summary["id"]
    new_items = store.findings.inspection_items(new_visit["id"])
    assert new_items[0]["text"] == "Ban hành Kế hoạch CCHC năm mới"
    assert not any(i["code"] == "A1.1.2" for i in new_items)
    assert len(new_items) == len(old_items) - 1


def test_edited_points_and_levels_are_imported(tmp_path: Path, kiemtra: Any) -> None:
    out = tmp_path / "tc.xlsx"
    kiemtra("checklist", "export", "-o", str(out))

    def change(book: Any) -> None:
        sheet = book["Tiêu chí"]
        row = row_of(sheet, "A1.1.2")
        sheet.cell(row=row, column=11).value = "1,5"
        sheet.cell(row=row, column=12).value = "x, h"
        sheet.cell(row=row, column=10).value = "YES_NO"
        sheet.cell(row=row, column=2).value = None  # blank area name = same as above

    edit(out, change)
    kiemtra("checklist", "import", str(out), "--version", "sua-1")
    shown = kiemtra.json("checklist", "show")
    item = next(i for i in shown["areas"][0]["items"] if i["code"] == "A1.1.2")
    assert item["max_score"] == 1.5
    assert item["levels"] == ["H", "X"]
    assert shown["version"] == "sua-1"


def test_thresholds_text_and_json() -> None:
    parsed = cw.parse_thresholds("≥100:1:dat; 90:0,75:Đạt một phần; 0:0:khong-dat")
    assert parsed == [
        {"min": 100, "ratio": 1.0, "result": "dat"},
        {"min": 90, "ratio": 0.75, "result": "mot-phan"},
        {"min": 0, "ratio": 0.0, "result": "khong-dat"},
    ]
    assert cw.parse_thresholds(cw.thresholds_text(parsed)) == parsed
    assert cw.parse_thresholds('[{"min": 50, "ratio": 1, "result": "dat"}]')[0]["min"] == 50
    for bad in ("100:2:dat", "100:1", "a:1:dat", "100:1:tot lam", "[1, 2]"):
        with pytest.raises((ValueError, KeyError, TypeError)):
            cw.parse_thresholds(bad)


def _cell(code: str, column: int, value: Any) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        sheet = book["Tiêu chí"]
        sheet.cell(row=row_of(sheet, code), column=column).value = value

    return change


def _rename_header(book: Any) -> None:
    book["Tiêu chí"]["L1"] = "Cấp"


def _drop_sheet(book: Any) -> None:
    book["Tiêu chí"].title = "Sheet1"


# change, row code (None: no row), column, value
BAD: dict[str, tuple[Callable[[Any], None], str | None, str, Any]] = {
    "unknown type": (_cell("A1.1.1", 10, "Đánh đố"), "A1.1.1", "Loại đánh giá", "Đánh đố"),
    "bad levels": (_cell("A1.1.1", 12, "S,Q"), "A1.1.1", "Cấp áp dụng", "S,Q"),
    "no levels": (_cell("A1.1.1", 12, None), "A1.1.1", "Cấp áp dụng", None),
    "negative points": (_cell("A1.1.1", 11, -1), "A1.1.1", "Điểm tối đa", -1),
    "text points": (_cell("A1.1.1", 11, "một"), "A1.1.1", "Điểm tối đa", "một"),
    "duplicate code": (_cell("A1.1.2", 6, "A1.1.1"), None, "Mã nội dung", "A1.1.1"),
    "bad thresholds": (_cell("A1.1.3", 14, "100 điểm"), "A1.1.3", "Ngưỡng", "100 điểm"),
    "empty text": (_cell("A1.1.1", 7, None), "A1.1.1", "Nội dung", None),
    "conflicting area name": (_cell("A1.1.2", 2, "Lĩnh vực khác"), "A1.1.2", "Tên lĩnh vực", None),
    "formula": (_cell("A1.1.1", 11, "=1+1"), "A1.1.1", "Điểm tối đa", "=1+1"),
    "missing column": (_rename_header, None, "Cấp áp dụng", None),
    "missing sheet": (_drop_sheet, None, "", None),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_checklist_is_refused_whole(tmp_path: Path, store: Store, case: str) -> None:
    change, code, column, value = BAD[case]
    path = exported(store, tmp_path)
    row = row_of(openpyxl.load_workbook(path)["Tiêu chí"], code) if code else None
    edit(path, change)
    count = versions(store)
    with pytest.raises(InputFileError) as caught:
        cw.import_checklist(store, path)
    assert versions(store) == count
    hits = [p for p in caught.value.problems if p.column == column and p.sheet in ("Tiêu chí",)]
    assert hits, caught.value.problems
    if row is not None:
        assert any(p.row == row for p in hits), hits
    if value is not None:
        assert any(p.value == value for p in hits), hits


def test_cli_import_of_random_bytes_fails(tmp_path: Path, kiemtra: Any) -> None:
    path = tmp_path / "tc.xlsx"
    path.write_bytes(b"\x00\x01garbage" * 100)
    before = kiemtra.json("checklist", "show")["version"]
    result = kiemtra("checklist", "import", str(path), ok=False)
    assert result.exit_code != 0
    assert "không phải là sổ tính Excel hợp lệ" in result.stderr
    assert kiemtra.json("checklist", "show")["version"] == before


def test_guidance_beginning_with_equals_stays_text(tmp_path: Path, store: Store) -> None:
    link = '=HYPERLINK("http://evil.example","Xem")'
    path = exported(store, tmp_path)
    book = openpyxl.load_workbook(path)
    cell = book[cw.SHEET]["H2"]  # guidance of the first item, typed as text
    cell.value = link
    cell.data_type = "s"
    book.save(path)
    first = cw.import_checklist(store, path, version="2027.1")
    again = cw.export_checklist(store, tmp_path / "lai.xlsx", first["id"])
    written = openpyxl.load_workbook(again)[cw.SHEET]["H2"]
    assert (written.value, written.data_type) == (link, "s")
    second = cw.import_checklist(store, again, version="2027.2")
    items = [
        i["guidance"]
        for v in (first, second)
        for i in store.checklists.checklist(v["id"])["areas"][0]["criteria"][0]["items"][:1]
    ]
    assert items == [link, link]


def test_a_part_the_streaming_reader_skips_is_still_checked(tmp_path: Path, store: Store) -> None:
    """A column format openpyxl cannot read (found by the byte-flip fuzzer) refuses the file:
    what is accepted opens in Excel and openpyxl too."""
    import zipfile

    path = exported(store, tmp_path)
    with zipfile.ZipFile(path) as zf:
        members = {info.filename: zf.read(info) for info in zf.infolist()}
    sheet = "xl/worksheets/sheet2.xml"
    assert b"customWidth" in members[sheet]
    members[sheet] = members[sheet].replace(b"customWidth", b"customWiduh", 1)
    broken = tmp_path / "hong.xlsx"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(InputFileError):
        cw.read_checklist(broken)
