"""The "Xuất báo cáo" menu: documents of the selected inspection and of the plan.

For each document: a dialog asks số/ký hiệu, ngày and người ký (pre-filled from the values
remembered — number and date per inspection for the minutes and the notice, the signer per
kind — and remembered again after), a save dialog picks the file, the work runs in a
worker with a cancellable progress dialog (desktop/ui/workers.py), and afterwards the user may
open the file with the system's viewer.

Test seams: `ReportOptionsDialog.ask`, `ExportController.ask_save_path`,
`ExportController.ask_open_file` and `open_file` (QDesktopServices.openUrl); Ký số…:
`signing.SignDialog.ask`.

After a PDF is written the "done" box offers Ký số… too (`sign_pdf`): the PDF is signed with a
PKCS#12 file in a worker, into a file the user picks (desktop/signing does the work).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import nfc
from desktop.services import judging
from desktop.ui import strings
from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.common.keyboard import DateField
from desktop.ui.common.workers import Task, own_store, show_error
from desktop.ui.exports.labels import EXPORT_LABELS as LABELS
from desktop.ui.store_adapter import StoreAdapter

# Strings the user sees.
T_TITLE = "Xuất báo cáo"
T_OPTIONS_TITLE = "Thông tin văn bản"
T_NUMBER = "Số/ký hiệu:"
T_NUMBER_HINT = "ví dụ 12/BB-ĐKT"
# The example fits the document (BB biên bản of the ĐKT, TB thông báo, BC báo cáo of the SNV).
T_NUMBER_HINTS = {
    "bien-ban": T_NUMBER_HINT,
    "ket-luan": "ví dụ 12/TB-SNV",
    "bao-cao": "ví dụ 12/BC-SNV",
    "tong-hop": "ví dụ 12/BC-SNV",
}
T_DATE = strings.ISSUED_ON
T_SIGNER = "Người ký:"
T_SIGNER_HINT = "để trống: Trưởng đoàn"
T_GENERATE = "Lập văn bản"
T_CANCEL = strings.CANCEL
T_WORKING = "Đang lập {label}…"
T_DONE_TITLE = "Đã xuất báo cáo"
T_DONE = "Đã ghi {label} vào tệp:\n{path}"
T_OPEN = strings.OPEN_FILE
T_CLOSE = strings.CLOSE
T_FAILED = "Không xuất được báo cáo"
T_CANCELLED = "Đã hủy xuất báo cáo; không có tệp nào được ghi."
T_NO_INSPECTION = strings.PICK_INSPECTION
T_NO_PLAN = "Chưa có kế hoạch kiểm tra nào."
T_OPEN_FAILED = strings.CANNOT_OPEN_FILE
T_CONCLUDE_TITLE = "Đánh dấu đã kết luận"
T_CONCLUDE_ASK = (
    "Đã lập Thông báo kết luận cho {unit}.\n\n"
    "Đánh dấu cuộc kiểm tra này là “Đã kết luận”? (Có thể mở lại sau.)"
)
T_CONCLUDE_UNRECORDED = "Lưu ý: còn {n}/{total} nội dung chưa ghi nhận."
T_SIGN_BUTTON = "Ký số…"
T_SIGN_LABEL = "Văn bản đã ký số"
T_SIGNING = "Đang ký số…"
T_SIGN_FAILED = "Không ký số được"
T_SIGNED_NAME = "{stem} (đã ký số)"
# ask_open_file's answer when the user pressed Ký số….
SIGN = "sign"
SETTING_SIGN_KEY = "ui.sign_pkcs12"
SETTING_SIGN_IMAGE = "ui.sign_image"

FILTERS = {
    "pdf": "Tệp PDF (*.pdf)",
    "docx": "Tài liệu Word (*.docx)",
    "xlsx": "Bảng tính Excel (*.xlsx)",
}
SETTING_EXPORT_DIR = "ui.export_dir"


@dataclass
class DocumentChoice:
    """What the secretary typed in the options dialog."""

    number: str
    date: dt.date
    signer: str


def safe_file_name(text: str) -> str:
    """A file name from a title: no path separators or characters Windows refuses."""
    cleaned = re.sub(r'[\\/:*?"<>|\r\n\t]+', "-", nfc(text)).strip(" .-")
    return re.sub(r"\s+", " ", cleaned)[:120] or "bao-cao"


class ReportOptionsDialog(QDialog):
    """Số/ký hiệu, ngày ban hành, người ký of one document."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        number: str,
        date: dt.date,
        signer: str,
        kind: str = "bien-ban",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_OPTIONS_TITLE)
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: 600")
        layout.addWidget(heading)
        form = QFormLayout()
        self.number_edit = QLineEdit(number)
        self.number_edit.setPlaceholderText(T_NUMBER_HINTS.get(kind, T_NUMBER_HINT))
        self.date_edit = DateField(QDate(date.year, date.month, date.day))
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.signer_edit = QLineEdit(signer)
        self.signer_edit.setPlaceholderText(T_SIGNER_HINT)
        form.addRow(T_NUMBER, self.number_edit)
        form.addRow(T_DATE, self.date_edit)
        form.addRow(T_SIGNER, self.signer_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox()
        buttons.addButton(T_GENERATE, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(T_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        # The remembered number is selected: typing replaces it ("12/TB-SNV12/TB-SNV" was
        # printed when it was appended to).
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.number_edit.selectAll()

    def choice(self) -> DocumentChoice:
        d = self.date_edit.date()
        return DocumentChoice(
            nfc(self.number_edit.text()).strip(),
            dt.date(d.year(), d.month(), d.day()),
            nfc(self.signer_edit.text()).strip(),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        number: str,
        date: dt.date,
        signer: str,
        kind: str = "bien-ban",
    ) -> DocumentChoice | None:
        """Show the dialog; the choice, or None when the user cancelled."""
        dialog = cls(parent, title, number, date, signer, kind)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ExportController(QObject):
    """Runs the exports for a window.

    `current_plan()` and `current_inspection()` say what is selected.

    Signals:
      taskCreated(task: Task) — a worker is about to start (tests hook into its progress).
      exported(path: str) — a file was written.
      failed(message: str) — an export failed (the message was shown).
      cancelled() — the user stopped an export.
      signed(path: str) — a signed PDF was written (Ký số…).
    """

    taskCreated = Signal(object)
    exported = Signal(str)
    signed = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        adapter: StoreAdapter,
        parent: QWidget,
        current_plan: Callable[[], str | None],
        current_inspection: Callable[[], str | None],
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.widget = parent
        self.current_plan = current_plan
        self.current_inspection = current_inspection
        self.task: Task | None = None

    # -- seams ----------------------------------------------------------------------------
    @staticmethod
    def ask_save_path(
        parent: QWidget | None, caption: str, suggested: Path, file_filter: str
    ) -> Path | None:
        """Ask where to write; tests patch this."""
        path = file_dialogs.save_file(parent, caption, str(suggested), file_filter)
        return Path(path) if path else None

    @staticmethod
    def ask_open_file(parent: QWidget | None, label: str, path: Path) -> bool | str:
        """Tell the file was written; True when the user wants to open it, SIGN ("sign") when
        they pressed Ký số… (offered for a PDF). Tests patch this."""
        text = T_DONE.format(label=label, path=path)
        box = dialogs_vi.message_box(parent, QMessageBox.Icon.Information, T_DONE_TITLE, text)
        open_button = box.addButton(T_OPEN, QMessageBox.ButtonRole.AcceptRole)
        sign_button = None
        if path.suffix.lower() == ".pdf":
            sign_button = box.addButton(T_SIGN_BUTTON, QMessageBox.ButtonRole.ActionRole)
        box.addButton(T_CLOSE, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)
        box.exec()
        if sign_button is not None and box.clickedButton() is sign_button:
            return SIGN
        return box.clickedButton() is open_button

    @staticmethod
    def ask_mark_concluded(
        parent: QWidget | None, unit: str, unrecorded: int = 0, total: int = 0
    ) -> bool:
        """After the conclusion notice: mark the visit concluded? With items still unrecorded
        the question says how many and "Không" is the default. Tests patch this."""
        text = T_CONCLUDE_ASK.format(unit=unit)
        if unrecorded:
            text += "\n\n" + T_CONCLUDE_UNRECORDED.format(n=unrecorded, total=total)
        return dialogs_vi.ask_yes_no(parent, T_CONCLUDE_TITLE, text, default_yes=not unrecorded)

    def offer_concluded(self, inspection_id: str) -> bool:
        """Offer to mark a visit "Đã kết luận" (unless it is already); True when marked."""
        insp = self.adapter.inspection(inspection_id)
        if insp is None or insp["status"] == "da-ket-luan" or self.adapter.read_only:
            return False
        rows = self.adapter.inspection_items(inspection_id)
        unrecorded = sum(not judging.is_recorded(r) for r in rows)
        unit = insp.get("unit_name") or ""
        if not self.ask_mark_concluded(self.widget, unit, unrecorded, len(rows)):
            return False
        return self.adapter.inspection_step(inspection_id, "conclude") is not None

    @staticmethod
    def open_file(path: Path) -> bool:
        """Open a file with the system's viewer."""
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    # -- the documents --------------------------------------------------------------------
    def export_inspection(self, kind: str, fmt: str) -> Task | None:
        """Biên bản ("bien-ban") or Thông báo kết luận ("ket-luan") of the selected visit."""
        inspection_id = self.current_inspection()
        inspection = self._inspection(inspection_id) if inspection_id else None
        if inspection is None or inspection_id is None:
            show_error(self.widget, T_FAILED, T_NO_INSPECTION)
            return None
        label = LABELS[kind]
        options = self._ask_options(kind, f"{label} — {inspection['unit']}", inspection_id)
        if options is None:
            return None
        target = self._ask_target(label, f"{label} - {inspection['unit']}", fmt)
        if target is None:
            return None

        def work(progress: Any) -> Path:
            from desktop.reports.service import inspection_report
            from desktop.signing.evidence import evidence_signature_notes

            with own_store(self._db_path(), read_only=True) as store:
                # The attached PDFs' signatures, cited with the findings' evidence.
                signed = evidence_signature_notes(store, self._db_path(), inspection_id)
                return inspection_report(
                    store, inspection_id, kind, fmt, target, None, progress, signed
                )

        after = (lambda: self.offer_concluded(inspection_id)) if kind == "ket-luan" else None
        return self._run(label, work, after)

    def export_plan_report(self, fmt: str) -> Task | None:
        """Báo cáo kết quả kiểm tra of the plan shown."""
        plan = self._plan()
        if plan is None:
            return None
        label = LABELS["bao-cao"]
        if self._ask_options("bao-cao", f"{label} — {plan['number']}") is None:
            return None
        target = self._ask_target(label, f"{label} - {plan['number']}", fmt)
        if target is None:
            return None
        plan_id = plan["id"]

        def work(progress: Any) -> Path:
            from desktop.reports.service import plan_report

            with own_store(self._db_path(), read_only=True) as store:
                return plan_report(store, plan_id, fmt, target, None, progress)

        return self._run(label, work)

    def export_summary(self) -> Task | None:
        """Bảng tổng hợp (XLSX) of the plan shown."""
        plan = self._plan()
        if plan is None:
            return None
        label = LABELS["tong-hop"]
        target = self._ask_target(label, f"{label} - {plan['number']}", "xlsx")
        if target is None:
            return None
        plan_id = plan["id"]

        def work(progress: Any) -> Path:
            from desktop.reports.service import plan_summary

            with own_store(self._db_path(), read_only=True) as store:
                return plan_summary(store, plan_id, target, progress)

        return self._run(label, work)

    # -- steps ----------------------------------------------------------------------------
    def _db_path(self) -> Path:
        path = self.adapter.path
        assert path is not None, "exports need a database file"
        return path

    def _inspection(self, inspection_id: str) -> dict[str, Any] | None:
        row = self.adapter.inspection(inspection_id)
        if row is None:
            return None
        listed = self.adapter.inspections(row["plan_id"])
        return next((i for i in listed if i["id"] == inspection_id), None)

    def _plan(self) -> dict[str, Any] | None:
        plan_id = self.current_plan()
        plan = next((p for p in self.adapter.plans() if p["id"] == plan_id), None)
        if plan is None:
            show_error(self.widget, T_FAILED, T_NO_PLAN)
        return plan

    def _ask_options(
        self, kind: str, title: str, inspection_id: str | None = None
    ) -> DocumentChoice | None:
        """Ask, pre-filled from what the report service would use (number and date per
        inspection for the minutes and the notice, signer per kind), then remember the
        answer the same way, here in the GUI's writable Store: the worker then reads them
        through its own read-only Store."""
        from desktop.reports.context import ReportOptions, remembered_options

        store = self.adapter.reads
        default_date = self._default_date(kind, inspection_id)
        known = remembered_options(store, kind, inspection_id, default_date)
        choice = ReportOptionsDialog.ask(
            self.widget,
            title,
            known.number or "",
            known.date or dt.date.today(),
            known.signer or "",
            kind,
        )
        if choice is None:
            return None
        self.adapter.remember_report_options(
            kind,
            ReportOptions(choice.number or None, choice.date, choice.signer or None),
            inspection_id,
            default_date,
        )
        return choice

    def _default_date(self, kind: str, inspection_id: str | None) -> dt.date | None:
        """The date a document gets when none is remembered, as the report service does:
        the minutes are signed on site, on the visit day; the rest default to today."""
        if kind != "bien-ban" or not inspection_id:
            return None
        visit = (self.adapter.inspection(inspection_id) or {}).get("visit_date")
        try:
            return dt.date.fromisoformat(str(visit)[:10]) if visit else None
        except ValueError:
            return None

    def _ask_target(self, label: str, name: str, fmt: str) -> Path | None:
        folder = self.adapter.setting(SETTING_EXPORT_DIR) or str(Path.home())
        suggested = Path(folder) / f"{safe_file_name(name)}.{fmt}"
        target = self.ask_save_path(self.widget, label, suggested, FILTERS[fmt])
        if target is None:
            return None
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(f"{target.name}.{fmt}")
        self.adapter.set_setting(SETTING_EXPORT_DIR, str(target.parent))
        return target

    def _run(self, label: str, work: Any, after: Callable[[], Any] | None = None) -> Task:
        task = Task(self.widget, T_TITLE, T_WORKING.format(label=label.lower()), work)
        self.task = task
        task.succeeded.connect(lambda path: self._succeeded(label, Path(path), after))
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        self.taskCreated.emit(task)
        return task.start()

    def _succeeded(self, label: str, path: Path, after: Callable[[], Any] | None = None) -> None:
        self.exported.emit(str(path))
        answer = self.ask_open_file(self.widget, label, path)
        if answer == SIGN:
            self.sign_pdf(path)
        elif answer and not self.open_file(path):
            show_error(self.widget, T_FAILED, T_OPEN_FAILED.format(path=path))
        if after is not None:
            after()

    # -- Ký số… ---------------------------------------------------------------------------
    def sign_pdf(self, source: Path) -> Task | None:
        """Sign `source` with a PKCS#12 file: ask the key and passphrase, then where to write
        the signed copy, then sign in a worker. The key file and image are remembered."""
        from desktop.ui.exports.signing import SignDialog

        choice = SignDialog.ask(
            self.widget,
            source,
            self.adapter.setting(SETTING_SIGN_KEY) or "",
            self.adapter.setting(SETTING_SIGN_IMAGE) or "",
        )
        if choice is None:
            return None
        suggested = source.with_name(T_SIGNED_NAME.format(stem=source.stem) + ".pdf")
        target = self.ask_save_path(self.widget, T_SIGN_LABEL, suggested, FILTERS["pdf"])
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_name(f"{target.name}.pdf")
        self.adapter.set_setting(SETTING_SIGN_KEY, str(choice.pkcs12))
        self.adapter.set_setting(SETTING_SIGN_IMAGE, str(choice.image) if choice.image else None)

        def work(_progress: Any) -> Any:  # a desktop.signing.sign.SignResult
            from desktop.signing.keys import Pkcs12Key
            from desktop.signing.sign import SignRequest, sign_pdf

            request = SignRequest(
                source=source,
                output=target,
                key=Pkcs12Key(choice.pkcs12, choice.passphrase),
                image=choice.image,
                title_lines=choice.title_lines,
                organisation=choice.organisation,
            )
            return sign_pdf(request)

        task = Task(self.widget, T_SIGN_LABEL, T_SIGNING, work, cancellable=False)
        self.task = task
        task.succeeded.connect(self._signed)
        task.failed.connect(lambda message: self._sign_failed(message))
        self.taskCreated.emit(task)
        return task.start()

    def _signed(self, result: Any) -> None:
        path = Path(result.output)
        if result.warning:  # signed all the same, but the secretary must see it (another name)
            dialogs_vi.warn(self.widget, T_SIGN_LABEL, result.warning)
        self.signed.emit(str(path))
        # Ký số… again signs the signed copy: the body's signature over the signer's.
        answer = self.ask_open_file(self.widget, T_SIGN_LABEL, path)
        if answer == SIGN:
            self.sign_pdf(path)
        elif answer and not self.open_file(path):
            show_error(self.widget, T_FAILED, T_OPEN_FAILED.format(path=path))

    def _sign_failed(self, message: str) -> None:
        show_error(self.widget, T_SIGN_FAILED, message)
        self.failed.emit(message)

    @Slot(str)
    def _failed(self, message: str) -> None:
        show_error(self.widget, T_FAILED, message)
        self.failed.emit(message)

    @Slot()
    def _cancelled(self) -> None:
        status = getattr(self.widget, "statusBar", None)
        if callable(status):
            status().showMessage(T_CANCELLED, 8000)
        self.cancelled.emit()
