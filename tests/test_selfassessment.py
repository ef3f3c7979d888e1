"""The self-assessment / inspection form: the workbook written and read back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from desktop.domain import UnitLevel
from desktop.services import selfassessment_workbook as sa
from desktop.services.errors import InputFileError
from desktop.services.plans import PlanSpec, UnitSpec, create_plan

HEADERS = [
    "TT/Mã",
    "Nội dung",
    "Điểm tối đa",
    "Tự đánh giá",
    "Điểm tự chấm",
    "Tài liệu kiểm chứng",
    "Kết quả",
    "Điểm",
    "Nhận xét",
]


@pytest.fixture
def visit(store: Store) -> str:
    plan = create_plan(
        store,
        PlanSpec(
            "21/KH-UBND",
            2021,
            "Ủy ban nhân dân tỉnh Sóc Trăng",
            units=[
                UnitSpec("UBND huyện Mỹ Tú", UnitLevel.HUYEN, 8),
                UnitSpec("UBND xã Mỹ Hương", UnitLevel.XA, 8, "UBND huyện Mỹ Tú"),
            ],
        ),
    )
    return str(store.planning.inspections(plan)[0]["id"])


def findings_dump(store: Store) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in store.db.execute(
            "SELECT id, result, score, note, self_result, self_score, self_evidence, hlc "
            "FROM findings ORDER BY id"
        ).fetchall()
    ]


def form(store: Store, visit: str, tmp_path: Path) -> Path:
    return sa.write_form(store, visit, tmp_path / "phieu.xlsx")


def row_of(sheet: Any, code: str) -> int:
    for row in sheet.iter_rows(min_row=sa.HEADER_ROW + 1):
        if row[0].value == code:
            return int(row[0].row)
    raise AssertionError(code)


def fill(path: Path, rows: dict[str, dict[int, Any]]) -> Path:
    """Type values into the form: {item code: {column number: value}}."""
    book = openpyxl.load_workbook(path)
    sheet = book[sa.SHEET]
    for code, cells in rows.items():
        for column, value in cells.items():
            sheet.cell(row=row_of(sheet, code), column=column).value = value
    book.save(path)
    return path


def test_template_is_a_printable_form(
    tmp_path: Path, store: Store, visit: str, kiemtra: Any
) -> None:
    out = tmp_path / "phieu.xlsx"
    kiemtra("findings", "template", visit, "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Phiếu đánh giá", "Hướng dẫn"]
    ws = book["Phiếu đánh giá"]
    assert "PHIẾU TỰ ĐÁNH GIÁ" in ws["A1"].value
    assert ws["A2"].value == "Đơn vị được kiểm tra: UBND huyện Mỹ Tú"
    assert "21/KH-UBND" in ws["A3"].value and "Sóc Trăng" in ws["A3"].value
    assert [c.value for c in ws[sa.HEADER_ROW]] == HEADERS
    assert ws.freeze_panes == f"C{sa.HEADER_ROW + 1}"
    # area header rows, then criteria, then items
    first = [c.value for c in ws[sa.HEADER_ROW + 1]][:3]
    assert first == ["A1", "Công tác chỉ đạo, điều hành CCHC", 12]
    assert ws.cell(row=sa.HEADER_ROW + 2, column=1).value == "A1.1"
    items = store.findings.inspection_items(visit)
    codes = [r[0].value for r in ws.iter_rows(min_row=sa.HEADER_ROW + 1)]
    assert [c for c in codes if c.count(".") == 2] == [i["code"] for i in items]
    assert ws.cell(row=row_of(ws, items[0]["code"]), column=2).alignment.wrap_text
    lists = {str(v.sqref)[0]: v for v in ws.data_validations.dataValidation if v.type == "list"}
    expected = '"Đạt,Đạt một phần,Không đạt,Không áp dụng"'
    assert lists["D"].formula1 == expected and lists["G"].formula1 == expected
    assert str(lists["D"].sqref) == f"D{sa.HEADER_ROW + 1}:D{ws.max_row}"
    scores = {str(v.sqref)[0] for v in ws.data_validations.dataValidation if v.type == "decimal"}
    assert scores == {"E", "H"}
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert str(ws.print_title_rows) == "$5:$6"


def test_commune_form_lists_only_commune_items(tmp_path: Path, store: Store, visit: str) -> None:
    commune = [i for i in store.planning.inspections() if i["level"] == "xa"][0]["id"]
    ws = openpyxl.load_workbook(sa.write_form(store, commune, tmp_path / "xa.xlsx"))[sa.SHEET]
    codes = [
        r[0].value for r in ws.iter_rows(min_row=sa.HEADER_ROW + 1) if r[0].value.count(".") == 2
    ]
    assert codes == [i["code"] for i in store.findings.inspection_items(commune)]
    assert all("X" in i["levels"] for i in store.findings.inspection_items(commune))


def test_self_assessment_round_trip(tmp_path: Path, store: Store, visit: str, kiemtra: Any) -> None:
    out = tmp_path / "phieu.xlsx"
    kiemtra("findings", "template", visit, "-o", str(out))
    fill(
        out,
        {
            "A1.1.1": {4: "Đạt", 5: 1, 6: "Kế hoạch số 120/KH-UBND ngày 25/12/2020"},
            "A1.1.3": {4: "đạt một phần", 5: "1,5"},
            "A2.1.1": {6: "Báo cáo số 15/BC-UBND"},
        },
    )
    assert kiemtra.json("findings", "import", visit, str(out), "--as", "self") == {
        "updated": 3,
        "unchanged": len(store.findings.inspection_items(visit)) - 3,
    }
    rows = {r["code"]: r for r in store.findings.inspection_items(visit)}
    assert rows["A1.1.1"]["self_result"] == "dat"
    assert rows["A1.1.1"]["self_score"] == 1
    assert rows["A1.1.1"]["self_evidence"] == "Kế hoạch số 120/KH-UBND ngày 25/12/2020"
    assert (rows["A1.1.3"]["self_result"], rows["A1.1.3"]["self_score"]) == ("mot-phan", 1.5)
    assert rows["A2.1.1"]["self_result"] is None
    assert rows["A1.1.1"]["result"] is None  # the inspectors' side is untouched
    # The same file again changes nothing; a fresh template shows what was recorded.
    again = kiemtra.json("findings", "import", visit, str(out), "--as", "self")
    assert again["updated"] == 0
    ws = openpyxl.load_workbook(sa.write_form(store, visit, tmp_path / "lai.xlsx"))[sa.SHEET]
    assert ws.cell(row=row_of(ws, "A1.1.3"), column=4).value == "Đạt một phần"


def test_inspector_import(tmp_path: Path, store: Store, visit: str) -> None:
    path = fill(
        form(store, visit, tmp_path),
        {
            "A1.1.1": {7: "Đạt"},  # no score: full marks, as `finding set` does
            "A1.1.2": {7: "Không đạt", 9: "Chưa phân công đơn vị chủ trì"},
            "A1.1.3": {7: "Đạt một phần", 8: 0.5},
            "A1.2.1": {4: "Đạt"},  # a self-assessment cell: ignored when importing the inspectors'
        },
    )
    assert sa.import_form(store, visit, path, "inspector") == {
        "updated": 3,
        "unchanged": len(store.findings.inspection_items(visit)) - 3,
    }
    rows = {r["code"]: r for r in store.findings.inspection_items(visit)}
    assert (rows["A1.1.1"]["result"], rows["A1.1.1"]["score"]) == (
        "dat",
        rows["A1.1.1"]["max_score"],
    )
    assert (rows["A1.1.2"]["result"], rows["A1.1.2"]["score"]) == ("khong-dat", 0.0)
    assert rows["A1.1.2"]["note"] == "Chưa phân công đơn vị chủ trì"
    assert rows["A1.1.3"]["score"] == 0.5
    assert rows["A1.2.1"]["self_result"] is None
    assert store.planning.inspection(visit)["status"] == "dang-kiem-tra"  # type: ignore[index]


def test_rows_are_matched_by_code_not_position(tmp_path: Path, store: Store, visit: str) -> None:
    path = form(store, visit, tmp_path)
    book = openpyxl.load_workbook(path)
    ws = book[sa.SHEET]
    ws.delete_rows(sa.HEADER_ROW + 1, 5)  # area/criterion headings and a few items gone
    ws.cell(row=row_of(ws, "A2.1.1"), column=7).value = "Không áp dụng"
    book.save(path)
    assert sa.import_form(store, visit, path, "inspector")["updated"] == 1
    assert {r["code"]: r for r in store.findings.inspection_items(visit)}["A2.1.1"]["result"] == (
        "khong-ap-dung"
    )


def _other_inspection(book: Any) -> None:
    book[sa.SHEET]["B4"] = "00000000-0000-0000-0000-000000000000"


def _set(code: str, column: int, value: Any) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        ws = book[sa.SHEET]
        ws.cell(row=row_of(ws, code), column=column).value = value

    return change


# change, side, column, value
BAD: dict[str, tuple[Callable[[Any], None], str, str, Any]] = {
    "unknown code": (_set("A1.1.2", 1, "A9.9.9"), "self", "TT/Mã", "A9.9.9"),
    "unknown self result": (_set("A1.1.2", 4, "Tốt lắm"), "self", "Tự đánh giá", "Tốt lắm"),
    "unknown result": (_set("A1.1.2", 7, "Xuất sắc"), "inspector", "Kết quả", "Xuất sắc"),
    "self score too high": (_set("A1.1.2", 5, 99), "self", "Điểm tự chấm", 99),
    "negative score": (_set("A1.1.2", 8, -0.5), "inspector", "Điểm", -0.5),
    "text score": (_set("A1.1.2", 8, "một điểm"), "inspector", "Điểm", "một điểm"),
    "formula score": (_set("A1.1.2", 8, "=C9"), "inspector", "Điểm", "=C9"),
    "duplicate row": (_set("A1.1.2", 1, "A1.1.1"), "inspector", "TT/Mã", "A1.1.1"),
    "answer without code": (_set("A1.1.2", 1, None), "inspector", "TT/Mã", None),
    "other inspection": (_other_inspection, "self", "Mã cuộc kiểm tra", None),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_rows_refuse_the_whole_file(
    tmp_path: Path, store: Store, visit: str, case: str
) -> None:
    change, side, column, value = BAD[case]
    good = {"A1.1.1": {4: "Đạt", 7: "Đạt", 9: "Tốt"}, "A1.1.2": {4: "Đạt", 7: "Đạt"}}
    path = fill(form(store, visit, tmp_path), good)
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    before = findings_dump(store)
    with pytest.raises(InputFileError) as caught:
        sa.import_form(store, visit, path, side)  # type: ignore[arg-type]
    assert findings_dump(store) == before
    hits = [p for p in caught.value.problems if p.column == column and p.sheet == sa.SHEET]
    assert hits and all(p.row for p in hits), caught.value.problems
    if value is not None:
        assert any(p.value == value for p in hits), hits


def test_cli_refuses_bad_form_and_writes_nothing(
    tmp_path: Path, store: Store, visit: str, kiemtra: Any
) -> None:
    path = fill(form(store, visit, tmp_path), {"A1.1.1": {7: "Đạt"}, "A1.1.3": {8: 7}})
    before = findings_dump(store)
    result = kiemtra("findings", "import", visit, str(path), "--as", "inspector", ok=False)
    assert result.exit_code != 0
    assert "cột “Điểm”" in result.stderr and "0–2" in result.stderr
    assert findings_dump(store) == before
    assert kiemtra.json("findings", visit)[0]["result"] is None


def test_cli_requires_a_side_and_a_known_inspection(
    tmp_path: Path, visit: str, kiemtra: Any
) -> None:
    out = tmp_path / "p.xlsx"
    assert kiemtra("findings", "import", visit, str(out), ok=False).exit_code != 0
    missing = kiemtra("findings", "template", "khong-co", "-o", str(out), ok=False)
    assert missing.exit_code != 0 and "Không có cuộc kiểm tra" in missing.stderr
    assert not out.exists()


def test_random_bytes_are_refused(tmp_path: Path, store: Store, visit: str) -> None:
    path = tmp_path / "phieu.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(InputFileError, match="không phải là sổ tính Excel hợp lệ"):
        sa.import_form(store, visit, path, "self")
