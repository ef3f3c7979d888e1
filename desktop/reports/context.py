"""Plain data for each document, read from the Store: no layout, no reportlab, no docx.

Conclusions and recommendations come from their tables when the secretary has written them;
otherwise they are derived from the findings: items passed with an observation are
strengths, items "khong-dat"/"mot-phan" are limitations (numbered per area, "1.1", "1.2" …),
and each limitation gets a recommendation with the default remediation deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from db import Store
from desktop.domain import (
    InspectionKind,
    InspectionMode,
    Result,
    Role,
    UnitLevel,
    kind_and_mode,
    locality,
    nfc,
)
from desktop.services import followup, scoring
from desktop.services.conclusions import deadline_from_visit, suggest
from desktop.services.errors import UserError

KINDS = ("bien-ban", "ket-luan", "bao-cao")


@dataclass
class ReportOptions:
    """What the secretary decides per document; None = remembered value or a sensible default.

    `signer_title` holds the lines of the signature block separated by "|"
    (e.g. "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC").
    """

    number: str | None = None
    date: dt.date | None = None
    signer: str | None = None
    signer_title: str | None = None
    place: str | None = None
    commend_min: float | None = None  # campaign report: percent to commend (COMMEND_MIN)


COMMEND_MIN = 80.0  # a unit is commended from this percent, its visit fully recorded


PER_INSPECTION = ("bien-ban", "ket-luan")  # number and date belong to one inspection
OWNER = "report.{kind}.owner"  # "" = the kind-wide number/date were just given, not yet used


def _number_date_keys(kind: str, inspection_id: str | None) -> tuple[str, str]:
    prefix = f"report.{kind}.{inspection_id}" if inspection_id else f"report.{kind}"
    return f"{prefix}.number", f"{prefix}.date"


def _iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def remembered_options(
    store: Store,
    kind: str,
    inspection_id: str | None = None,
    default_date: dt.date | None = None,
) -> ReportOptions:
    """What a document would use with nothing given: for the minutes and the notice the
    number and date remembered for *this* inspection (a new inspection gets a blank number),
    the date defaulting to `default_date` (the visit day for the minutes), else today.

    Number and date given kind-wide (`resolve_options` without an inspection, as the window
    does before it hands the work to a read-only worker) count while no inspection has
    claimed them; once an inspection used them, another inspection never reuses them.
    Reads only: safe on a read-only Store.
    """
    assert kind in KINDS, kind
    out = ReportOptions()
    for name in ("signer", "signer_title", "place"):
        setattr(out, name, store.settings.setting(f"report.{kind}.{name}") or None)
    per = kind in PER_INSPECTION and inspection_id is not None
    number_key, date_key = _number_date_keys(kind, inspection_id if per else None)
    out.number = store.settings.setting(number_key) or None
    out.date = _iso(store.settings.setting(date_key))
    if per and out.number is None and out.date is None:
        owner = store.settings.setting(OWNER.format(kind=kind))
        if owner in ("", inspection_id):
            out.number = store.settings.setting(f"report.{kind}.number") or None
            out.date = _iso(store.settings.setting(f"report.{kind}.date"))
    out.date = out.date or default_date or dt.date.today()
    return out


def resolve_options(
    store: Store,
    kind: str,
    given: ReportOptions | None,
    inspection_id: str | None = None,
    default_date: dt.date | None = None,
) -> ReportOptions:
    """Fill missing options from what is remembered (remembered_options), and remember the
    options given (given=None: read only, for a read-only Store).

    Signer, signer title and place are remembered per kind. The number and the date of the
    minutes and the notice are remembered per (kind, inspection) when `inspection_id` is
    given, so that one inspection's number is never silently printed on another's document.
    """
    assert kind in KINDS, kind
    out = remembered_options(store, kind, inspection_id, default_date)
    if given is None:
        return out
    for name in ("signer", "signer_title", "place"):
        value = getattr(given, name)
        if value:
            value = nfc(str(value)).strip()
            store.settings.set_setting(f"report.{kind}.{name}", value)
            setattr(out, name, value)
    number = nfc(str(given.number)).strip() if given.number else None
    out.number = number or out.number
    out.commend_min = given.commend_min
    out.date = given.date or out.date
    per = kind in PER_INSPECTION and inspection_id is not None
    if per:
        number_key, date_key = _number_date_keys(kind, inspection_id)
        if out.number:
            store.settings.set_setting(number_key, out.number)
        if given.date or store.settings.setting(date_key) or out.number:
            store.settings.set_setting(date_key, out.date.isoformat() if out.date else "")
        # This inspection owns the kind-wide values from now on (the window's prefill).
        store.settings.set_setting(f"report.{kind}.number", out.number or "")
        store.settings.set_setting(f"report.{kind}.date", out.date.isoformat() if out.date else "")
        store.settings.set_setting(OWNER.format(kind=kind), inspection_id)
    else:
        number_key, date_key = _number_date_keys(kind, None)
        if number:
            store.settings.set_setting(number_key, number)
        if given.date:
            store.settings.set_setting(date_key, given.date.isoformat())
        if kind in PER_INSPECTION and (number or given.date):
            store.settings.set_setting(OWNER.format(kind=kind), "")
    return out


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _lines(text: str | None) -> list[str]:
    return [ln.strip().lstrip("-•").strip() for ln in (text or "").splitlines() if ln.strip()]


def province_of(plan: dict[str, Any]) -> str:
    """The province's or city's name from the plan ("Sóc Trăng", "Hà Nội"), or from its
    issuer (desktop.domain.locality)."""
    return locality(plan.get("province"), plan.get("issuer")).name


# -- what kind of check it was, as the documents say it (issue 17) ------------------------------
# Small phrases the minutes, the notice and the campaign report put in their sentences, so
# that a check by report never reads as a meeting at the unit's premises and a surprise visit
# says it was not announced.


def check_phrase(kind: str | None, mode: str | None) -> str:
    """What the delegation did, after "tiến hành": "kiểm tra", "kiểm tra đột xuất, không báo
    trước,", "kiểm tra, qua báo cáo và hồ sơ, tài liệu do đơn vị gửi,", "tái kiểm tra"."""
    k, m = kind_and_mode(kind, mode)
    verb = {
        InspectionKind.THEO_KE_HOACH: "kiểm tra",
        InspectionKind.DOT_XUAT: "kiểm tra đột xuất, không báo trước,",
        InspectionKind.QUA_BAO_CAO: "kiểm tra, qua báo cáo và hồ sơ, tài liệu do đơn vị gửi,",
        InspectionKind.TAI_KIEM_TRA: "tái kiểm tra",
    }[k]
    if m == InspectionMode.TRUC_TUYEN and k != InspectionKind.QUA_BAO_CAO:
        verb = verb.rstrip(",") + " theo hình thức trực tuyến,"
    return verb


def unit_phrase(kind: str | None, unit: str) -> str:
    """ "tại Sở Y tế", or "của Sở Y tế" for a check by report (the delegation went nowhere)."""
    k, _ = kind_and_mode(kind, None)
    return f"của {unit}" if k == InspectionKind.QUA_BAO_CAO else f"tại {unit}"


def venue_phrase(kind: str | None, mode: str | None, place: str, unit: str) -> str:
    """Where the minutes say the meeting took place, with its trailing ", ": "tại trụ sở
    Sở Y tế, "; "" for a check by report (no premises); the online platform for online."""
    k, m = kind_and_mode(kind, mode)
    if k == InspectionKind.QUA_BAO_CAO:
        return ""
    if m == InspectionMode.TRUC_TUYEN:
        return f"tại {place}, " if place else "theo hình thức trực tuyến, "
    return f"tại {place or f'trụ sở {unit}'}, "


def basis_phrase(kind: str | None) -> str:
    """What the conclusions rest on, after "Trên cơ sở "."""
    k, _ = kind_and_mode(kind, None)
    if k == InspectionKind.QUA_BAO_CAO:
        return "báo cáo, hồ sơ, tài liệu của đơn vị"
    return "báo cáo của đơn vị và kết quả kiểm tra thực tế"


def forms_phrase(inspections: list[dict[str, Any]]) -> str:
    """The campaign's forms of inspection from its visits ("kiểm tra trực tiếp tại 8 đơn vị,
    đột xuất, không báo trước tại 2 đơn vị, qua báo cáo đối với 3 đơn vị"), never "trực
    tiếp" for everyone."""
    counts: dict[tuple[InspectionKind, InspectionMode], int] = {}
    for i in inspections:
        pair = kind_and_mode(i.get("kind"), i.get("mode"))
        counts[pair] = counts.get(pair, 0) + 1
    parts = []
    for (k, m), n in sorted(
        counts.items(), key=lambda p: (list(InspectionKind).index(p[0][0]), p[0][1])
    ):
        online = m == InspectionMode.TRUC_TUYEN
        text = {
            InspectionKind.THEO_KE_HOACH: (
                "kiểm tra trực tuyến với" if online else "kiểm tra trực tiếp tại"
            ),
            InspectionKind.DOT_XUAT: "kiểm tra đột xuất, không báo trước tại",
            InspectionKind.QUA_BAO_CAO: "kiểm tra qua báo cáo đối với",
            InspectionKind.TAI_KIEM_TRA: "tái kiểm tra việc khắc phục tại",
        }[k]
        parts.append(f"{text} {n} đơn vị")
    return "; ".join(parts)


def visit_members(members: list[dict[str, Any]], unit: str, team: str) -> list[dict[str, Any]]:
    """Who of the delegation worked at this unit: the members assigned to it or to its Tổ
    kiểm tra, with the head and the secretary; the whole delegation when nobody is assigned
    (plans without teams, as before)."""
    assigned = [m for m in members if unit in m["units"] or (team and m["team"] == team)]
    if not assigned:
        return members
    lead = (Role.TRUONG_DOAN.value, Role.THU_KY.value)
    return [m for m in members if m in assigned or m["role"] in lead]


def remediation_lines(rows: list[dict[str, Any]]) -> list[str]:
    """What a re-inspection found of the earlier recommendations: which were fixed."""
    if not rows:
        return []
    fixed = [r for r in rows if r["fixed"]]
    open_ = [r for r in rows if not r["fixed"]]
    lines = [
        f"Kết quả khắc phục các kiến nghị của lần kiểm tra trước (Kế hoạch số "
        f"{rows[0]['plan_number']}): đã khắc phục {len(fixed)}/{len(rows)} kiến nghị"
        + (f" (số {', '.join(str(r['number']) for r in fixed)})" if fixed else "")
        + "."
    ]
    for r in open_:
        lines.append(
            f"- Chưa khắc phục xong kiến nghị số {r['number']}: {r['text']} ({r['status_label']})."
        )
    return lines


def plan_data(store: Store, plan_id: str) -> dict[str, Any]:
    plan = store.planning.plan(plan_id)
    if plan is None:
        raise UserError(f"Không có kế hoạch {plan_id}")
    members = []
    for m in store.planning.members(plan_id):
        role = Role(m["role"]) if m["role"] in set(Role) else None
        members.append(
            {
                "name": m["full_name"],
                "position_title": m["position_title"],
                "agency": m["agency"],
                "role": m["role"],
                "role_label": role.label if role else m["role"],
                "team": m.get("team") or "",
                "units": [u for u in (m.get("units") or "").split("\n") if u],
            }
        )
    leader = next((m for m in members if m["role"] == Role.TRUONG_DOAN.value), None)
    secretary = next((m for m in members if m["role"] == Role.THU_KY.value), None)
    where = locality(plan["province"], plan["issuer"])
    return {
        "id": plan_id,
        "number": plan["number"],
        "issued_on": _date(plan["issued_on"]),
        "issuer": plan["issuer"],
        "province": where.name,
        "locality": where,  # tỉnh or Thành phố: every document names the issuer through it
        "place": where.place,
        "year": plan["year"],
        "title": plan["title"] or "",
        "members": members,
        "leader": leader,
        "secretary": secretary,
        "forms": forms_phrase(store.planning.inspections(plan_id)),
    }


@dataclass
class InspectionData:
    """Everything the minutes and the conclusion notice say about one visit."""

    plan: dict[str, Any]
    inspection: dict[str, Any]
    score: dict[str, Any]
    areas: list[dict[str, Any]]  # {code, name, items: [...]} applicable items with findings
    strengths: list[dict[str, Any]]  # {code, name, lines: [str]}
    limitations: list[dict[str, Any]]  # {code, name, lines: [{"ref": "1.1", "text": str}]}
    causes: list[str]
    recommendations: list[dict[str, Any]]  # {number, text, deadline, ref, area_code, item_code}
    derived: bool  # conclusions derived from findings (none stored)
    children: list[str] = field(default_factory=list)
    reinspection: list[str] = field(default_factory=list)  # remediation_lines of the earlier
    # TEXT items' notes, apart from strengths: {code, name, lines: [str]}
    observations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_findings(self) -> bool:
        return any(i["recorded"] for a in self.areas for i in a["items"])


def _item_row(
    item: dict[str, Any],
    finding: dict[str, Any] | None,
    evidence: list[dict[str, Any]],
    signed: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    f = finding or {}
    result = f.get("result")
    return {
        "code": item["code"],
        "text": item["text"],
        "type": item["type"],
        "max_score": item["max_score"],
        "result": result,
        "result_label": Result(result).label if result else "",
        "score": f.get("score"),
        "self_score": f.get("self_score"),
        "note": f.get("note") or "",
        "recorded": bool(result or f.get("note")),
        "evidence": cite_signatures([evidence_label(d) for d in evidence], signed or []),
    }


# The kind of a document from its ký hiệu (Nghị định 30, Phụ lục III): "17/BC-UBND" → Báo cáo.
DOCUMENT_KINDS = {
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "CT": "Chỉ thị",
    "HD": "Hướng dẫn",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "CTr": "Chương trình",
    "NQ": "Nghị quyết",
    "QC": "Quy chế",
}


def evidence_label(doc: dict[str, Any]) -> str:
    """An evidence document as a text cites it: "Kế hoạch CCHC năm 2021 số 125/KH-UBND ngày
    05/01/2021" (trích yếu, số, ngày; without a trích yếu, the kind its ký hiệu names, else
    "Văn bản")."""
    number = doc.get("number") or ""
    symbol = number.split("/", 1)[1].split("-", 1)[0] if "/" in number else ""
    kind = DOCUMENT_KINDS.get(symbol, "Văn bản") if number else ""
    parts = [doc.get("summary") or kind]
    if doc.get("number"):
        parts.append(f"số {doc['number']}")
    when = _fmt(_date(doc.get("issued_on")))
    if when:
        parts.append(f"ngày {when}")
    return " ".join(p for p in parts if p)


def cite_signatures(labels: list[str], signed: list[dict[str, str]]) -> list[str]:
    """The evidence citations with the signature notes of the finding's attached PDFs
    ({"filename", "note"}, computed by the caller: desktop.signing.evidence): the notes follow
    the last evidence document ("… ngày 05/01/2021 (văn bản điện tử có ký số của …)");
    without one, each signed file is cited by its name."""
    if not signed:
        return labels
    if labels:
        notes = "; ".join(dict.fromkeys(s["note"] for s in signed))
        return [*labels[:-1], f"{labels[-1]} ({notes})"]
    return [f"Tệp {s['filename']} ({s['note']})" for s in signed]


def with_evidence(text: str, evidence: list[str]) -> str:
    """A line drawn from a finding, citing the finding's evidence documents."""
    if not evidence:
        return text
    return f"{text.rstrip(' .;')} (tài liệu kiểm chứng: {'; '.join(evidence)})"


def _fmt(date: dt.date | None) -> str:
    return date.strftime("%d/%m/%Y") if date else ""


def group_items(
    items: list[dict[str, Any]],
    found: dict[str, dict[str, Any]],
    evidence: dict[str, list[dict[str, Any]]] | None = None,
    signatures: Mapping[str, list[dict[str, str]]] | None = None,
) -> list[dict[str, Any]]:
    """Applicable checklist items with their findings, grouped by area in checklist order;
    `signatures`: {finding id: [{"filename", "note"}]} of the signed PDFs attached."""
    areas: dict[str, dict[str, Any]] = {}
    for item in items:
        finding = found.get(item["id"])
        docs = (evidence or {}).get(finding["id"], []) if finding else []
        signed = (signatures or {}).get(finding["id"], []) if finding else []
        area = areas.setdefault(
            item["area_code"], {"code": item["area_code"], "name": item["area_name"], "items": []}
        )
        area["items"].append(_item_row(item, finding, docs, signed))
    return list(areas.values())


def derive_conclusions(
    areas: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(strengths, limitations) from the findings when the secretary saved none: the draft
    of services.conclusions.suggest (the same rule and words as the editor's draft), the
    limitations numbered per area so recommendations can cite them."""
    items = [
        {**i, "area_code": area["code"], "area_name": area["name"]}
        for area in areas
        for i in area["items"]
    ]
    docs = {i["code"]: i.get("evidence") or [] for i in items}
    strengths: list[dict[str, Any]] = []
    limitations: list[dict[str, Any]] = []
    for area in suggest(items):
        if area["strengths"]:
            cited = [
                with_evidence(text, docs.get(code or "", []))
                for text, code in zip(area["strengths"], area["strength_codes"], strict=True)
            ]
            strengths.append(
                {"code": area["area"], "name": area["name"], "lines": cited, "derived": True}
            )
        if area["limitations"]:
            n = len(limitations) + 1
            lines = [
                {"ref": f"{n}.{k}", "text": with_evidence(text, docs[code]), "item_code": code}
                for k, (code, text) in enumerate(area["limitations"], start=1)
            ]
            limitations.append(
                {"code": area["area"], "name": area["name"], "lines": lines, "derived": True}
            )
    return strengths, limitations


def stored_conclusions(
    rows: list[dict[str, Any]], areas: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(strengths, limitations, causes) as the secretary wrote them, in checklist area order."""
    names = {a["code"]: a["name"] for a in areas}
    order = {a["code"]: n for n, a in enumerate(areas)}
    rows = sorted(rows, key=lambda r: order.get(r["area_code"], -1))
    strengths, limitations, causes = [], [], []
    for r in rows:
        name = names.get(r["area_code"], "Đánh giá chung")
        if _lines(r["strengths"]):
            strengths.append(
                {"code": r["area_code"], "name": name, "lines": _lines(r["strengths"])}
            )
        if _lines(r["limitations"]):
            limitations.append(
                {"code": r["area_code"], "name": name, "lines": _lines(r["limitations"])}
            )
        causes.extend(_lines(r["causes"]))
    for n, lim in enumerate(limitations, start=1):
        lim["lines"] = [
            {"ref": f"{n}.{k}", "text": text, "item_code": None}
            for k, text in enumerate(lim["lines"], start=1)
        ]
    return strengths, limitations, causes


def derive_observations(areas: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The TEXT items' observations per area ({code, name, lines}), by suggest's rule: never
    strengths, printed in a section of their own."""
    items = [
        {**i, "area_code": area["code"], "area_name": area["name"]}
        for area in areas
        for i in area["items"]
    ]
    return [
        {"code": a["area"], "name": a["name"], "lines": [text for _, text in a["observations"]]}
        for a in suggest(items)
        if a["observations"]
    ]


def merged_conclusions(
    rows: list[dict[str, Any]], areas: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """(strengths, limitations, causes): per area and per field, the secretary's prose where
    she wrote some, else what the findings say (derive_conclusions). An area she did not
    write keeps its derived limitations, so II lists what IV recommends fixing. The
    limitations are numbered afresh ("1.1", "1.2" …) for citing."""
    derived_strengths, derived_limitations = derive_conclusions(areas)
    own_strengths, own_limitations, causes = stored_conclusions(rows, areas)
    order = {a["code"]: n for n, a in enumerate(areas)}

    def merge(own: list[dict[str, Any]], derived: list[dict[str, Any]]) -> list[dict[str, Any]]:
        written = {x["code"] for x in own}
        out = own + [x for x in derived if x["code"] not in written]
        return sorted(out, key=lambda x: order.get(x["code"], -1))

    strengths = merge(own_strengths, derived_strengths)
    limitations = [dict(x) for x in merge(own_limitations, derived_limitations)]
    for n, lim in enumerate(limitations, start=1):
        lim["lines"] = [{**line, "ref": f"{n}.{k}"} for k, line in enumerate(lim["lines"], start=1)]
    return strengths, limitations, causes


def inspection_data(
    store: Store,
    inspection_id: str,
    date: dt.date,
    signatures: Mapping[str, list[dict[str, str]]] | None = None,
) -> InspectionData:
    """The minutes' and the notice's data; `date` is the document's date (for deadlines);
    `signatures`: the signature notes of the attached PDFs, per finding (group_items)."""
    insp = store.planning.inspection(inspection_id)
    if insp is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    plan = plan_data(store, insp["plan_id"])
    items = store.findings.inspection_items(inspection_id)
    found = store.reports.report_inspection_findings(inspection_id)
    areas = group_items(items, found, store.reports.report_evidence(inspection_id), signatures)
    score = scoring.score_inspection(store, inspection_id)
    rows = store.reports.report_conclusions(inspection_id)
    strengths, limitations, causes = merged_conclusions(rows, areas)
    recommendations = recommendations_for(store, inspection_id, limitations, date)
    level = UnitLevel(insp["unit_level"])
    children = [
        i["unit"]
        for i in store.planning.inspections(insp["plan_id"])
        if i["parent_id"] == inspection_id
    ]
    kind, mode = kind_and_mode(insp["kind"], insp["mode"])
    unit = insp["unit_name"]
    plan = {**plan, "members": visit_members(plan["members"], unit, insp.get("team") or "")}
    return InspectionData(
        plan=plan,
        inspection={
            "id": inspection_id,
            "unit": insp["unit_name"],
            "level": insp["unit_level"],
            "level_label": level.label,
            "month": insp["month"],
            "visit_date": _date(insp["visit_date"]),
            "place": insp["place"] or "",
            "mode_label": mode.label,
            "kind": kind.value,
            "kind_label": kind.label,
            "check_phrase": check_phrase(kind, mode),
            "unit_phrase": unit_phrase(kind, unit),
            "venue_phrase": venue_phrase(kind, mode, insp["place"] or "", unit),
            "basis_phrase": basis_phrase(kind),
        },
        score=score,
        areas=areas,
        strengths=strengths,
        limitations=limitations,
        causes=causes,
        recommendations=recommendations,
        derived=not rows,
        children=children,
        reinspection=remediation_lines(followup.reinspected(store, inspection_id, date)),
        observations=derive_observations(areas),
    )


def recommendations_for(
    store: Store, inspection_id: str, limitations: list[dict[str, Any]], date: dt.date
) -> list[dict[str, Any]]:
    """Stored recommendations, or one per limitation with the default deadline (the visit
    date + 30 days; none when no visit date is recorded: conclusions.deadline_from_visit).
    `date` (the document's) is kept for the callers; no deadline is computed from it."""
    stored = store.reports.report_recommendations(inspection_id)
    if stored:
        return [
            {
                "number": r["number"],
                "text": r["text"],
                "deadline": _date(r["deadline"]),
                "responsible": r["responsible"],
                "area_code": r["area_code"],
                "item_code": r["item_code"],
                "ref": None,
            }
            for r in stored
        ]
    insp = store.planning.inspection(inspection_id) or {}
    deadline = deadline_from_visit(insp.get("visit_date"))
    out: list[dict[str, Any]] = []
    for lim in limitations:
        for line in lim["lines"]:
            out.append(
                {
                    "number": len(out) + 1,
                    "text": f"Khắc phục tồn tại, hạn chế nêu tại điểm {line['ref']} mục II.",
                    "deadline": deadline,
                    "responsible": "",
                    "area_code": lim["code"],
                    "item_code": line["item_code"],
                    "ref": line["ref"],
                }
            )
    return out


@dataclass
class PlanData:
    """The campaign report's and the compilation's data."""

    plan: dict[str, Any]
    rows: list[dict[str, Any]]  # score_plan rows, each with "areas_items" and "recommendations"
    area_names: list[tuple[str, str]]  # (code, name) in checklist order
    causes: list[str]
    deadlines: dict[str, list[dict[str, Any]]]  # inspection id → stored recommendations


def plan_data_full(
    store: Store,
    plan_id: str,
    date: dt.date,
    progress: Callable[[int, int], bool] | None = None,
    with_items: bool = True,
) -> PlanData:
    """Scores of every inspection of the plan with (optionally) its items and findings."""
    plan = plan_data(store, plan_id)
    found = store.reports.report_plan_findings(plan_id)
    evidence = store.reports.report_plan_evidence(plan_id) if with_items else {}
    rows = scoring.score_plan(store, plan_id, found=found)
    inspections = {i["id"]: i for i in store.planning.inspections(plan_id)}
    cache: dict[tuple[str, str], list[dict[str, Any]]] = {}
    area_names: dict[str, str] = {}
    causes: list[str] = []
    deadlines: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(rows, start=1):
        for area in row["areas"]:
            area_names.setdefault(area["code"], area["name"])
        insp = inspections[row["id"]]
        row["visit_date"] = _date(insp["visit_date"])
        row["level_label"] = UnitLevel(row["level"]).label
        if with_items:
            key = (insp["checklist_version_id"] or "", insp["level"])
            if key not in cache:
                cache[key] = (
                    store.checklists.checklist_items(key[0], UnitLevel(key[1]).letter)
                    if key[0]
                    else []
                )
            row["areas_items"] = group_items(cache[key], found.get(row["id"], {}), evidence)
        conclusions = store.reports.report_conclusions(row["id"]) if row["recorded"] else []
        # "Số kiến nghị" is the recorded recommendations (those the notice numbers), never
        # the ones a notice would derive from limitations (issue 14).
        if row["recommendations"]:
            deadlines[row["id"]] = store.reports.report_recommendations(row["id"])
        for c in conclusions:
            causes.extend(_lines(c["causes"]))
        row["default_deadline"] = deadline_from_visit(insp["visit_date"])
        if progress is not None and not progress(n, len(rows)):
            raise scoring.Cancelled()
    unique_causes = list(dict.fromkeys(causes))  # first occurrence of each, in order
    return PlanData(plan, rows, list(area_names.items()), unique_causes, deadlines)
