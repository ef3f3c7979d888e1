"""The checklist template as a workbook a person can edit, and importing it as a new version.

One row per item on the sheet "Tiêu chí"; the area and criterion columns are repeated on
every row (a blank area/criterion name means "same as above"). Importing never changes an
existing version: it stores a new one, and inspections keep the version they started with.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from db import Store
from desktop.domain import JudgingType, Result
from desktop.services import checklists
from desktop.services.errors import Problem, UserError
from desktop.services.workbook_io import (
    Formula,
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

SHEET = "Tiêu chí"
SHEET_HELP = "Hướng dẫn"

C_AREA = "Mã lĩnh vực"
C_AREA_NAME = "Tên lĩnh vực"
C_AREA_POINTS = "Điểm lĩnh vực"
C_CRIT = "Mã tiêu chí"
C_CRIT_NAME = "Tên tiêu chí"
C_CODE = "Mã nội dung"
C_TEXT = "Nội dung"
C_GUIDANCE = "Hướng dẫn"
C_LEGAL = "Căn cứ pháp lý"
C_TYPE = "Loại đánh giá"
C_MAX = "Điểm tối đa"
C_LEVELS = "Cấp áp dụng"
C_EVIDENCE = "Tài liệu kiểm chứng"
C_THRESHOLDS = "Ngưỡng"
COLUMNS = (
    (C_AREA, 10),
    (C_AREA_NAME, 30),
    (C_AREA_POINTS, 10),
    (C_CRIT, 10),
    (C_CRIT_NAME, 30),
    (C_CODE, 11),
    (C_TEXT, 60),
    (C_GUIDANCE, 50),
    (C_LEGAL, 35),
    (C_TYPE, 14),
    (C_MAX, 10),
    (C_LEVELS, 12),
    (C_EVIDENCE, 40),
    (C_THRESHOLDS, 36),
)
REQUIRED = (C_AREA, C_CRIT, C_CODE, C_TEXT, C_TYPE, C_LEVELS)

# Kept on the "Hướng dẫn" sheet so that a round trip keeps the template's name.
META_NAME = "Tên bộ tiêu chí"
META_VERSION = "Phiên bản"

TYPE_LABELS = [t.label for t in JudgingType]
LEVEL_CODES = "S,D,H,X"

MSG_CONFLICT = "khác với dòng {row} của cùng mã ({first!r})"
MSG_DUP_CODE = "mã nội dung bị trùng với dòng {row}"
MSG_LEVELS = "chỉ gồm các chữ S, D, H, X cách nhau bằng dấu phẩy"
MSG_THRESHOLDS = (
    "ngưỡng không hợp lệ; dạng “mức:tỷ lệ:kết quả; …”, ví dụ “100:1:dat; 80:0,5:mot-phan; "
    "0:0:khong-dat”"
)
MSG_NO_ITEMS = "bộ tiêu chí không có nội dung nào"
MSG_VERSION_EXISTS = "Đã có phiên bản bộ tiêu chí “{version}”; hãy chọn tên phiên bản khác."


def _type_from_text(text: str) -> JudgingType:
    wanted = key(text)
    for judging in JudgingType:
        if wanted in (key(judging.value), key(judging.label)):
            return judging
    raise ValueError(text)


def thresholds_text(thresholds: list[dict[str, Any]]) -> str:
    """Compact text: "100:1:dat; 90:0.75:mot-phan; 0:0:khong-dat" (mức:tỷ lệ điểm:kết quả)."""
    return "; ".join(f"{_g(t['min'])}:{_g(t['ratio'])}:{t['result']}" for t in thresholds)


def _g(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def _plain(number: float) -> int | float:
    return int(number) if number.is_integer() else number


def parse_thresholds(text: str) -> list[dict[str, Any]]:
    """The compact text (or a JSON list) back into [{"min", "ratio", "result"}]."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        raw = json.loads(text)
        if not isinstance(raw, list):
            raise ValueError(text)
        parts = [(x["min"], x["ratio"], x["result"]) for x in raw if isinstance(x, dict)]
        if len(parts) != len(raw):
            raise ValueError(text)
    else:
        parts = []
        for chunk in re.split(r"[;\n]+", text):
            if not chunk.strip():
                continue
            pieces = [p.strip() for p in chunk.split(":")]
            if len(pieces) != 3:
                raise ValueError(chunk)
            parts.append((pieces[0].lstrip("≥>= "), pieces[1], pieces[2]))
    out = []
    for low, ratio, result in parts:
        low_n = float(str(low).replace(",", "."))
        ratio_n = float(str(ratio).replace(",", "."))
        if not 0 <= ratio_n <= 1 or low_n < 0:
            raise ValueError(text)
        out.append(
            {
                "min": _plain(low_n),
                "ratio": _plain(ratio_n) if ratio_n not in (0, 1) else float(ratio_n),
                "result": Result.from_label(str(result)).value,
            }
        )
    return out


# -- export ------------------------------------------------------------------------------------


def export_checklist(store: Store, path: Path | str, version_id: str | None = None) -> Path:
    """Write a checklist version (the current one by default) as an editable workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    version_id = version_id or checklists.ensure_checklist(store)
    data = store.checklists.checklist(version_id)
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    write_header(ws, 1, COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1
    for area in data["areas"]:
        for criterion in area["criteria"]:
            for item in criterion["items"]:
                row += 1
                ws.append(
                    [
                        area["code"],
                        area["name"],
                        _plain(float(area["max_points"])),
                        criterion["code"],
                        criterion["name"],
                        item["code"],
                        item["text"],
                        item["guidance"],
                        item["legal_basis"],
                        JudgingType(item["type"]).label,
                        _plain(float(item["max_score"])),
                        ",".join(item["levels"]),
                        item["evidence"],
                        thresholds_text(item["thresholds"]),
                    ]
                )
                for cell in ws[row]:
                    cell.alignment = wrap
    last = max(row + 200, 500)
    add_list(ws, 10, 2, last, TYPE_LABELS, C_TYPE)
    ws.auto_filter.ref = f"A1:N{row}"
    helper = add_instructions(book, "HƯỚNG DẪN SỬA BỘ TIÊU CHÍ KIỂM TRA CCHC", _help_lines())
    # The template's identity, read back on import.
    helper.cell(row=len(_help_lines()) + 5, column=1, value=META_NAME)
    helper.cell(row=len(_help_lines()) + 5, column=2, value=data["name"])
    helper.cell(row=len(_help_lines()) + 6, column=1, value=META_VERSION)
    helper.cell(row=len(_help_lines()) + 6, column=2, value=data["version"])
    helper.column_dimensions["B"].width = 50
    return save_workbook(book, path)


def _help_lines() -> list[str]:
    types = "; ".join(f"{t.label} ({t.value})" for t in JudgingType)
    results = ", ".join(f"{r.value} ({r.label})" for r in Result)
    return [
        "Sheet “Tiêu chí”: mỗi dòng là một nội dung kiểm tra (tiêu chí thành phần).",
        "- Mã lĩnh vực, Tên lĩnh vực, Điểm lĩnh vực: lĩnh vực (A1, A2 …) và tổng điểm của nó. "
        "Các dòng cùng lĩnh vực ghi cùng mã; tên và điểm có thể để trống ở các dòng sau.",
        "- Mã tiêu chí, Tên tiêu chí: nhóm nội dung trong lĩnh vực (ví dụ A1.1).",
        "- Mã nội dung: duy nhất trong cả bộ tiêu chí (ví dụ A1.1.1); dùng để khớp kết quả.",
        f"- Loại đánh giá: {types}.",
        "- Điểm tối đa: số không âm; để trống là 0 (chỉ nhận xét).",
        "- Cấp áp dụng: các chữ cách nhau bằng dấu phẩy — S: sở/ngành, D: đơn vị sự nghiệp, "
        "H: huyện, X: xã. Ví dụ “S,D,H,X” hoặc “H,X”.",
        "- Ngưỡng (cho loại Tỷ lệ % và Số lượng): các mức cách nhau bằng dấu chấm phẩy, mỗi mức "
        "“mức:tỷ lệ điểm:kết quả”, ví dụ “100:1:dat; 90:0.5:mot-phan; 0:0:khong-dat” — đạt từ "
        "100% được cả điểm, từ 90% được một nửa điểm. Kết quả: " + results + ".",
        "",
        "Nạp lại:",
        "- “kiemtra checklist import TỆP --version TÊN” lưu thành phiên bản mới; các cuộc kiểm "
        "tra đã tạo vẫn giữ phiên bản cũ, kế hoạch nạp sau dùng phiên bản mới.",
        "- Không dùng công thức. Tệp có lỗi bị từ chối cả tệp, kèm danh sách lỗi.",
    ]


# -- import ------------------------------------------------------------------------------------


def read_checklist(path: Path | str) -> dict[str, Any]:
    """Parse the workbook into the shape of resources/checklist/default.json.

    Raises InputFileError listing every problem (with the checks of checklists.validate).
    """
    sheets, problems = read_workbook(path, (SHEET, SHEET_HELP))
    meta = _read_meta(sheets.get(SHEET_HELP))
    # The help sheet is optional on import; its absence is not a problem.
    problems = [p for p in problems if p.sheet != SHEET_HELP]
    areas: list[dict[str, Any]] = []
    if SHEET in sheets:
        sheet = Sheet(sheets[SHEET], problems)
        if sheet.locate([c for c, _ in COLUMNS], REQUIRED):
            areas = _read_rows(sheet)
            if not areas and not any(p.sheet == SHEET for p in problems):
                problems.append(Problem(SHEET, None, "", None, MSG_NO_ITEMS))
    data = {"version": meta.get(META_VERSION, ""), "name": meta.get(META_NAME, ""), "areas": areas}
    if not problems:
        for message in checklists.validate(data):
            problems.append(Problem(SHEET, None, "", None, message))
    if problems:
        raise refused(path, problems)
    normalised: dict[str, Any] = checklists.normalise(data)
    return normalised


def _read_meta(data: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    if data is None:
        return meta
    wanted = {key(META_NAME): META_NAME, key(META_VERSION): META_VERSION}
    for _, values in data.rows:
        if len(values) >= 2 and isinstance(values[0], str) and key(values[0]) in wanted:
            value = values[1]
            if value is not None and not isinstance(value, Formula):
                meta[wanted[key(values[0])]] = str(value).strip()[:200]
    return meta


def _read_rows(sheet: Sheet) -> list[dict[str, Any]]:
    areas: dict[str, dict[str, Any]] = {}
    area_rows: dict[str, dict[str, tuple[int, Any]]] = {}
    criteria: dict[tuple[str, str], dict[str, Any]] = {}
    crit_rows: dict[tuple[str, str], int] = {}
    codes: dict[str, int] = {}
    for record in sheet.records():
        area_code = record.text(C_AREA, required=True)
        crit_code = record.text(C_CRIT, required=True)
        code = record.text(C_CODE, required=True)
        text = record.text(C_TEXT, required=True)
        judging = record.choice(C_TYPE, _type_from_text, TYPE_LABELS, required=True)
        max_score = record.number(C_MAX, lo=0, hi=1000)
        levels = _levels(record)
        thresholds = _thresholds(record)
        area_name = record.text(C_AREA_NAME)
        area_points = record.number(C_AREA_POINTS, lo=0, hi=1000)
        crit_name = record.text(C_CRIT_NAME)
        if code is not None:
            if code in codes:
                record.problem(C_CODE, code, MSG_DUP_CODE.format(row=codes[code]))
            else:
                codes[code] = record.row
        if area_code is None or crit_code is None:
            continue
        area = areas.get(area_code)
        if area is None:
            if area_name is None:
                record.problem(C_AREA_NAME, None, "bắt buộc nhập ở dòng đầu của lĩnh vực")
            area = {
                "code": area_code,
                "name": area_name or "",
                "max_points": area_points or 0.0,
                "criteria": [],
            }
            areas[area_code] = area
            area_rows[area_code] = {
                C_AREA_NAME: (record.row, area_name),
                C_AREA_POINTS: (record.row, area_points),
            }
        else:
            for column, value in ((C_AREA_NAME, area_name), (C_AREA_POINTS, area_points)):
                first_row, first = area_rows[area_code][column]
                if value is not None and first is not None and value != first:
                    record.problem(column, value, MSG_CONFLICT.format(row=first_row, first=first))
        crit_key = (area_code, crit_code)
        criterion = criteria.get(crit_key)
        if criterion is None:
            if crit_name is None:
                record.problem(C_CRIT_NAME, None, "bắt buộc nhập ở dòng đầu của tiêu chí")
            criterion = {"code": crit_code, "name": crit_name or "", "items": []}
            criteria[crit_key] = criterion
            crit_rows[crit_key] = record.row
            area["criteria"].append(criterion)
        elif crit_name is not None and crit_name != criterion["name"]:
            record.problem(
                C_CRIT_NAME,
                crit_name,
                MSG_CONFLICT.format(row=crit_rows[crit_key], first=criterion["name"]),
            )
        if code is None or text is None or judging is None or levels is None:
            continue
        criterion["items"].append(
            {
                "code": code,
                "text": text,
                "guidance": record.text(C_GUIDANCE) or "",
                "legal_basis": record.text(C_LEGAL) or "",
                "type": judging.value,
                "max_score": float(max_score or 0),
                "levels": levels,
                "evidence": record.text(C_EVIDENCE) or "",
                "thresholds": thresholds or [],
            }
        )
    return list(areas.values())


def _levels(record: Record) -> list[str] | None:
    text = record.text(C_LEVELS, required=True)
    if text is None:
        return None
    letters = [x.upper() for x in re.split(r"[,;\s]+", text) if x]
    if not letters or any(x not in checklists.VALID_LEVELS for x in letters):
        record.problem(C_LEVELS, text, MSG_LEVELS)
        return None
    # Keep the canonical order S, D, H, X whatever order was typed.
    return [x for x in checklists.VALID_LEVELS if x in letters]


def _thresholds(record: Record) -> list[dict[str, Any]] | None:
    text = record.text(C_THRESHOLDS)
    if text is None:
        return []
    try:
        return parse_thresholds(text)
    except (ValueError, KeyError, TypeError):
        record.problem(C_THRESHOLDS, text, MSG_THRESHOLDS)
        return None


def _free_version(store: Store, wanted: str) -> str:
    taken = {v["version"] for v in store.checklists.checklist_versions()}
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def import_checklist(store: Store, path: Path | str, version: str | None = None) -> dict[str, Any]:
    """Validate the workbook and store it as a new checklist version; a summary for --json.

    Without `version`, the workbook's own version is used, suffixed ("-2", "-3" …) when that
    name is taken; an explicit `version` that is taken is refused.
    """
    data = read_checklist(path)
    with store.transaction():
        current = store.checklists.checklist(checklists.ensure_checklist(store))
        taken = {v["version"] for v in store.checklists.checklist_versions()}
        if version:
            version = version.strip()
            if version in taken:
                raise UserError(MSG_VERSION_EXISTS.format(version=version))
            data["version"] = version
        else:
            data["version"] = _free_version(store, data["version"] or current["version"])
        data["name"] = data["name"] or current["name"]
        version_id = store.checklists.import_checklist(data, source=Path(path).name)
    return {
        "id": version_id,
        "version": data["version"],
        "name": data["name"],
        "areas": len(data["areas"]),
        "items": sum(len(c["items"]) for a in data["areas"] for c in a["criteria"]),
    }


__all__ = [
    "export_checklist",
    "import_checklist",
    "parse_thresholds",
    "read_checklist",
    "thresholds_text",
]
