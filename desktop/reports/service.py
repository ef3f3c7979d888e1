"""Entry points: build a document from the database and write it atomically.

Each takes an optional `progress(done, total) -> bool` callback; returning False cancels
(scoring.Cancelled) and leaves nothing behind. The target appears only when complete: the
file is written beside it under a temporary name, then renamed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from db import Store
from db.files import atomic_path
from desktop.reports.context import (
    ReportOptions,
    inspection_data,
    plan_data_full,
    resolve_options,
)
from desktop.reports.documents import Document
from desktop.services.errors import UserError
from desktop.services.scoring import Cancelled

Progress = Callable[[int, int], bool]
INSPECTION_KINDS = ("bien-ban", "ket-luan")
FORMATS = ("pdf", "docx")


@contextlib.contextmanager
def atomic_output(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it onto `target` only on success."""
    target = Path(target)
    folder = target.resolve().parent
    if not folder.is_dir():
        raise UserError(f"Không có thư mục {folder}")
    try:
        # A document the user hands on: an ordinary file (db.files' DOCUMENT mode).
        with atomic_path(target) as tmp:
            yield tmp
    except PermissionError as exc:
        raise UserError(f"Không ghi được tệp {target}: không có quyền ghi") from exc


def _step(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and not progress(done, total):
        raise Cancelled()


def _write(doc: Document, fmt: str, target: str | Path, progress: Progress | None = None) -> Path:
    if fmt not in FORMATS:
        raise UserError(f"Định dạng không hỗ trợ: {fmt} (chọn pdf hoặc docx)")
    with atomic_output(target) as tmp:
        if fmt == "pdf":
            from desktop.reports.layout_pdf import write_pdf

            write_pdf(doc, tmp)
        else:
            from desktop.reports.layout_docx import write_docx

            write_docx(doc, tmp)
        _step(progress, 100, 100)  # the last chance to cancel, before the rename
    return Path(target)


def inspection_report(
    store: Store,
    inspection_id: str,
    kind: str,
    fmt: str,
    target: str | Path,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
    signatures: Mapping[str, list[dict[str, str]]] | None = None,
) -> Path:
    """Biên bản ("bien-ban") or Thông báo kết luận ("ket-luan") of one inspection;
    `signatures`: the signature notes of the PDFs attached to its findings (plain data the
    caller computes with desktop.signing.evidence.evidence_signature_notes), cited with the
    findings' evidence."""
    from desktop.reports import documents

    if kind not in INSPECTION_KINDS:
        raise UserError(f"Loại văn bản không hỗ trợ: {kind} (chọn bien-ban hoặc ket-luan)")
    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    _step(progress, 0, 3)
    # The minutes are signed on site: dated the visit day unless a date is given.
    visit = inspection["visit_date"]
    default_date = dt.date.fromisoformat(visit[:10]) if kind == "bien-ban" and visit else None
    opts = resolve_options(store, kind, options, inspection_id, default_date)
    data = inspection_data(store, inspection_id, opts.date or _today(), signatures)
    _step(progress, 1, 3)
    build = documents.minutes if kind == "bien-ban" else documents.conclusion_notice
    doc = build(data, opts)
    _step(progress, 2, 3)
    return _write(doc, fmt, target, progress)


def remediation_form(
    store: Store, inspection_id: str, fmt: str, target: str | Path, progress: Progress | None = None
) -> Path:
    """Báo cáo kết quả khắc phục: the form the unit fills in and sends back after the
    conclusion notice, citing the notice as the reminder does (its remembered số and ngày)."""
    from desktop.reports import documents
    from desktop.services.reminders import notice_reference

    inspection = store.planning.inspection(inspection_id)
    if inspection is None:
        raise UserError(f"Không có cuộc kiểm tra {inspection_id}")
    parent = store.planning.inspection(inspection["parent_id"]) if inspection["parent_id"] else None
    data = inspection_data(store, inspection_id, _today())
    notice = notice_reference(store, inspection_id)
    doc = documents.remediation_form(data, notice, parent["unit_name"] if parent else None)
    return _write(doc, fmt, target, progress)


def plan_report(
    store: Store,
    plan_id: str,
    fmt: str,
    target: str | Path,
    options: ReportOptions | None = None,
    progress: Progress | None = None,
) -> Path:
    """Báo cáo kết quả kiểm tra of the whole plan."""
    from desktop.reports import documents

    if store.planning.plan(plan_id) is None:
        raise UserError(f"Không có kế hoạch {plan_id}")
    opts = resolve_options(store, "bao-cao", options)
    data = plan_data_full(store, plan_id, opts.date or _today(), _scaled(progress, 0.8))
    doc = documents.campaign_report(data, opts)
    return _write(doc, fmt, target, progress)


def plan_summary(
    store: Store, plan_id: str, target: str | Path, progress: Progress | None = None
) -> Path:
    """The Excel compilation of a plan (sheet "Tổng hợp" and one sheet per unit)."""
    from desktop.reports.compilation_xlsx import write_xlsx

    if store.planning.plan(plan_id) is None:
        raise UserError(f"Không có kế hoạch {plan_id}")
    data = plan_data_full(store, plan_id, _today(), _scaled(progress, 0.8))
    with atomic_output(target) as tmp:
        write_xlsx(data, tmp)
        _step(progress, 100, 100)
    return Path(target)


def _scaled(progress: Progress | None, share: float) -> Progress | None:
    """Report the first `share` of the work as percent."""
    if progress is None:
        return None
    return lambda done, total: progress(int(100 * share * done / max(total, 1)), 100)


def _today() -> dt.date:  # a tiny helper, patched in tests
    return dt.date.today()
