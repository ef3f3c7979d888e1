"""The plan workbook: template, import of pre- and post-2025 plans, refusal of bad files."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from db import Store
from db.migrations import SYNCED_TABLES
from desktop.services import plan_workbook as pw
from desktop.services.demo import sample_plan
from desktop.services.errors import InputFileError, Problem


def snapshot(store: Store) -> dict[str, tuple[int, str]]:
    """Row count and newest stamp of every table a plan import could touch."""
    out = {}
    for table in (*SYNCED_TABLES, "audit_log"):
        column = "hash" if table == "audit_log" else "hlc"
        row = store.db.execute(f"SELECT count(*), coalesce(max({column}), '') FROM {table}")
        out[table] = tuple(row.fetchone())
    return out


def example_file(tmp_path: Path) -> Path:
    return pw.write_template(tmp_path / "plan.xlsx", sample_plan())


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def write_plan(
    path: Path,
    plan: dict[str, Any],
    units: list[list[Any]],
    members: list[list[Any]],
) -> Path:
    """A workbook as a person would type it, starting from the empty template."""
    pw.write_template(path)

    def fill(book: Any) -> None:
        sheet = book[pw.SHEET_PLAN]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value in plan:
                row[1].value = plan[row[0].value]
        for values in units:
            book[pw.SHEET_UNITS].append(values)
        for values in members:
            book[pw.SHEET_MEMBERS].append(values)

    return edit(path, fill)


PLAN_2021 = {
    "Số kế hoạch": "21/KH-UBND",
    "Ngày ban hành": "02/02/2021",
    "Năm": 2021,
    "Cơ quan ban hành": "Ủy ban nhân dân tỉnh Sóc Trăng",
    "Niên độ từ": dt.datetime(2021, 1, 1),
    "Niên độ đến": "31/12/2021",
}
UNITS_2021 = [
    [1, "Sở Y tế", "Sở/ngành", None, 6, "Trực tiếp"],
    [2, "UBND huyện Mỹ Tú", "Huyện", None, "Tháng 8", "Trực tiếp"],
    [3, "UBND thị trấn Huỳnh Hữu Nghĩa", "Xã", "UBND huyện Mỹ Tú", None, None],
    [4, "Chi cục Dân số", "Đơn vị sự nghiệp", "Sở Y tế", 6, "Trực tuyến"],
]
MEMBERS = [
    ["Trần Văn Thắng", "Phó Giám đốc", "Sở Nội vụ", "Trưởng đoàn", "A1, A4,A5"],
    ["Lý Minh Đức", "Trưởng phòng", "Sở Thông tin và Truyền thông", "Thành viên", "A7"],
    ["Phan Thị Mỹ Duyên", "Chuyên viên", "Sở Nội vụ", "Thư ký", None],
]


def good_file(tmp_path: Path) -> Path:
    return write_plan(tmp_path / "good.xlsx", PLAN_2021, UNITS_2021, MEMBERS)


# -- the template ------------------------------------------------------------------------------


def test_template_sheets_headers_validations(tmp_path: Path, kiemtra: Any) -> None:
    out = tmp_path / "mau.xlsx"
    kiemtra("plan", "template", "-o", str(out))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Kế hoạch", "Đơn vị", "Đoàn kiểm tra", "Hướng dẫn"]
    labels = [c.value for c in book["Kế hoạch"]["A"]][1:]
    for field in ("Số kế hoạch", "Ngày ban hành", "Năm", "Cơ quan ban hành"):
        assert field in labels
    assert "Niên độ từ" in labels and "Niên độ đến" in labels
    units = book["Đơn vị"]
    assert [c.value for c in units[1]] == [
        "TT",
        "Tên đơn vị",
        "Cấp",
        "Trực thuộc",
        "Tháng kiểm tra",
        "Hình thức",
        "Ngày kiểm tra",
        "Tái kiểm tra của",
        "Tổ kiểm tra",
    ]
    members = book["Đoàn kiểm tra"]
    assert [c.value for c in members[1]] == [
        "Họ và tên",
        "Chức vụ",
        "Cơ quan",
        "Vai trò",
        "Lĩnh vực phụ trách",
        "Tổ kiểm tra",
        "Đơn vị phụ trách",
    ]
    for sheet in (units, members, book["Kế hoạch"]):
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["B"].width > 15
    lists = {
        str(v.sqref).split(":")[0][0]: v.formula1 for v in units.data_validations.dataValidation
    }
    assert lists["C"].startswith('"Sở/ngành,Đơn vị sự nghiệp,Chi cục,Phòng/Ban,Bộ phận Một cửa,')
    assert "Quận" in lists["C"] and "Phường" in lists["C"] and "Đặc khu" in lists["C"]
    assert lists["F"] == '"Trực tiếp,Trực tuyến,Đột xuất,Qua báo cáo,Tái kiểm tra"'
    (role,) = members.data_validations.dataValidation
    assert role.formula1 == '"Trưởng đoàn,Phó trưởng đoàn,Thành viên,Thư ký"'
    assert "D2" in str(role.sqref)
    assert "Trực thuộc" in "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"] if c.value)


def test_example_template_imports_soc_trang(tmp_path: Path, kiemtra: Any) -> None:
    out = tmp_path / "vidu.xlsx"
    kiemtra("plan", "template", "-o", str(out), "--example")
    book = openpyxl.load_workbook(out)
    assert book["Đơn vị"].max_row == 16
    assert book["Kế hoạch"]["B3"].value == dt.datetime(2021, 2, 2)
    summary = kiemtra.json("plan", "import", str(out))
    assert set(summary) == {"id", "number", "year", "units", "inspections", "members"}
    assert summary["number"] == "21/KH-UBND"
    assert summary["year"] == 2021
    assert (summary["units"], summary["inspections"], summary["members"]) == (15, 15, 7)
    visits = kiemtra.json("inspections", "--plan", summary["id"])
    by_unit = {v["unit"]: v for v in visits}
    assert by_unit["UBND Phường 5"]["parent_id"] == by_unit["UBND thành phố Sóc Trăng"]["id"]
    assert by_unit["Sở Y tế"]["parent_id"] is None


# -- importing ---------------------------------------------------------------------------------


def test_pre_2025_plan_with_districts_and_communes(tmp_path: Path, store: Store) -> None:
    summary = pw.import_plan(store, good_file(tmp_path))
    assert (summary["units"], summary["inspections"], summary["members"]) == (4, 4, 3)
    plan = store.planning.plan(summary["id"])
    assert plan is not None
    assert plan["issued_on"] == "2021-02-02"
    assert (plan["period_from"], plan["period_to"]) == ("2021-01-01", "2021-12-31")
    visits = {v["unit"]: v for v in store.planning.inspections(summary["id"])}
    district = visits["UBND huyện Mỹ Tú"]
    commune = visits["UBND thị trấn Huỳnh Hữu Nghĩa"]
    assert district["month"] == 8  # "Tháng 8"
    assert commune["parent_id"] == district["id"]
    assert commune["month"] == 8  # taken from its district
    assert commune["level"] == "xa" and district["level"] == "huyen"
    assert visits["Chi cục Dân số"]["mode"] == "truc-tuyen"
    assert visits["Chi cục Dân số"]["parent_id"] == visits["Sở Y tế"]["id"]
    unit = store.core.get_row("units", commune["unit_id"])
    assert unit is not None and unit["parent_id"] == district["unit_id"]
    members = store.planning.members(summary["id"])
    assert [m["role"] for m in members] == ["truong-doan", "thanh-vien", "thu-ky"]
    assert members[0]["areas"] == "A1,A4,A5"


def test_post_2025_plan_with_departments_and_communes_only(tmp_path: Path, store: Store) -> None:
    plan = dict(PLAN_2021)
    plan.update(
        {
            "Số kế hoạch": "45/KH-UBND",
            "Ngày ban hành": dt.datetime(2025, 9, 15),
            "Năm": 2025,
            "Cơ quan ban hành": "Ủy ban nhân dân tỉnh Cần Thơ",
            "Niên độ từ": "01/01/2025",
            "Niên độ đến": None,
        }
    )
    units = [
        [1, "Sở Nội vụ", "Sở/ngành", None, 10, "Trực tiếp"],
        [2, "UBND phường Sóc Trăng", "Xã", None, "tháng 10", "Trực tiếp"],
        [3, "UBND xã Mỹ Tú", "xã", None, "11", "Đột xuất"],
        [4, "Đặc khu Cù Lao Dung", "Đặc khu", None, 11.0, "Trực tuyến"],
    ]
    path = write_plan(tmp_path / "2025.xlsx", plan, units, MEMBERS[:1])
    summary = pw.import_plan(store, path)
    visits = store.planning.inspections(summary["id"])
    assert [(v["unit"], v["level"], v["month"]) for v in visits] == [
        ("Sở Nội vụ", "so", 10),
        ("UBND phường Sóc Trăng", "xa", 10),
        ("UBND xã Mỹ Tú", "xa", 11),
        ("Đặc khu Cù Lao Dung", "xa", 11),
    ]
    assert all(v["parent_id"] is None for v in visits)
    assert not any(v["level"] == "huyen" for v in visits)
    assert visits[2]["kind"] == "dot-xuat"
    assert store.planning.plan(summary["id"])["period_to"] is None  # type: ignore[index]


def test_decomposed_vietnamese_is_normalised(tmp_path: Path, store: Store) -> None:
    import unicodedata

    units = [[1, unicodedata.normalize("NFD", "Sở Y tế"), "Sở/ngành", None, 6, None]]
    path = write_plan(tmp_path / "nfd.xlsx", PLAN_2021, units, [])
    summary = pw.import_plan(store, path)
    (visit,) = store.planning.inspections(summary["id"])
    assert visit["unit"] == "Sở Y tế"


def test_same_plan_twice_is_refused(tmp_path: Path, store: Store) -> None:
    path = good_file(tmp_path)
    pw.import_plan(store, path)
    before = snapshot(store)
    with pytest.raises(Exception, match="Đã có kế hoạch số 21/KH-UBND"):
        pw.import_plan(store, path)
    assert snapshot(store) == before


# -- bad workbooks: refused whole, every problem located ---------------------------------------


def _set(sheet: str, cell: str, value: Any) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        book[sheet][cell] = value

    return change


def _delete_sheet(name: str) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        del book[name]

    return change


def _many_rows(book: Any) -> None:
    sheet = book["Đơn vị"]
    for n in range(5010):
        sheet.append([n, f"Đơn vị {n}", "Xã", None, 6, None])


# (change, sheet, row, column, value that must be quoted)
BAD_CASES: dict[str, tuple[Callable[[Any], None], str, int | None, str, Any]] = {
    "missing sheet": (_delete_sheet("Đoàn kiểm tra"), "Đoàn kiểm tra", None, "", None),
    "missing column": (_set("Đơn vị", "C1", "Loại"), "Đơn vị", 1, "Cấp", None),
    "unknown level": (_set("Đơn vị", "C2", "Tỉnh"), "Đơn vị", 2, "Cấp", "Tỉnh"),
    "unknown role": (
        _set("Đoàn kiểm tra", "D3", "Trưởng nhóm"),
        "Đoàn kiểm tra",
        3,
        "Vai trò",
        "Trưởng nhóm",
    ),
    "month 13": (_set("Đơn vị", "E2", 13), "Đơn vị", 2, "Tháng kiểm tra", 13),
    "month 0": (_set("Đơn vị", "E2", 0), "Đơn vị", 2, "Tháng kiểm tra", 0),
    "month text": (_set("Đơn vị", "E2", "giữa năm"), "Đơn vị", 2, "Tháng kiểm tra", "giữa năm"),
    "month fraction": (_set("Đơn vị", "E2", 6.5), "Đơn vị", 2, "Tháng kiểm tra", 6.5),
    "parent unknown": (
        _set("Đơn vị", "D4", "UBND huyện Kế Sách"),
        "Đơn vị",
        4,
        "Trực thuộc",
        "UBND huyện Kế Sách",
    ),
    "parent is itself": (_set("Đơn vị", "D2", "Sở Y tế"), "Đơn vị", 2, "Trực thuộc", "Sở Y tế"),
    "duplicate unit": (_set("Đơn vị", "B3", "SỞ Y TẾ"), "Đơn vị", 3, "Tên đơn vị", "SỞ Y TẾ"),
    "unknown area": (
        _set("Đoàn kiểm tra", "E2", "A1, A9"),
        "Đoàn kiểm tra",
        2,
        "Lĩnh vực phụ trách",
        "A9",
    ),
    "bad date": (
        _set("Kế hoạch", "B3", "31/02/2021"),
        "Kế hoạch",
        3,
        "Ngày ban hành",
        "31/02/2021",
    ),
    "bad period": (
        _set("Kế hoạch", "B6", "01/01/2022"),
        "Kế hoạch",
        7,
        "Niên độ đến",
        "31/12/2021",
    ),
    "empty number": (_set("Kế hoạch", "B2", None), "Kế hoạch", 2, "Số kế hoạch", None),
    "empty year": (_set("Kế hoạch", "B4", "  "), "Kế hoạch", 4, "Năm", None),
    "bad year": (_set("Kế hoạch", "B4", "hai nghìn"), "Kế hoạch", 4, "Năm", "hai nghìn"),
    "empty unit name": (_set("Đơn vị", "B3", None), "Đơn vị", 3, "Tên đơn vị", None),
    "empty level": (_set("Đơn vị", "C3", None), "Đơn vị", 3, "Cấp", None),
    "empty month": (_set("Đơn vị", "E2", None), "Đơn vị", 2, "Tháng kiểm tra", None),
    "empty member name": (_set("Đoàn kiểm tra", "A2", None), "Đoàn kiểm tra", 2, "Họ và tên", None),
    "unknown form": (_set("Đơn vị", "F2", "Bí mật"), "Đơn vị", 2, "Hình thức", "Bí mật"),
    "formula": (_set("Đơn vị", "E2", "=3+3"), "Đơn vị", 2, "Tháng kiểm tra", "=3+3"),
    "formula in plan": (
        _set("Kế hoạch", "B5", '=UPPER("x")'),
        "Kế hoạch",
        5,
        "Cơ quan ban hành",
        None,
    ),
    "text too long": (_set("Đơn vị", "B2", "Sở " * 800), "Đơn vị", 2, "Tên đơn vị", None),
    "excel error value": (_set("Đơn vị", "B2", "#REF!"), "Đơn vị", 2, "Tên đơn vị", "#REF!"),
    # Sub-units nest at any depth and under any level (issue 17); a loop is refused.
    "parents in a loop": (
        _set("Đơn vị", "D3", "UBND thị trấn Huỳnh Hữu Nghĩa"),
        "Đơn vị",
        3,
        "Trực thuộc",
        "UBND thị trấn Huỳnh Hữu Nghĩa",
    ),
    "too many rows": (_many_rows, "Đơn vị", 5001, "", None),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_workbook_is_refused_whole(tmp_path: Path, store: Store, case: str) -> None:
    change, sheet, row, column, value = BAD_CASES[case]
    path = edit(good_file(tmp_path), change)
    before = snapshot(store)
    with pytest.raises(InputFileError) as caught:
        pw.import_plan(store, path)
    assert snapshot(store) == before
    located = [
        p for p in caught.value.problems if (p.sheet, p.row, p.column) == (sheet, row, column)
    ]
    assert located, caught.value.problems
    if value is not None:
        assert any(value == p.value or str(value) in str(p.value) for p in located), located
    assert str(caught.value).startswith("Tệp good.xlsx bị từ chối")


def test_every_problem_is_listed_at_once(tmp_path: Path, store: Store) -> None:
    def break_many(book: Any) -> None:
        book["Kế hoạch"]["B3"] = "hôm qua"
        book["Đơn vị"]["C2"] = "Bộ"
        book["Đơn vị"]["E3"] = 14
        book["Đơn vị"]["D4"] = "Không ai"
        book["Đoàn kiểm tra"]["D2"] = "Trưởng ban"
        book["Đoàn kiểm tra"]["E3"] = "Z1"

    path = edit(good_file(tmp_path), break_many)
    with pytest.raises(InputFileError) as caught:
        pw.read_plan(path, ["A1", "A7"])
    where = {(p.sheet, p.row, p.column) for p in caught.value.problems}
    assert where >= {
        ("Kế hoạch", 3, "Ngày ban hành"),
        ("Đơn vị", 2, "Cấp"),
        ("Đơn vị", 3, "Tháng kiểm tra"),
        ("Đơn vị", 4, "Trực thuộc"),
        ("Đoàn kiểm tra", 2, "Vai trò"),
        ("Đoàn kiểm tra", 3, "Lĩnh vực phụ trách"),
    }
    text = str(caught.value)
    assert "trang tính “Đơn vị”, dòng 3, cột “Tháng kiểm tra”" in text
    assert "“Không ai”" in text


def test_problem_reads_well() -> None:
    problem = Problem("Đơn vị", 7, "Cấp", "Tỉnh", "không hợp lệ")
    assert str(problem) == "trang tính “Đơn vị”, dòng 7, cột “Cấp”: không hợp lệ (giá trị: “Tỉnh”)"


# -- files that are not workbooks --------------------------------------------------------------


def _truncated(tmp_path: Path) -> Path:
    data = example_file(tmp_path).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _random(tmp_path: Path) -> Path:
    import random

    path = tmp_path / "random.xlsx"
    path.write_bytes(random.Random(7).randbytes(5000))
    return path


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_text("TT,Tên đơn vị,Cấp\n1,Sở Y tế,Sở/ngành\n", encoding="utf-8")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    return path


def _other_zip(tmp_path: Path) -> Path:
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "không phải sổ tính")
    return path


def _broken_xml(tmp_path: Path) -> Path:
    source = example_file(tmp_path)
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("sheet2.xml"):
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    return path


def _zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    return path


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "folder.xlsx"
    path.mkdir()
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated": (_truncated, "không phải là sổ tính Excel hợp lệ"),
    "random bytes": (_random, "không phải là sổ tính Excel hợp lệ"),
    "csv renamed": (_csv, "không phải là sổ tính Excel hợp lệ"),
    "empty file": (_empty, "không phải là sổ tính Excel hợp lệ"),
    "zip of something else": (_other_zip, "không phải là sổ tính Excel hợp lệ"),
    "broken sheet xml": (_broken_xml, "không phải là sổ tính Excel hợp lệ"),
    "zip bomb": (_zip_bomb, "giải nén quá lớn"),
    "over 20 MB": (_huge, "quá lớn"),
    "a folder": (_directory, "không phải là sổ tính Excel hợp lệ"),
    "missing": (lambda tmp: tmp / "khong-co.xlsx", "Không tìm thấy tệp"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_file_is_refused(tmp_path: Path, store: Store, case: str) -> None:
    make, message = HOSTILE[case]
    path = make(tmp_path)
    before = snapshot(store)
    with pytest.raises(InputFileError, match=message):
        pw.import_plan(store, path)
    assert snapshot(store) == before


def test_workbook_with_another_extension_is_still_read(tmp_path: Path, store: Store) -> None:
    path = good_file(tmp_path).rename(tmp_path / "ke-hoach.dat")
    assert pw.import_plan(store, path)["units"] == 4


# -- the command line --------------------------------------------------------------------------


def test_cli_refuses_bad_file_with_located_problems(tmp_path: Path, kiemtra: Any) -> None:
    kiemtra("init")
    path = edit(good_file(tmp_path), _set("Đơn vị", "E3", 13))
    with _opened(kiemtra.db_path) as store:
        before = snapshot(store)
    result = kiemtra("plan", "import", str(path), "--json", ok=False)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.startswith("Lỗi: Tệp good.xlsx bị từ chối")
    assert "dòng 3, cột “Tháng kiểm tra”" in result.stderr
    with _opened(kiemtra.db_path) as store:
        assert snapshot(store) == before
    assert kiemtra.json("plans") == []


def test_cli_refuses_random_bytes(tmp_path: Path, kiemtra: Any) -> None:
    result = kiemtra("plan", "import", str(_random(tmp_path)), ok=False)
    assert result.exit_code != 0
    assert "không phải là sổ tính Excel hợp lệ" in result.stderr
    assert kiemtra.json("plans") == []


class _opened:
    def __init__(self, path: Path) -> None:
        self.store = Store.open(path)

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def test_template_month_accepts_only_whole_numbers_1_to_12(tmp_path: Path, kiemtra: Any) -> None:
    out = tmp_path / "mau.xlsx"
    kiemtra("plan", "template", "-o", str(out))
    units = openpyxl.load_workbook(out)["Đơn vị"]
    assert units["E1"].value == "Tháng kiểm tra"
    (month,) = [v for v in units.data_validations.dataValidation if v.type == "whole"]
    assert (month.operator, month.formula1, month.formula2) == ("between", "1", "12")
    assert str(month.sqref).startswith("E2:E") and month.showErrorMessage


def test_template_asks_for_province_or_city_and_reads_the_old_label(tmp_path: Path) -> None:
    path = pw.write_template(tmp_path / "kh.xlsx")
    labels = [c.value for c in openpyxl.load_workbook(path)["Kế hoạch"]["A"]]
    assert "Tỉnh/Thành phố" in labels and "Tỉnh" not in labels
    # A template filled in before the label changed is still read.
    old = write_plan(
        tmp_path / "cu.xlsx", {**PLAN_2021, "Tỉnh/Thành phố": "Hà Nội"}, UNITS_2021, []
    )
    book = openpyxl.load_workbook(old)
    for row in book["Kế hoạch"].iter_rows():
        if row[0].value == "Tỉnh/Thành phố":
            row[0].value = "Tỉnh"
    book.save(old)
    assert pw.read_plan(old, []).province == "Hà Nội"
