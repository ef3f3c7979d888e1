"""Hostile workbooks that are small on disk and huge to parse (issue 16): a styles part of
millions of `<xf/>`, shared strings by the million, a sheet of millions of cells, XML nested
deep. Each builder takes a valid workbook and replaces one part, streaming (no bomb is ever
held in memory here). Used by the fast checks in the suite and by `make fuzz` at full size.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
STYLES = "xl/styles.xml"
SHARED = "xl/sharedStrings.xml"


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def first_sheet(path: Path) -> str:
    """The zip member of the workbook's first worksheet."""
    return sorted(n for n in members_of(path) if n.startswith("xl/worksheets/sheet"))[0]


def declare_shared_strings(members: dict[str, bytes]) -> None:
    """Make the workbook point at xl/sharedStrings.xml (openpyxl writes inline strings)."""
    types = members["[Content_Types].xml"]
    if b"sharedStrings" not in types:
        members["[Content_Types].xml"] = types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    rels = members["xl/_rels/workbook.xml.rels"]
    if b"sharedStrings" not in rels:
        members["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdFuzz" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )


def repeated_part(
    source: Path,
    target: Path,
    part: str,
    head: bytes,
    unit: bytes,
    count: int,
    tail: bytes,
    *,
    shared: bool = False,
) -> Path:
    """`source` with `part` replaced by head + unit × count + tail, deflated."""
    members = members_of(source)
    if shared:
        declare_shared_strings(members)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            if name != part:
                zf.writestr(name, data)
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        block = max(1, (1 << 20) // len(unit))
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(head)
            left = count
            while left > 0:
                n = min(block, left)
                out.write(unit * n)
                left -= n
            out.write(tail)
    return target


XF = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'


def styles_bomb(source: Path, target: Path, xf: int) -> Path:
    """The workbook's own styles part with `xf` more cell formats (Excel allows 64,000)."""
    styles = members_of(source)[STYLES]
    start = styles.index(b"<cellXfs")
    opened = styles.index(b">", start) + 1
    head = styles[:start] + b"<cellXfs>" + styles[opened : styles.index(b"</cellXfs>")]
    tail = styles[styles.index(b"</cellXfs>") :]
    return repeated_part(source, target, STYLES, head, XF, xf, tail)


def shared_strings_bomb(source: Path, target: Path, strings: int) -> Path:
    """A shared strings part of `strings` one-letter strings."""
    return repeated_part(
        source,
        target,
        SHARED,
        b"<sst " + NS + b">",
        b"<si><t>a</t></si>",
        strings,
        b"</sst>",
        shared=True,
    )


def huge_sheet(source: Path, target: Path, rows: int, columns: int = 20) -> Path:
    """The first sheet with `rows` rows of `columns` numeric cells (no r= attributes)."""
    row = b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>"
    head = b"<worksheet " + NS + b"><sheetData>"
    return repeated_part(
        source, target, first_sheet(source), head, row, rows, b"</sheetData></worksheet>"
    )


def deep_sheet(source: Path, target: Path, depth: int) -> Path:
    """The first sheet with one cell nested `depth` elements deep (in an unknown element)."""
    members = members_of(source)
    part = first_sheet(source)
    head = b"<worksheet " + NS + b'><sheetData/><extLst><ext uri="x">'
    body = b"<a>" * depth + b"</a>" * depth
    members[part] = head + body + b"</ext></extLst></worksheet>"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def merged_sheet(source: Path, target: Path, ref: str) -> Path:
    """The first sheet with one merged range `ref` (openpyxl makes an object per cell)."""
    members = members_of(source)
    part = first_sheet(source)
    members[part] = (
        b"<worksheet " + NS + b'><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
        b'<mergeCells count="1"><mergeCell ref="' + ref.encode() + b'"/></mergeCells></worksheet>'
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def defined_names_bomb(source: Path, target: Path, names: int) -> Path:
    """The workbook part with `names` defined names (each an object in openpyxl)."""
    book = members_of(source)["xl/workbook.xml"]
    cut = book.index(b"</workbook>")
    if b"<definedNames>" in book:
        cut = book.index(b"<definedNames>") + len(b"<definedNames>")
        head, tail = book[:cut], book[cut:]
    else:
        head, tail = book[:cut] + b"<definedNames>", b"</definedNames>" + book[cut:]
    unit = b'<definedName name="x">Sheet1!$A$1</definedName>'
    return repeated_part(source, target, "xl/workbook.xml", head, unit, names, tail)
