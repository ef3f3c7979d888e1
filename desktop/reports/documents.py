"""The three documents as a list of simple blocks; layout_pdf and layout_docx draw them.

Layout rules (Nghị định 30/2020/NĐ-CP) live in the renderers; the words live here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from desktop.domain import Locality, department_signer, document_number, official_date
from desktop.reports.context import COMMEND_MIN, InspectionData, PlanData, ReportOptions
from desktop.services.scoring import standing

DOTS = "…" * 30  # one line to fill by hand, with "- " and the indent, in the PDF and DOCX
SHORT_DOTS = "…………"
NOT_VISITED = "Chưa kiểm tra"


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    """A body paragraph. style: body (justified, first-line indent), heading (bold, indented),
    center, center_bold."""

    runs: list[Run]
    style: str = "body"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    align: list[str]  # "L", "C", "R" per column
    highlight: set[int] = field(default_factory=set)  # row indexes drawn on a tinted fill
    bold_rows: set[int] = field(default_factory=set)


@dataclass
class Chart:
    title: str
    labels: list[str]
    values: list[float]  # percent 0–100
    horizontal: bool = False


@dataclass
class PageBreak:
    pass


@dataclass
class Signer:
    title_lines: list[str]  # bold caps
    name: str


@dataclass
class Document:
    parent_body: str  # "UBND TỈNH SÓC TRĂNG"
    issuing_body: str  # "SỞ NỘI VỤ"
    number: str  # "Số: 12/TB-SNV"
    place_date: str
    title: str  # "THÔNG BÁO"
    subject: str
    blocks: list[Any]
    recipients: list[str] = field(default_factory=list)  # empty: no "Nơi nhận" block
    signers: list[Signer] = field(default_factory=list)  # 1: right; several: side by side
    addressee: str = ""  # "Kính gửi: …" under the subject
    annex: list[Any] = field(default_factory=list)  # after the signature, on a new page


def P(text: str, style: str = "body", bold: bool = False, italic: bool = False) -> Para:
    return Para([Run(text, bold, italic)], style)


def H(text: str) -> Para:
    return Para([Run(text, bold=True)], "heading")


def end_body(blocks: list[Any]) -> None:
    """The body ends with "./." on its last paragraph."""
    for block in reversed(blocks):
        if isinstance(block, Para):
            last = block.runs[-1]
            last.text = last.text.rstrip().rstrip(".;:") + "./."
            return


def number_line(number: str | None, symbol: str) -> str:
    """ "Số: 12/TB-SNV" from "12" or "12/TB-SNV"; dotted when not given yet."""
    if not number:
        return f"Số: {SHORT_DOTS}/{symbol}"
    number = document_number(number)  # "5" → "05" (Nghị định 30)
    return f"Số: {number}" if "/" in number else f"Số: {number}/{symbol}"


def fmt(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else SHORT_DOTS


def num(value: float | None) -> str:
    """Points the Vietnamese way: 12,5 (no trailing zeros)."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def pct(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + "%"


def where(plan: dict[str, Any]) -> Locality:
    """The plan's issuing province or centrally-run city (context.plan_data)."""
    found: Locality = plan["locality"]
    return found


def parent_body(plan: dict[str, Any]) -> str:
    """ "UBND TỈNH SÓC TRĂNG", "UBND THÀNH PHỐ HÀ NỘI"."""
    return where(plan).parent_body


def place_date(plan: dict[str, Any], options: ReportOptions) -> str:
    return official_date(options.place or plan["place"], options.date)


def plan_ref(plan: dict[str, Any]) -> str:
    """ "Kế hoạch số 21/KH-UBND ngày 02/02/2021 của Ủy ban nhân dân tỉnh Sóc Trăng"."""
    issued = f" ngày {fmt(plan['issued_on'])}" if plan["issued_on"] else ""
    return f"Kế hoạch số {plan['number']}{issued} của {plan['issuer']}"


def plan_topic(plan: dict[str, Any]) -> str:
    title = plan["title"] or f"Kế hoạch kiểm tra công tác cải cách hành chính năm {plan['year']}"
    if title.lower().startswith("kế hoạch "):
        title = title[len("kế hoạch ") :]
    return title[:1].lower() + title[1:]


def signer_for(
    plan: dict[str, Any], options: ReportOptions, default_lines: list[str] | None
) -> Signer:
    """The signature block: options first; else `default_lines` signed by the Trưởng đoàn
    (the delegation's own minutes); else (documents of Sở Nội vụ) the rule every such
    document shares with the reminder, desktop.domain.department_signer."""
    leader = plan["leader"] or {}
    if default_lines is not None:
        lines, name = default_lines, leader.get("name") or SHORT_DOTS
    else:
        lines, name = department_signer(leader.get("position_title"), leader.get("name"))
    if options.signer_title:
        lines = [x.strip().upper() for x in options.signer_title.split("|") if x.strip()]
    return Signer(lines, options.signer or name)


def member_line(m: dict[str, Any]) -> str:
    post = ", ".join(x for x in (m["position_title"], m["agency"]) if x)
    return f"- {m['name']}" + (f", {post}" if post else "") + f" – {m['role_label']};"


# -- Biên bản kiểm tra ----------------------------------------------------------------------
def minutes(data: InspectionData, options: ReportOptions) -> Document:
    plan, insp, score = data.plan, data.inspection, data.score
    unit = insp["unit"]
    b: list[Any] = []
    b.append(P(f"Thực hiện {plan_ref(plan)} về {plan_topic(plan)};"))
    when = fmt(insp["visit_date"])
    b.append(
        P(
            f"Hôm nay, vào lúc {SHORT_DOTS} giờ {SHORT_DOTS}, ngày {when}, {insp['venue_phrase']}"
            f"Đoàn kiểm tra công tác cải cách hành chính tiến hành {insp['check_phrase']} công "
            f"tác cải cách hành chính {insp['unit_phrase']}"
            + (f" (kết hợp kiểm tra {', '.join(data.children)})" if data.children else "")
            + "."
        )
    )
    b.append(H("I. THÀNH PHẦN"))
    b.append(H("1. Đoàn kiểm tra"))
    if plan["members"]:
        b.extend(P(member_line(m)) for m in plan["members"])
    else:
        b.append(P(f"- {DOTS}"))
    b.append(H(f"2. Đại diện {unit}"))
    b.extend(P(f"- {DOTS}") for _ in range(2))
    b.append(H("II. NỘI DUNG KIỂM TRA"))
    b.append(
        P(
            f"1. {unit} báo cáo kết quả thực hiện công tác cải cách hành chính từ ngày "
            f"01/01/{plan['year']} đến thời điểm kiểm tra."
        )
    )
    b.append(P("2. Đoàn kiểm tra tiến hành kiểm tra hồ sơ, tài liệu theo từng lĩnh vực như sau:"))
    if not data.has_findings:
        b.append(P("Chưa ghi nhận kết quả kiểm tra."))
        b.append(P(DOTS))
    letters = "abcdefghiklmnopqrstuvxy"
    n = 0
    for area in data.areas:
        # TEXT items (observations, no verdict) are printed once, in III.3, not in the table.
        recorded = [i for i in area["items"] if i["recorded"] and i["type"] != "TEXT"]
        if not recorded:
            continue
        area_score = next((a for a in score["areas"] if a["code"] == area["code"]), None)
        suffix = (
            f" (đạt {num(area_score['score'])}/{num(area_score['max'])} điểm)"
            if area_score and area_score["max"] and score["scored"]
            else ""
        )
        b.append(H(f"{letters[n % len(letters)]}) {area['name']}{suffix}"))
        n += 1
        rows, highlight = [], set()
        for k, i in enumerate(recorded):
            if i["result"] in ("khong-dat", "mot-phan"):
                highlight.add(k)
            rows.append(
                [
                    i["code"],
                    i["text"],
                    i["result_label"],
                    f"{num(i['score'])}/{num(i['max_score'])}" if i["max_score"] else "",
                    remark(i),
                ]
            )
        b.append(
            Table(
                ["Mã", "Nội dung", "Kết quả", "Điểm", "Nhận xét"],
                rows,
                [0.1, 0.36, 0.13, 0.1, 0.31],
                ["C", "L", "C", "C", "L"],
                highlight,
            )
        )
    b.append(H("III. NHẬN XÉT, ĐÁNH GIÁ SƠ BỘ"))
    b.append(P(_score_sentence(data) if data.has_findings else f"Điểm đánh giá: {DOTS}"))
    b.append(H("1. Ưu điểm"))
    _minutes_strengths(b, data)
    b.append(H("2. Tồn tại, hạn chế"))
    _minutes_limitations(b, data)
    if data.observations:
        b.append(H("3. Nội dung ghi nhận khác"))
        _observation_lines(b, data, numbered=False)
    b.append(H("IV. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA"))
    b.extend(P(DOTS) for _ in range(3))
    b.append(H("V. KẾT LUẬN TẠI BUỔI LÀM VIỆC"))
    if data.recommendations:
        b.append(P(f"Đoàn kiểm tra đề nghị {unit}:"))
        for r in data.recommendations:
            # a derived recommendation cites the limitation by its number, here in III.2
            text = (
                f"Khắc phục tồn tại, hạn chế nêu tại điểm {r['ref']} mục III"
                if r["ref"]
                else r["text"]
            )
            b.append(recommendation_para(r, text))
    else:
        b.extend(P(DOTS) for _ in range(2))
    b.append(
        P(
            f"Buổi kiểm tra kết thúc vào lúc {SHORT_DOTS} giờ {SHORT_DOTS} cùng ngày. Biên bản "
            f"được lập thành 02 bản có giá trị như nhau, Đoàn kiểm tra giữ 01 bản, {unit} giữ "
            "01 bản; đã đọc lại cho những người dự cùng nghe, thống nhất và ký tên."
        )
    )
    end_body(b)
    secretary = plan["secretary"]
    return Document(
        parent_body=parent_body(plan),
        issuing_body="ĐOÀN KIỂM TRA CCHC",
        number=number_line(options.number, "BB-ĐKT"),
        place_date=place_date(plan, options),
        title="BIÊN BẢN",
        subject=f"Kiểm tra công tác cải cách hành chính {insp['unit_phrase']}",
        blocks=b,
        signers=[
            Signer(["ĐẠI DIỆN ĐƠN VỊ", "ĐƯỢC KIỂM TRA"], SHORT_DOTS),
            Signer(["THƯ KÝ"], secretary["name"] if secretary else SHORT_DOTS),
            signer_for(plan, options, ["TRƯỞNG ĐOÀN"]),
        ],
    )


def deadline_text(deadline: dt.date | None) -> str:
    """A recommendation's deadline in a sentence; without one, none is invented."""
    return fmt(deadline) if deadline else "theo kế hoạch khắc phục"


def remark(item: dict[str, Any]) -> str:
    """The minutes' "Nhận xét" cell: the observation, then the evidence documents."""
    docs = item.get("evidence") or []
    cited = f"Tài liệu kiểm chứng: {'; '.join(docs)}." if docs else ""
    return "\n".join(x for x in (item["note"], cited) if x)


def recommendation_para(r: dict[str, Any], text: str | None = None) -> Para:
    """ "1. <text> (chịu trách nhiệm: …). Thời hạn khắc phục: 27/01/2021." (minutes, notice)"""
    text = (text or r["text"]).rstrip(". ")
    if r["responsible"]:
        text += f" (chịu trách nhiệm: {r['responsible']})"
    return Para(
        [
            Run(f"{r['number']}. {text}. "),
            Run(f"Thời hạn khắc phục: {deadline_text(r['deadline'])}.", italic=True),
        ]
    )


def _minutes_strengths(b: list[Any], data: InspectionData) -> None:
    """The minutes' strengths: the secretary's prose, or per area the count of items done
    well; the observations themselves are in the tables above (a note is printed once)."""
    if not data.strengths:
        b.append(P(DOTS))
        return
    for s in data.strengths:
        if s.get("derived"):
            b.append(P(f"- {s['name']}: {sentence(s['lines'][0][:1].lower() + s['lines'][0][1:])}"))
        else:
            b.append(P(f"- {s['name']}:"))
            b.extend(P(f"+ {line}") for line in s["lines"])


def _minutes_limitations(b: list[Any], data: InspectionData) -> None:
    """The minutes' limitations, numbered for the recommendations to cite: the secretary's
    prose, or the items not passed by code (their observations are in the tables above)."""
    if not data.limitations:
        b.append(P("Chưa phát hiện tồn tại, hạn chế." if data.has_findings else DOTS))
        return
    for lim in data.limitations:
        b.append(P(f"- {lim['name']}:"))
        for line in lim["lines"]:
            text = (
                f"Nội dung {line['item_code']} chưa đạt yêu cầu (nhận xét tại mục II)"
                if line["item_code"]
                else line["text"]
            )
            b.append(P(f"{line['ref']}. {sentence(text)}"))


def _score_sentence(data: InspectionData) -> str:
    s = data.score
    if s["scored"]:
        text = (
            f"Tổng điểm Đoàn kiểm tra đánh giá: {num(s['total'])}/{num(s['max'])} điểm "
            f"(đạt {pct(s['percent'])})"
        )
        if s["self_total"] is not None:
            text += f"; điểm đơn vị tự chấm: {num(s['self_total'])} điểm"
    else:
        text = (
            f"Số nội dung đạt: {num(s['total'])}/{num(s['max'])} nội dung "
            f"(tỷ lệ {pct(s['percent'])})"
        )
    return text + f"; số nội dung chưa đạt: {s['not_passed']}."


def sentence(text: str) -> str:
    """A list line as a sentence: one closing full stop ("…;" or "…:" become "…")."""
    return text.rstrip().rstrip(".;:,") + "."


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _strength_lines(b: list[Any], data: InspectionData, numbered: bool = False) -> None:
    if not data.strengths:
        b.append(P(DOTS))
        return
    for n, s in enumerate(data.strengths, start=1):
        b.append(H(f"{n}. {s['name']}") if numbered else P(f"- {s['name']}:"))
        b.extend(P(f"- {sentence(line)}" if numbered else f"+ {line}") for line in s["lines"])


def _limitation_lines(b: list[Any], data: InspectionData, numbered: bool = False) -> None:
    if not data.limitations:
        b.append(P("Chưa phát hiện tồn tại, hạn chế." if data.has_findings else DOTS))
        return
    for n, lim in enumerate(data.limitations, start=1):
        b.append(H(f"{n}. {lim['name']}") if numbered else P(f"- {lim['name']}:"))
        b.extend(P(f"{line['ref']}. {sentence(line['text'])}") for line in lim["lines"])


def _observation_lines(b: list[Any], data: InspectionData, numbered: bool = True) -> None:
    """TEXT items' notes (the unit's own requests, what was observed without judging), by
    area: kept apart from the strengths and limitations."""
    for n, obs in enumerate(data.observations, start=1):
        b.append(H(f"{n}. {obs['name']}") if numbered else P(f"- {obs['name']}:"))
        b.extend(P(f"- {sentence(line)}" if numbered else f"+ {line}") for line in obs["lines"])


# -- Thông báo kết luận ---------------------------------------------------------------------
def conclusion_notice(data: InspectionData, options: ReportOptions) -> Document:
    plan, insp = data.plan, data.inspection
    unit = insp["unit"]
    b: list[Any] = []
    visit = f"ngày {fmt(insp['visit_date'])}"
    b.append(
        P(
            f"Thực hiện {plan_ref(plan)} về {plan_topic(plan)}, {visit}, Đoàn kiểm tra công "
            f"tác cải cách hành chính của {where(plan).level} (sau đây gọi là Đoàn kiểm tra) "
            f"đã tiến hành {insp['check_phrase']} công tác cải cách hành chính "
            f"{insp['unit_phrase']}."
        )
    )
    b.extend(P(line) for line in data.reinspection)
    b.append(
        P(f"Trên cơ sở {insp['basis_phrase']}, Sở Nội vụ thông báo kết luận kiểm tra như sau:")
    )
    # The score is the overall result, not an ưu điểm: it comes before the sections.
    if data.has_findings:
        b.append(P(_score_sentence(data)))
    names = ["ƯU ĐIỂM", "TỒN TẠI, HẠN CHẾ"]
    if data.observations:
        names.append("NỘI DUNG GHI NHẬN KHÁC")
    names += ["NGUYÊN NHÂN", "KIẾN NGHỊ", "TỔ CHỨC THỰC HIỆN"]
    section = {name: ROMAN[n] for n, name in enumerate(names)}

    def heading(name: str) -> None:
        b.append(H(f"{section[name]}. {name}"))

    heading("ƯU ĐIỂM")
    _strength_lines(b, data, numbered=True)
    heading("TỒN TẠI, HẠN CHẾ")
    _limitation_lines(b, data, numbered=True)
    if data.observations:
        heading("NỘI DUNG GHI NHẬN KHÁC")
        _observation_lines(b, data)
    heading("NGUYÊN NHÂN")
    if data.causes:
        b.extend(P(f"- {sentence(c)}") for c in data.causes)
    else:
        b.extend(P(DOTS) for _ in range(2))
    heading("KIẾN NGHỊ")
    if data.recommendations:
        b.append(P(f"Đề nghị {unit} thực hiện các nội dung sau:"))
        for r in data.recommendations:
            b.append(recommendation_para(r))
    else:
        b.append(P("Không có kiến nghị." if data.has_findings else DOTS))
    heading("TỔ CHỨC THỰC HIỆN")
    deadlines = [r["deadline"] for r in data.recommendations if r["deadline"]]
    report_by = max(deadlines) if deadlines else None
    b.append(
        P(
            f"Đề nghị {unit} tổ chức khắc phục các tồn tại, hạn chế nêu tại mục "
            f"{section['TỒN TẠI, HẠN CHẾ']}, thực hiện các kiến nghị nêu tại mục "
            f"{section['KIẾN NGHỊ']} và báo cáo kết quả khắc phục về {where(plan).committee} "
            f"(qua Sở Nội vụ) trước ngày {fmt(report_by)} để tổng hợp, theo dõi."
        )
    )
    end_body(b)
    return Document(
        parent_body=parent_body(plan),
        issuing_body="SỞ NỘI VỤ",
        number=number_line(options.number, "TB-SNV"),
        place_date=place_date(plan, options),
        title="THÔNG BÁO",
        subject=f"Kết luận kiểm tra công tác cải cách hành chính {insp['unit_phrase']}",
        blocks=b,
        recipients=[
            f"- {unit};",
            f"- {where(plan).committee_short} (để báo cáo);",
            "- Giám đốc Sở Nội vụ (để báo cáo);",
            "- Thành viên Đoàn kiểm tra;",
            "- Lưu: VT, CCHC.",
        ],
        signers=[signer_for(plan, options, None)],
    )


# -- Báo cáo kết quả kiểm tra ---------------------------------------------------------------
MAX_CHART_UNITS = 30
NO_DEADLINE = "—"  # a table cell of a recommendation without a deadline (none is invented)


def annex_reference(options: ReportOptions, plan: dict[str, Any]) -> str:
    """ "(Kèm theo Báo cáo số 05/BC-SNV ngày 05/01/2021 của Sở Nội vụ)": the annex names the
    report it belongs to; dotted where the number is not given yet."""
    number = number_line(options.number, "BC-SNV").removeprefix("Số: ")
    return (
        f"(Kèm theo Báo cáo số {number} ngày {fmt(options.date)} của Sở Nội vụ về kết quả "
        f"kiểm tra CCHC năm {plan['year']})"
    )


def recorded_share(row: dict[str, Any]) -> str:
    """ "đã ghi nhận 33/76 nội dung" (the judged items with a result, of those to judge)."""
    return f"đã ghi nhận {row['judged']}/{row['to_judge']} nội dung"


def percent_text(value: float) -> str:
    """80 → "80%", 82.5 → "82,5%" (a threshold as people write it)."""
    return f"{num(value)}%"


NAMES_SHOWN = 5  # units named in one sentence; the rest are counted
ITEMS_SHOWN = 3  # most common items not passed named per area
ITEM_TEXT_MAX = 120  # characters of an item's wording quoted in the narrative


def unit_list(units: list[str]) -> str:
    """ "A, B và 3 đơn vị khác": at most NAMES_SHOWN names."""
    shown = ", ".join(units[:NAMES_SHOWN])
    rest = len(units) - NAMES_SHOWN
    return shown + (f" và {rest} đơn vị khác" if rest > 0 else "")


def short_text(text: str) -> str:
    """An item's wording cut at a word near ITEM_TEXT_MAX characters, without a final stop."""
    text = " ".join(text.split()).rstrip(".;:,")
    if len(text) <= ITEM_TEXT_MAX:
        return text
    return text[:ITEM_TEXT_MAX].rsplit(" ", 1)[0].rstrip(".;:,") + "…"


def area_narrative(areas: list[tuple[str, str]], inspected: list[dict[str, Any]]) -> list[Any]:
    """Per scored area, in prose: which units did well (full marks, else the highest percent)
    and which fell short (the lowest percent, the items most often not passed, with how many
    units), from the recorded findings. Areas nobody recorded and areas without points (A8)
    are left out; a partly recorded unit's share is over its recorded items."""
    out: list[Any] = []
    for code, name in areas:
        shares = [
            (r["unit"], a["percent"])
            for r in inspected
            for a in r["areas"]
            if a["code"] == code and a["max"] and a["recorded"]
        ]
        if not shares:
            continue
        missed: dict[tuple[str, str], set[str]] = {}
        for r in inspected:
            for area in r.get("areas_items", []):
                if area["code"] != code:
                    continue
                for i in area["items"]:
                    if i["result"] in ("khong-dat", "mot-phan"):
                        missed.setdefault((i["code"], i["text"]), set()).add(r["unit"])
        top = max(v for _, v in shares)
        low = min(v for _, v in shares)
        full = [u for u, v in shares if v >= 100]
        if len(shares) == 1:  # one unit is neither the best nor the weakest of anything
            unit, share = shares[0]
            good = (
                f"{unit} đạt toàn bộ điểm của lĩnh vực."
                if share >= 100
                else f"Mới có kết quả của 1 đơn vị: {unit} đạt {pct(share)}."
            )
        elif len(full) == len(shares):
            good = f"Cả {len(shares)} đơn vị đã kiểm tra đều đạt toàn bộ điểm của lĩnh vực."
        elif full:
            good = f"{len(full)}/{len(shares)} đơn vị đạt toàn bộ điểm: {unit_list(full)}."
        elif top > 0:
            best = [u for u, v in shares if v == top]
            good = f"Đơn vị đạt tỷ lệ điểm cao nhất: {unit_list(best)} ({pct(top)})."
        else:
            good = "Chưa có đơn vị đạt điểm ở lĩnh vực này."
        bad: list[str] = []
        if low < top:
            worst = [u for u, v in shares if v == low]
            bad.append(f"Đơn vị đạt tỷ lệ điểm thấp nhất: {unit_list(worst)} ({pct(low)}).")
        common = sorted(missed.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))[:ITEMS_SHOWN]
        if common:
            # "most common" only when some item was missed by more than one unit
            opening = (
                "Nội dung chưa đạt ở nhiều đơn vị nhất: "
                if len(common[0][1]) > 1
                else "Nội dung chưa đạt (mỗi nội dung ở 1 đơn vị): "
            )
            bad.append(
                opening
                + "; ".join(
                    f"{item_code} ({short_text(text)})"
                    + (f": {len(units)} đơn vị" if len(common[0][1]) > 1 else "")
                    for (item_code, text), units in common
                )
                + "."
            )
        elif low >= 100:
            bad.append("Không có nội dung chưa đạt.")
        out.append(Para([Run(f"{code}. {name}", bold=True)]))
        out.append(Para([Run("- Ưu điểm: ", italic=True), Run(good)]))
        out.append(Para([Run("- Hạn chế: ", italic=True), Run(" ".join(bad) or DOTS)]))
    return out


def campaign_report(data: PlanData, options: ReportOptions) -> Document:
    plan = data.plan
    rows = data.rows
    inspected = [r for r in rows if r["recorded"]]
    partial = [r for r in inspected if r["provisional"]]
    commend_min = COMMEND_MIN if options.commend_min is None else options.commend_min
    b: list[Any] = []
    b.append(
        P(
            f"Thực hiện {plan_ref(plan)} về {plan_topic(plan)}, Sở Nội vụ báo cáo kết quả kiểm "
            "tra như sau:"
        )
    )
    b.append(H("I. KHÁI QUÁT CHUNG"))
    levels: dict[str, int] = {}
    for r in rows:
        levels[r["level_label"]] = levels.get(r["level_label"], 0) + 1
    spread = ", ".join(f"{n} đơn vị cấp {label.lower()}" for label, n in levels.items())
    b.append(
        P(
            f"Theo Kế hoạch, Đoàn kiểm tra kiểm tra {len(rows)} cơ quan, đơn vị ({spread}). "
            f"Đến thời điểm báo cáo, Đoàn kiểm tra đã ghi nhận kết quả tại {len(inspected)} "
            "đơn vị."
        )
    )
    if partial:
        # A signer must see at once that some figures are not final.
        b.append(
            Para(
                [
                    Run("Lưu ý: ", bold=True),
                    Run(
                        f"{len(partial)} đơn vị chưa ghi nhận đủ kết quả kiểm tra ("
                        + "; ".join(f"{r['unit']}: {recorded_share(r)}" for r in partial[:20])
                        + (f" và {len(partial) - 20} đơn vị khác" if len(partial) > 20 else "")
                        + "); điểm của các đơn vị này là tạm tính, chưa xếp hạng, chưa xét "
                        "biểu dương.",
                        italic=True,
                    ),
                ]
            )
        )
    leader = plan["leader"]
    if plan["members"]:
        b.append(
            P(
                f"Đoàn kiểm tra gồm {len(plan['members'])} thành viên"
                + (
                    f" do {leader['name']}, {leader['position_title']} làm Trưởng đoàn"
                    if leader
                    else ""
                )
                + f"; hình thức kiểm tra: {plan['forms']}, kết hợp xem xét báo "
                "cáo tự kiểm tra của đơn vị."
            )
        )
    b.append(H("II. KẾT QUẢ KIỂM TRA"))
    b.append(H("1. Kết quả chung theo lĩnh vực"))
    area_rows = []
    area_values = []
    for code, name in data.area_names:
        # Only units where something of the area was recorded: an area nobody inspected
        # yet is "chưa kiểm tra", not the weakest at 0%.
        got = [
            a
            for r in inspected
            for a in r["areas"]
            if a["code"] == code and a["max"] and a["recorded"]
        ]
        if not got:
            if any(a["code"] == code and a["max"] for r in rows for a in r["areas"]):
                area_rows.append([code, name, NOT_VISITED, ""])
            continue
        score = sum(a["score"] for a in got)
        maximum = sum(a["max"] for a in got)
        share = round(100 * score / maximum, 2) if maximum else 0.0
        bad = sum(
            1
            for r in inspected
            for area in r.get("areas_items", [])
            if area["code"] == code
            for i in area["items"]
            if i["result"] in ("khong-dat", "mot-phan")
        )
        area_rows.append([code, name, pct(share), str(bad)])
        area_values.append((code, name, share, bad))
    if area_values:
        best = max(area_values, key=lambda x: x[2])
        worst = min(area_values, key=lambda x: x[2])
        if best is worst:
            sentence = f"Lĩnh vực đã có kết quả: {best[1]} ({pct(best[2])})."
        else:
            sentence = (
                f"Lĩnh vực đạt tỷ lệ điểm cao nhất là {best[1]} ({pct(best[2])}); lĩnh vực "
                f"còn nhiều hạn chế nhất là {worst[1]} ({pct(worst[2])})."
            )
        unvisited_areas = [r[1] for r in area_rows if r[2] == NOT_VISITED]
        if unvisited_areas:
            sentence += f" Các lĩnh vực chưa kiểm tra: {', '.join(unvisited_areas)}."
        b.append(P(sentence))
        b.append(
            Table(
                ["Mã", "Lĩnh vực", "Tỷ lệ điểm bình quân", "Số nội dung chưa đạt"],
                area_rows,
                [0.1, 0.5, 0.2, 0.2],
                ["C", "L", "C", "C"],
            )
        )
        b.append(
            Chart(
                "Tỷ lệ điểm bình quân theo lĩnh vực (%)",
                [v[0] for v in area_values],
                [v[2] for v in area_values],
            )
        )
    else:
        b.append(P("Chưa có kết quả kiểm tra để tổng hợp."))
    b.append(H("2. Xếp hạng các đơn vị"))
    if inspected:
        # Complete visits first, ranked; partly recorded ones after them, provisional.
        ranked = sorted(inspected, key=lambda r: (r["provisional"], -r["percent"]))
        # Units with nothing recorded yet close the table with blank numbers, not zeros.
        unvisited = [r for r in rows if not r["recorded"]]
        b.append(
            Table(
                [
                    "TT",
                    "Đơn vị",
                    "Cấp",
                    "Điểm",
                    "Tự chấm",
                    "Tối đa",
                    "Tỷ lệ",
                    "Xếp hạng trong cấp",
                ],
                [
                    [
                        str(n),
                        r["unit"],
                        r["level_label"],
                        num(r["total"]),
                        num(r.get("self_total")),
                        num(r["max"]),
                        pct(r["percent"]),
                        standing(r),
                    ]
                    for n, r in enumerate(ranked, start=1)
                ]
                + [
                    [str(n), r["unit"], r["level_label"], "", "", "", "", NOT_VISITED]
                    for n, r in enumerate(unvisited, start=len(ranked) + 1)
                ],
                [0.06, 0.32, 0.13, 0.09, 0.09, 0.09, 0.1, 0.12],
                ["C", "L", "C", "C", "C", "C", "C", "C"],
            )
        )
        shown = ranked[:MAX_CHART_UNITS]
        title = "Tỷ lệ điểm của các đơn vị (%)"
        if len(ranked) > MAX_CHART_UNITS:
            title = f"Tỷ lệ điểm của {MAX_CHART_UNITS} đơn vị cao nhất (%)"
        b.append(Chart(title, [r["unit"] for r in shown], [r["percent"] for r in shown], True))
    else:
        b.append(P(DOTS))
    b.append(H("3. Kết quả từng đơn vị"))
    if not inspected:
        b.append(P(DOTS))
    for n, r in enumerate(inspected, start=1):
        provisional = f" (tạm tính: {recorded_share(r)})" if r["provisional"] else ""
        b.append(
            H(
                f"3.{n}. {r['unit']}: {num(r['total'])}/{num(r['max'])} điểm "
                f"({pct(r['percent'])}){provisional}, {r['not_passed']} nội dung chưa đạt."
            )
        )
        b.append(
            Table(
                ["Lĩnh vực", "Điểm", "Tối đa", "Tỷ lệ"],
                [
                    [f"{a['code']}. {a['name']}", num(a["score"]), num(a["max"]), pct(a["percent"])]
                    if a["recorded"]
                    else [f"{a['code']}. {a['name']}", "", num(a["max"]), NOT_VISITED]
                    for a in r["areas"]
                    if a["max"]
                ],
                [0.55, 0.15, 0.15, 0.15],
                ["L", "C", "C", "C"],
            )
        )
    b.append(H("4. Ưu điểm, hạn chế theo lĩnh vực"))
    b.extend(area_narrative(data.area_names, inspected) or [P(DOTS)])
    b.append(H("III. NGUYÊN NHÂN"))
    if data.causes:
        b.extend(P(f"- {c}") for c in data.causes)
    else:
        b.extend(P(DOTS) for _ in range(2))
    b.append(H("IV. ĐỀ XUẤT, KIẾN NGHỊ"))
    # Commendation only for a fully recorded visit at or above the threshold, never for
    # being first in a level whatever the score.
    tops = sorted(
        (r for r in inspected if r["complete"] and r["percent"] >= commend_min),
        key=lambda r: -r["percent"],
    )
    threshold = percent_text(commend_min)
    weak = sorted((r for r in inspected if r["not_passed"]), key=lambda r: r["percent"])
    if tops:
        b.append(
            P(
                f"1. Đề nghị {where(plan).committee} biểu dương các đơn vị đạt tỷ lệ điểm từ "
                f"{threshold} trở lên: "
                + "; ".join(f"{r['unit']} ({pct(r['percent'])})" for r in tops)
                + "."
            )
        )
    else:
        b.append(
            P(
                f"1. Chưa có đơn vị đã ghi nhận đủ kết quả kiểm tra đạt tỷ lệ điểm từ "
                f"{threshold} trở lên để đề nghị biểu dương."
            )
        )
    if weak:
        b.append(
            P(
                f"2. Đề nghị {where(plan).committee} chỉ đạo các đơn vị còn tồn tại, hạn chế khắc "
                "phục theo thông báo kết luận kiểm tra (chi tiết tại Phụ lục kèm theo): "
                + "; ".join(r["unit"] for r in weak[:20])
                + (f" và {len(weak) - 20} đơn vị khác" if len(weak) > 20 else "")
                + "."
            )
        )
    else:
        b.append(P(f"2. {DOTS}"))
    end_body(b)
    annex: list[Any] = [
        PageBreak(),
        P("PHỤ LỤC", "center_bold"),
        P("Danh sách đơn vị, nội dung chưa đạt và thời hạn khắc phục", "center_bold"),
        P(annex_reference(options, plan), "center", italic=True),
    ]
    annex_rows: list[list[str]] = []
    for r in inspected:
        written = data.deadlines.get(r["id"], [])
        stored = {x["item_code"]: x for x in written if x["item_code"]}
        for area in r.get("areas_items", []):
            for i in area["items"]:
                if i["result"] not in ("khong-dat", "mot-phan"):
                    continue
                rec = stored.get(i["code"])
                if written:  # the recommendations written: their deadline, or none
                    due = rec["deadline"] if rec else None
                    deadline = dt.date.fromisoformat(due[:10]) if due else None
                else:  # derived ones: the notice's rule (visit date + 30 days, or none)
                    deadline = r["default_deadline"]
                annex_rows.append(
                    [
                        str(len(annex_rows) + 1),
                        r["unit"],
                        f"{i['code']}. {i['text']}" + (f" – {i['note']}" if i["note"] else ""),
                        i["result_label"],
                        fmt(deadline) if deadline else NO_DEADLINE,
                    ]
                )
    if annex_rows:
        annex.append(
            Table(
                ["TT", "Đơn vị", "Nội dung chưa đạt", "Kết quả", "Thời hạn khắc phục"],
                annex_rows,
                [0.07, 0.22, 0.45, 0.12, 0.14],
                ["C", "L", "L", "C", "C"],
            )
        )
    else:
        annex.append(P("Không có nội dung chưa đạt.", "center"))
    return Document(
        parent_body=parent_body(plan),
        issuing_body="SỞ NỘI VỤ",
        number=number_line(options.number, "BC-SNV"),
        place_date=place_date(plan, options),
        title="BÁO CÁO",
        subject=f"Kết quả kiểm tra công tác cải cách hành chính năm {plan['year']}",
        addressee=f"Kính gửi: {where(plan).committee_named}",
        blocks=b,
        recipients=[
            f"- {where(plan).committee_short} (để báo cáo);",
            "- Các cơ quan, đơn vị được kiểm tra;",
            "- Thành viên Đoàn kiểm tra;",
            "- Lưu: VT, CCHC.",
        ],
        signers=[signer_for(plan, options, None)],
        annex=annex,
    )


# -- Báo cáo kết quả khắc phục (the unit's form) ------------------------------------------------
FORM_HEAD = [
    "Số TT",
    "Nội dung kiến nghị",
    "Thời hạn",
    "Kết quả khắc phục",
    "Tài liệu kiểm chứng",
    "Ghi chú",
]


def superior_of(data: InspectionData, parent_unit: str | None) -> str:
    """The header's first line over the unit: its parent unit in the plan (a xã under its
    huyện), else the plan's committee for a Sở, a huyện or a public-service unit, else a blank
    a xã fills in by hand (its huyện is not known)."""
    if parent_unit:
        return parent_unit.upper()
    if data.inspection["level"] == "xa":
        return f"UBND HUYỆN {SHORT_DOTS}"
    return parent_body(data.plan)


def remediation_form(data: InspectionData, notice: str, parent_unit: str | None) -> Document:
    """The form a unit fills in and sends back after the conclusion notice: the unit issues it
    to Sở Nội vụ, cites the notice (`notice`: " tại Thông báo số … ngày …" or "" when none was
    numbered), lists the recommendations with blank cells for the result and the evidence."""
    plan, insp = data.plan, data.inspection
    unit = insp["unit"]
    cited = notice.strip() or f"tại Thông báo số {SHORT_DOTS}/TB-SNV ngày {SHORT_DOTS}"
    b: list[Any] = [
        P(
            f"Thực hiện kết luận kiểm tra công tác cải cách hành chính của Sở Nội vụ {cited}, "
            f"{unit} báo cáo kết quả khắc phục các tồn tại, hạn chế và thực hiện các kiến nghị "
            "như sau:"
        ),
        H("I. KẾT QUẢ THỰC HIỆN CÁC KIẾN NGHỊ"),
    ]
    rows = [
        [str(r["number"]), r["text"], fmt(r["deadline"]) if r["deadline"] else NO_DEADLINE]
        # the result and the evidence are the unit's to write; the note says who is responsible
        + ["", "", f"Chịu trách nhiệm: {r['responsible']}" if r["responsible"] else ""]
        for r in data.recommendations
    ]
    if rows:
        b.append(
            Table(
                FORM_HEAD,
                rows,
                widths=[0.07, 0.31, 0.13, 0.2, 0.17, 0.12],
                align=["C", "L", "C", "L", "L", "L"],
            )
        )
    else:
        b.append(P("Không có kiến nghị."))
    b.append(H("II. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT (nếu có)"))
    b.extend(P(DOTS) for _ in range(2))
    b.append(P(f"Trên đây là báo cáo kết quả khắc phục của {unit}."))
    end_body(b)
    return Document(
        parent_body=superior_of(data, parent_unit),
        issuing_body=unit.upper(),
        number=number_line(None, "BC"),
        place_date=official_date("", None),
        title="BÁO CÁO",
        subject=(
            "Kết quả khắc phục tồn tại, hạn chế theo kết luận kiểm tra công tác cải cách hành chính"
        ),
        addressee=f"Kính gửi: Sở Nội vụ {where(plan).level.lower()} {where(plan).name}".rstrip(),
        blocks=b,
        recipients=["- Như trên;", "- Lưu: VT."],
        signers=[Signer(["THỦ TRƯỞNG ĐƠN VỊ"], SHORT_DOTS)],
    )
