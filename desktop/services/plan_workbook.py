"""The plan workbook: a template to fill in, and reading it back into a PlanSpec.

Sheets: "Kế hoạch" (label | value), "Đơn vị" (the schedule), "Đoàn kiểm tra" (the
delegation), "Hướng dẫn". A file with any problem is refused whole with every problem listed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from db import Store
from desktop.domain import (
    LEVEL_NAMES,
    InspectionKind,
    InspectionMode,
    LevelName,
    Role,
    fold,
    level_name,
    nfc,
)
from desktop.services.checklists import load_default
from desktop.services.errors import Problem, UserError
from desktop.services.plans import MemberSpec, PlanSpec, UnitSpec, create_plan, update_plan
from desktop.services.workbook_io import (
    BAD,
    Record,
    Sheet,
    add_instructions,
    add_list,
    key,
    read_workbook,
    refused,
    save_workbook,
    write_header,
)

SHEET_PLAN = "Kế hoạch"
SHEET_UNITS = "Đơn vị"
SHEET_MEMBERS = "Đoàn kiểm tra"

# "Kế hoạch": label | value
F_NUMBER = "Số kế hoạch"
F_ISSUED = "Ngày ban hành"
F_YEAR = "Năm"
F_ISSUER = "Cơ quan ban hành"
F_FROM = "Niên độ từ"
F_TO = "Niên độ đến"
F_PROVINCE = "Tỉnh/Thành phố"  # a centrally-run city is no tỉnh (desktop.domain.locality)
F_PROVINCE_OLD = "Tỉnh"  # the label of earlier templates, still read
F_TITLE = "Tên kế hoạch"
PLAN_FIELDS = (F_NUMBER, F_ISSUED, F_YEAR, F_ISSUER, F_FROM, F_TO, F_PROVINCE, F_TITLE)
PLAN_REQUIRED = (F_NUMBER, F_ISSUED, F_YEAR, F_ISSUER)
PLAN_LABEL = "Thông tin"
PLAN_VALUE = "Giá trị"

# "Đơn vị"
C_TT = "TT"
C_NAME = "Tên đơn vị"
C_LEVEL = "Cấp"
C_PARENT = "Trực thuộc"
C_MONTH = "Tháng kiểm tra"
C_FORM = "Hình thức"
C_DATE = "Ngày kiểm tra"
C_REINSPECTS = "Tái kiểm tra của"
C_TEAM = "Tổ kiểm tra"
UNIT_COLUMNS = (
    (C_TT, 6),
    (C_NAME, 45),
    (C_LEVEL, 22),
    (C_PARENT, 40),
    (C_MONTH, 15),
    (C_FORM, 15),
    (C_DATE, 15),
    (C_REINSPECTS, 20),
    (C_TEAM, 14),
)
UNIT_REQUIRED = (C_NAME, C_LEVEL, C_MONTH)

# "Đoàn kiểm tra"
M_NAME = "Họ và tên"
M_TITLE = "Chức vụ"
M_AGENCY = "Cơ quan"
M_ROLE = "Vai trò"
M_AREAS = "Lĩnh vực phụ trách"
M_TEAM = "Tổ kiểm tra"
M_UNITS = "Đơn vị phụ trách"
MEMBER_COLUMNS = (
    (M_NAME, 28),
    (M_TITLE, 22),
    (M_AGENCY, 36),
    (M_ROLE, 18),
    (M_AREAS, 22),
    (M_TEAM, 14),
    (M_UNITS, 40),
)
MEMBER_REQUIRED = (M_NAME, M_ROLE)

LEVEL_LABELS = [name.label for name in LEVEL_NAMES]
ROLE_LABELS = [role.label for role in Role]
# Hình thức → (kind, mode): every kind of inspection is in the drop-down.
FORMS: dict[str, tuple[InspectionKind, InspectionMode]] = {
    "Trực tiếp": (InspectionKind.THEO_KE_HOACH, InspectionMode.TRUC_TIEP),
    "Trực tuyến": (InspectionKind.THEO_KE_HOACH, InspectionMode.TRUC_TUYEN),
    "Đột xuất": (InspectionKind.DOT_XUAT, InspectionMode.TRUC_TIEP),
    "Qua báo cáo": (InspectionKind.QUA_BAO_CAO, InspectionMode.TRUC_TIEP),
    "Tái kiểm tra": (InspectionKind.TAI_KIEM_TRA, InspectionMode.TRUC_TIEP),
}
FORM_CHOICES = list(FORMS)
_FORM_KEYS = {key(label): label for label in FORMS}
TEMPLATE_ROWS = 300  # rows carrying the drop-down lists

MSG_NO_UNITS = "chưa có đơn vị nào trong lịch kiểm tra"
MSG_DUPLICATE_UNIT = "đơn vị bị trùng với dòng {row} (cùng hình thức kiểm tra)"
MSG_NO_PARENT = "không có đơn vị nào tên như vậy trong sheet “Đơn vị”"
MSG_SELF_PARENT = "đơn vị không thể trực thuộc chính nó"
MSG_CYCLE = "đơn vị “{parent}” lại trực thuộc (trực tiếp hoặc gián tiếp) đơn vị này"
MSG_REINSPECTS_KIND = "chỉ dòng có hình thức “Tái kiểm tra” mới ghi cột này"
MSG_REINSPECTS_UNKNOWN = (
    "không tìm thấy cuộc kiểm tra trước của đơn vị này: ghi số kế hoạch trước "
    "(ví dụ 21/KH-UBND) hoặc mã cuộc kiểm tra (xem “kiemtra inspections”)"
)
MSG_MEMBER_UNIT = "không có đơn vị nào tên như vậy trong sheet “Đơn vị”"
MSG_NOT_FOUND_UPDATE = (
    "Chưa có kế hoạch số {number} năm {year} để cập nhật; nạp lần đầu không dùng --update."
)
MSG_MONTH = "tháng phải từ 1 đến 12 (ví dụ 6 hoặc “Tháng 6”)"
MSG_UNKNOWN_AREA = "mã lĩnh vực không có trong bộ tiêu chí hiện hành ({codes})"
MSG_PERIOD = "niên độ: ngày bắt đầu sau ngày kết thúc"
MSG_YEAR = "năm phải từ 2000 đến 2100"
MSG_DUP_FIELD = "thông tin bị nhập hai lần (dòng {row})"
MSG_PLAN_EXISTS = (
    "Đã có kế hoạch số {number} năm {year}; không nạp lại (dùng --update để cập nhật kế hoạch)."
)


# -- template ----------------------------------------------------------------------------------


def write_template(path: Path | str, example: PlanSpec | None = None) -> Path:
    """Write the workbook to fill in (filled with `example` when given)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = SHEET_PLAN
    write_header(ws, 1, ((PLAN_LABEL, 24), (PLAN_VALUE, 60)))
    values: dict[str, Any] = {}
    if example is not None:
        values = {
            F_NUMBER: example.number,
            F_ISSUED: example.issued_on,
            F_YEAR: example.year,
            F_ISSUER: example.issuer,
            F_FROM: example.period_from,
            F_TO: example.period_to,
            F_PROVINCE: example.province,
            F_TITLE: example.title,
        }
    for row, label in enumerate(PLAN_FIELDS, start=2):
        cell = ws.cell(row=row, column=1, value=label)
        if label in PLAN_REQUIRED:
            cell.font = Font(bold=True)
        value_cell = ws.cell(row=row, column=2, value=values.get(label))
        value_cell.alignment = Alignment(horizontal="left", wrap_text=True)
        if label in (F_ISSUED, F_FROM, F_TO):
            value_cell.number_format = "DD/MM/YYYY"
        if label == F_YEAR:
            value_cell.number_format = "0"

    units = book.create_sheet(SHEET_UNITS)
    write_header(units, 1, UNIT_COLUMNS)
    add_list(units, 3, 2, TEMPLATE_ROWS, LEVEL_LABELS, C_LEVEL)
    add_list(units, 6, 2, TEMPLATE_ROWS, FORM_CHOICES, C_FORM)
    _month_validation(units, 5)
    units.auto_filter.ref = f"A1:I{TEMPLATE_ROWS}"
    if example is not None:
        for n, unit in enumerate(example.units, start=1):
            units.append(
                [
                    n,
                    unit.name,
                    unit.level_name or unit.level.label,
                    unit.parent or None,
                    unit.month,
                    _form_label(unit),
                    unit.visit_date,
                    None,
                    unit.team or None,
                ]
            )

    members = book.create_sheet(SHEET_MEMBERS)
    write_header(members, 1, MEMBER_COLUMNS)
    add_list(members, 4, 2, TEMPLATE_ROWS, ROLE_LABELS, M_ROLE)
    if example is not None:
        for member in example.members:
            members.append(
                [
                    member.full_name,
                    member.position_title,
                    member.agency,
                    member.role.label,
                    ", ".join(member.areas),
                    member.team or None,
                    "; ".join(member.units) or None,
                ]
            )

    add_instructions(book, "HƯỚNG DẪN ĐIỀN KẾ HOẠCH KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", _HELP)
    return save_workbook(book, path)


def _month_validation(ws: Any, column: int) -> None:
    """“Tháng kiểm tra”: Excel accepts only a whole number from 1 to 12 (or nothing)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(column)
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1="1",
        formula2="12",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=C_MONTH,
        error="Nhập tháng là số nguyên từ 1 đến 12",
        promptTitle=C_MONTH,
        prompt="Số từ 1 đến 12",
        showInputMessage=True,
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    ws.add_data_validation(validation)


def _form_label(unit: UnitSpec) -> str:
    for label, (kind, mode) in FORMS.items():
        if (kind, mode) == (unit.kind, unit.mode):
            return label
    return "Đột xuất" if unit.kind == InspectionKind.DOT_XUAT else "Trực tiếp"


_HELP = [
    "Sheet “Kế hoạch”:",
    f"- Điền cột “{PLAN_VALUE}” cho từng dòng. Bắt buộc: {', '.join(PLAN_REQUIRED)}.",
    "- Ngày nhập dạng ngày của Excel hoặc gõ dd/mm/yyyy, ví dụ 02/02/2021.",
    "- Niên độ kiểm tra (từ ngày … đến ngày …) có thể để trống.",
    "",
    "Sheet “Đơn vị” (lịch kiểm tra), mỗi đơn vị một dòng:",
    "- Cấp: chọn đúng tên gọi: " + ", ".join(LEVEL_LABELS) + ". Bộ phận Một cửa và Trung tâm "
    "phục vụ hành chính công được chấm theo bộ tiêu chí của đơn vị mà nó trực thuộc (không "
    "trực thuộc ai: theo cấp xã).",
    "- Trực thuộc: để trống, hoặc ghi đúng tên một đơn vị khác trong sheet này (ví dụ xã được "
    "kiểm tra cùng đợt với huyện, chi cục cùng đợt với sở, Bộ phận Một cửa cùng đợt với phường); "
    "được nhiều cấp (sở → chi cục → phòng). Từ 01/7/2025 không còn cấp huyện: các xã, phường "
    "được kiểm tra trực tiếp, để trống cột này.",
    "- Tháng kiểm tra: số nguyên từ 1 đến 12. Đơn vị trực thuộc có thể để trống: "
    "lấy theo tháng của đơn vị cấp trên; kiểm tra đột xuất có thể để trống.",
    "- Hình thức: Trực tiếp (theo kế hoạch, có báo trước; mặc định nếu để trống), Trực tuyến, "
    "Đột xuất (không báo trước), Qua báo cáo (xem xét báo cáo, tài liệu của đơn vị, không "
    "làm việc tại trụ sở) hoặc Tái kiểm tra (kiểm tra lại việc khắc phục sau lần kiểm tra "
    "trước).",
    "- Ngày kiểm tra: ngày cụ thể (dd/mm/yyyy) nếu đã định; có ngày thì có thể bỏ trống tháng.",
    "- Tái kiểm tra của: với dòng Tái kiểm tra, ghi số kế hoạch lần kiểm tra trước (ví dụ "
    "21/KH-UBND) hoặc mã cuộc kiểm tra; để trống: lần kiểm tra gần nhất của đơn vị.",
    "- Tổ kiểm tra: tên tổ được giao kiểm tra đơn vị (ví dụ Tổ 1), có thể để trống.",
    "- Một đơn vị có thể ghi nhiều dòng với hình thức khác nhau (ví dụ vừa Qua báo cáo vừa "
    "Đột xuất); cùng một hình thức thì không được trùng.",
    "",
    "Sheet “Đoàn kiểm tra”, mỗi thành viên một dòng:",
    "- Vai trò: Trưởng đoàn, Phó trưởng đoàn, Thành viên hoặc Thư ký.",
    "- Lĩnh vực phụ trách: các mã lĩnh vực của bộ tiêu chí, cách nhau bằng dấu phẩy, ví dụ "
    "“A1, A4, A5” (xem “kiemtra checklist show”).",
    "- Tổ kiểm tra: tổ của thành viên (ví dụ Tổ 1), có thể để trống.",
    "- Đơn vị phụ trách: tên các đơn vị (như trong sheet “Đơn vị”) được giao, cách nhau bằng "
    "dấu chấm phẩy.",
    "",
    "Lưu ý:",
    "- Không dùng công thức: hãy dán giá trị (Paste Values).",
    "- Nếu tệp có lỗi, chương trình liệt kê mọi lỗi (sheet, dòng, cột) và không ghi gì; sửa "
    "rồi nạp lại (Tệp ▸ Nạp kế hoạch từ Excel…, hoặc lệnh “kiemtra plan import”).",
    "- Sửa kế hoạch đã nạp (thêm đơn vị, thành viên, ngày, hình thức): sửa tệp rồi chọn Tệp ▸ "
    "Cập nhật kế hoạch… (lệnh “kiemtra plan import TỆP --update”). Kết quả đã ghi nhận không "
    "bao giờ bị xóa.",
]


# -- reading -----------------------------------------------------------------------------------


def area_codes(store: Store) -> list[str]:
    """The valid area codes: those of the current checklist (the default on a fresh database)."""
    version = store.checklists.current_checklist_version()
    data = store.checklists.checklist(version) if version else load_default()
    return [area["code"] for area in data["areas"]]


def read_plan(path: Path | str, valid_areas: list[str]) -> PlanSpec:
    """Parse a plan workbook; raise InputFileError listing every problem."""
    sheets, problems = read_workbook(path, (SHEET_PLAN, SHEET_UNITS, SHEET_MEMBERS))
    fields: dict[str, Any] = {}
    if SHEET_PLAN in sheets:
        fields = _read_plan_fields(Sheet(sheets[SHEET_PLAN], problems), problems)
    units: list[UnitSpec] = []
    if SHEET_UNITS in sheets:
        units = _read_units(Sheet(sheets[SHEET_UNITS], problems), problems)
    members: list[MemberSpec] = []
    if SHEET_MEMBERS in sheets:
        members = _read_members(Sheet(sheets[SHEET_MEMBERS], problems), valid_areas)
    if units:
        _check_assignments(members, units, problems)
    if problems:
        raise refused(path, problems)
    return PlanSpec(units=units, members=members, **fields)


def _read_plan_fields(sheet: Sheet, problems: list[Problem]) -> dict[str, Any]:
    labels = {key(f): f for f in PLAN_FIELDS} | {key(F_PROVINCE_OLD): F_PROVINCE}
    rows: dict[str, Record] = {}
    for number, values in sheet.data.rows:
        if not values or not isinstance(values[0], str):
            continue
        field = labels.get(key(values[0].rstrip(":*")))
        if field is None:
            continue
        record = Record(
            sheet.name, number, {field: values[1] if len(values) > 1 else None}, problems
        )
        if field in rows:
            record.problem(field, None, MSG_DUP_FIELD.format(row=rows[field].row))
            continue
        rows[field] = record
    for field in PLAN_FIELDS:
        if field not in rows and field in PLAN_REQUIRED:
            problems.append(Problem(sheet.name, None, field, None, "thiếu dòng thông tin"))
    out: dict[str, Any] = {}

    def get(field: str) -> Record | None:
        return rows.get(field)

    if r := get(F_NUMBER):
        out["number"] = r.text(F_NUMBER, required=True)
    if r := get(F_ISSUED):
        out["issued_on"] = r.date(F_ISSUED, required=True)
    if r := get(F_YEAR):
        year = r.raw(F_YEAR)
        year_number = (
            float(year.year)
            if isinstance(year, dt.date)
            else r.number(F_YEAR, required=True, integer=True)
        )
        if year_number is not None and not 2000 <= year_number <= 2100:
            r.problem(F_YEAR, year, MSG_YEAR)
        elif year_number is not None:
            out["year"] = int(year_number)
    if r := get(F_ISSUER):
        out["issuer"] = r.text(F_ISSUER, required=True)
    if r := get(F_FROM):
        out["period_from"] = r.date(F_FROM)
    if r := get(F_TO):
        out["period_to"] = r.date(F_TO)
    if r := get(F_PROVINCE):
        out["province"] = r.text(F_PROVINCE) or ""
    if r := get(F_TITLE):
        out["title"] = r.text(F_TITLE) or ""
    start, end = out.get("period_from"), out.get("period_to")
    if start and end and start > end and (r := get(F_TO)):
        r.problem(F_TO, end.strftime("%d/%m/%Y"), MSG_PERIOD)
    return out


_MONTH_TEXT = re.compile(r"^(?:thang|t)?\s*0?(\d{1,2})(?:\s*/\s*\d{4})?$")


def _month(record: Record) -> int | None:
    value = record.raw(C_MONTH)
    if value is None or value is BAD:
        return None
    number: float | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, dt.datetime | dt.date):
        number = float(value.month)
    elif isinstance(value, str):
        match = _MONTH_TEXT.match(fold(value).strip())
        number = float(match.group(1)) if match else None
    if number is None or not number.is_integer() or not 1 <= number <= 12:
        record.problem(C_MONTH, value, MSG_MONTH)
        return None
    return int(number)


def _read_units(sheet: Sheet, problems: list[Problem]) -> list[UnitSpec]:
    if not sheet.locate([c for c, _ in UNIT_COLUMNS], UNIT_REQUIRED):
        return []
    # (row, spec, level as written, month given)
    parsed: list[tuple[Record, UnitSpec, LevelName, bool]] = []
    first_row: dict[str, int] = {}
    for record in sheet.records():
        name = record.text(C_NAME, required=True)
        named = record.choice(C_LEVEL, level_name, LEVEL_LABELS, required=True)
        parent = record.text(C_PARENT)
        form = record.choice(C_FORM, _parse_form, FORM_CHOICES)
        kind, mode = FORMS[form] if form else FORMS["Trực tiếp"]
        month = _month(record)
        visit_date = record.date(C_DATE)
        month_missing = record.raw(C_MONTH) is None
        if visit_date and month_missing:
            month, month_missing = visit_date.month, False
        if month_missing and not parent and kind != InspectionKind.DOT_XUAT:
            record.problem(C_MONTH, None, "bắt buộc nhập")
        reinspects = record.text(C_REINSPECTS)
        if reinspects and kind != InspectionKind.TAI_KIEM_TRA:
            record.problem(C_REINSPECTS, reinspects, MSG_REINSPECTS_KIND)
        if name is None or named is None:
            continue
        # A unit may be checked by report and visited in the same plan: one row per kind.
        folded = f"{key(name)}\x00{kind.value}"
        if folded in first_row:
            record.problem(C_NAME, name, MSG_DUPLICATE_UNIT.format(row=first_row[folded]))
            continue
        first_row[folded] = record.row
        spec = UnitSpec(
            name,
            named.checklist_level(),
            month,
            parent,
            kind=kind,
            mode=mode,
            level_name=named.label,
            visit_date=visit_date,
            reinspects=reinspects,
            team=record.text(C_TEAM) or "",
        )
        spec.source_row = record.row
        parsed.append((record, spec, named, not month_missing))
    if not parsed and not any(p.sheet == sheet.name for p in problems):
        problems.append(Problem(sheet.name, None, "", None, MSG_NO_UNITS))
    by_key: dict[str, UnitSpec] = {}  # a parent named twice: its first row
    for _, spec, _, _ in parsed:
        by_key.setdefault(key(spec.name), spec)
    valid = True
    for record, spec, _, _ in parsed:
        if spec.parent is None:
            continue
        head = by_key.get(key(spec.parent))
        if head is None:
            record.problem(C_PARENT, spec.parent, MSG_NO_PARENT)
            valid = False
            continue
        if key(head.name) == key(spec.name):
            record.problem(C_PARENT, spec.parent, MSG_SELF_PARENT)
            valid = False
            continue
        if _ancestors(head, by_key) & {key(spec.name)}:
            record.problem(C_PARENT, spec.parent, MSG_CYCLE.format(parent=head.name))
            valid = False
            continue
        # create_plan matches parents by name: use the spelling of the parent's row.
        spec.parent = head.name
    if valid:
        # Parents first (any depth): a child takes its parent's month when it has none, and
        # a level judged as its parent's (a one-stop desk) takes the parent's level.
        by_name = {key(spec.name): (spec, named, given) for _, spec, named, given in parsed}
        for _, spec, _, _ in parsed:
            chain = [spec]
            while chain[-1].parent and len(chain) <= len(parsed):
                chain.append(by_name[key(chain[-1].parent)][0])
            for child, head in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
                _, child_named, child_given = by_name[key(child.name)]
                child.level = child_named.checklist_level(head.level)
                if not child_given and child.month is None:
                    child.month = head.month
    return [spec for _, spec, _, _ in parsed]


def _ancestors(spec: UnitSpec, by_key: dict[str, UnitSpec]) -> set[str]:
    """The folded names above `spec` (stops at a loop or an unknown parent)."""
    seen: set[str] = set()
    while spec.parent and key(spec.parent) in by_key and key(spec.parent) not in seen:
        seen.add(key(spec.parent))
        spec = by_key[key(spec.parent)]
    return seen


def _parse_form(text: str) -> str:
    label = _FORM_KEYS.get(key(text))
    if label is None:
        raise ValueError(text)
    return label


def _read_members(sheet: Sheet, valid_areas: list[str]) -> list[MemberSpec]:
    if not sheet.locate([c for c, _ in MEMBER_COLUMNS], MEMBER_REQUIRED):
        return []
    valid = {code.upper(): code for code in valid_areas}
    members: list[MemberSpec] = []
    for record in sheet.records():
        name = record.text(M_NAME, required=True)
        role = record.choice(M_ROLE, Role.from_label, ROLE_LABELS, required=True)
        areas: list[str] = []
        text = record.text(M_AREAS)
        for code in re.split(r"[,;\s]+", text or ""):
            if not code:
                continue
            known = valid.get(nfc(code).upper())
            if known is None:
                record.problem(M_AREAS, code, MSG_UNKNOWN_AREA.format(codes=", ".join(valid_areas)))
            elif known not in areas:
                areas.append(known)
        assigned = [
            nfc(part).strip()
            for part in re.split(r"[;\n]+", record.text(M_UNITS) or "")
            if part.strip()
        ]
        if name is None or role is None:
            continue
        member = MemberSpec(
            full_name=name,
            role=role,
            position_title=record.text(M_TITLE) or "",
            agency=record.text(M_AGENCY) or "",
            areas=areas,
            team=record.text(M_TEAM) or "",
            units=assigned,
        )
        member.source_row = record.row
        members.append(member)
    return members


def _check_assignments(
    members: list[MemberSpec], units: list[UnitSpec], problems: list[Problem]
) -> None:
    """Each unit a member is assigned to is a unit of the schedule (spelt as there)."""
    names = {key(u.name): u.name for u in units}
    for member in members:
        for n, unit in enumerate(member.units):
            if key(unit) in names:
                member.units[n] = names[key(unit)]
            else:
                problems.append(
                    Problem(SHEET_MEMBERS, member.source_row, M_UNITS, unit, MSG_MEMBER_UNIT)
                )


def _resolve_reinspections(
    store: Store, spec: PlanSpec, plan_id: str | None, path: Path | str
) -> None:
    """“Tái kiểm tra của” → the earlier inspection's id: an inspection id as written, or
    the unit's inspection in the plan of that number, or (blank) the unit's latest
    inspection in another plan. Refused with the rows that name nothing."""
    problems: list[Problem] = []
    plans = {p["id"]: p for p in store.planning.plans()}
    earlier = [i for i in store.planning.inspections() if i["plan_id"] != plan_id]
    for unit in spec.units:
        if unit.kind != InspectionKind.TAI_KIEM_TRA:
            continue
        text = unit.reinspects
        own = [i for i in earlier if key(i["unit"]) == key(unit.name)]
        found: dict[str, Any] | None = None
        if text:
            found = next((i for i in store.planning.inspections() if i["id"] == text), None)
            found = found or next(
                (i for i in own if key(plans[i["plan_id"]]["number"]) == key(text)), None
            )
            if found is None:
                problems.append(
                    Problem(
                        SHEET_UNITS, unit.source_row, C_REINSPECTS, text, MSG_REINSPECTS_UNKNOWN
                    )
                )
        elif own:
            found = max(
                own,
                key=lambda i: (plans[i["plan_id"]]["year"], i["visit_date"] or "", i["position"]),
            )
        unit.reinspects = found["id"] if found else None
    if problems:
        raise refused(path, problems)


def import_plan(
    store: Store, path: Path | str, *, update: bool = False, allow_remove: bool = False
) -> dict[str, Any]:
    """Read the workbook and create the plan in one transaction; a summary for `--json`.

    `update`: amend the plan with the same number and year instead (see plans.update_plan)."""
    spec = read_plan(path, area_codes(store))
    same = [
        plan
        for plan in store.planning.plans()
        if plan["year"] == spec.year and key(plan["number"]) == key(spec.number)
    ]
    if update:
        if not same:
            raise UserError(MSG_NOT_FOUND_UPDATE.format(number=spec.number, year=spec.year))
        _resolve_reinspections(store, spec, same[0]["id"], path)
        summary = update_plan(store, same[0]["id"], spec, allow_remove=allow_remove)
        summary["units"] = len(spec.units)
        summary["inspections"] = len(store.planning.inspections(same[0]["id"]))
        summary["members"] = len(store.planning.members(same[0]["id"]))
        return summary
    if same:
        raise UserError(MSG_PLAN_EXISTS.format(number=spec.number, year=spec.year))
    _resolve_reinspections(store, spec, None, path)
    plan_id = create_plan(store, spec)
    return {
        "id": plan_id,
        "number": spec.number,
        "year": spec.year,
        "units": len(spec.units),
        "inspections": len(store.planning.inspections(plan_id)),
        "members": len(store.planning.members(plan_id)),
    }


__all__ = ["area_codes", "import_plan", "read_plan", "write_template"]
