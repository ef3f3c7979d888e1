"""The self-assessment form from the window: write it, read the unit's or the delegation's
side back (desktop.services.selfassessment_workbook).

`install(window)` adds to the "Ghi nhận" menu:
  "Xuất phiếu tự đánh giá…"              the form of the open visit (.xlsx, printable A4);
  "Nhập phiếu tự đánh giá của đơn vị…"   read Tự đánh giá, Điểm tự chấm, Tài liệu kiểm chứng;
  "Nhập phiếu của Đoàn kiểm tra…"         read Kết quả, Điểm, Nhận xét.
A file with any bad row is refused whole: every problem (sheet, row, column, value) is listed in
a scrollable dialog and nothing is written. A good file is written in one transaction and the
table follows through the adapter (the self-assessment column, the disagreement marks).

Test seams: `SelfAssessmentController.ask_save_path`, `ask_open_path`, `ask_open_file`,
`open_file`, and dialogs_vi.show_text / inform / error.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QObject, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QWidget

from db.errors import StoreError
from desktop.services.errors import InputFileError, Problem, UserError
from desktop.ui import strings
from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.store_adapter import StoreAdapter

Side = Literal["self", "inspector"]

# Strings the user sees.
T_EXPORT = "Xuất phiếu tự đánh giá…"
T_EXPORT_TIP = (
    "Ghi phiếu tự đánh giá và kết quả kiểm tra của cuộc kiểm tra đang mở ra tệp Excel "
    "(in được khổ A4) để gửi đơn vị điền"
)
T_IMPORT = {
    "self": "Nhập phiếu tự đánh giá của đơn vị…",
    "inspector": "Nhập phiếu của Đoàn kiểm tra…",
}
T_IMPORT_TIP = {
    "self": "Nạp các cột Tự đánh giá, Điểm tự chấm, Tài liệu kiểm chứng của phiếu đơn vị đã điền",
    "inspector": "Nạp các cột Kết quả, Điểm, Nhận xét của phiếu Đoàn kiểm tra đã điền",
}
T_FILTER = strings.FILTER_XLSX
T_FILE_NAME = "Phiếu tự đánh giá - {unit}"
T_EXPORT_TITLE = "Xuất phiếu tự đánh giá"
T_EXPORTED = "Đã ghi phiếu tự đánh giá của {unit} vào tệp:\n{path}\n\nMở tệp ngay bây giờ?"
T_OPEN_FILE = strings.OPEN_FILE
T_EXPORT_FAILED = "Không xuất được phiếu tự đánh giá"
T_OPEN_FAILED = strings.CANNOT_OPEN_FILE
T_IMPORT_TITLE = {
    "self": "Nhập phiếu tự đánh giá của đơn vị",
    "inspector": "Nhập phiếu của Đoàn kiểm tra",
}
T_IMPORTED = "Đã nhập {n} nội dung"
T_UNCHANGED = "{n} nội dung không đổi (ô để trống hoặc giống kết quả đã ghi)."
T_IMPORT_FAILED = "Không nhập được phiếu"
T_REFUSED = (
    "Tệp {name} bị từ chối: chưa có gì được ghi vào cơ sở dữ liệu.\n"
    "Sửa {n} lỗi dưới đây trong tệp rồi nhập lại."
)
T_WHERE_SHEET = "Trang “{sheet}”"
T_WHERE_ROW = "dòng {row}"
T_WHERE_COLUMN = "cột “{column}”"
T_WHERE_VALUE = "giá trị “{value}”"
T_NO_INSPECTION = strings.PICK_INSPECTION
T_READ_ONLY = "Cơ sở dữ liệu đang mở chỉ đọc: không nhập được phiếu."

SETTING_FORM_DIR = "ui.selfassessment_dir"


def problem_line(problem: Problem) -> str:
    """Where (sheet, row, column), the value found there, and what is wrong with it."""
    where = [T_WHERE_SHEET.format(sheet=problem.sheet)]
    if problem.row is not None:
        where.append(T_WHERE_ROW.format(row=problem.row))
    if problem.column:
        where.append(T_WHERE_COLUMN.format(column=problem.column))
    if problem.value not in (None, ""):
        where.append(T_WHERE_VALUE.format(value=problem.value))
    return f"{', '.join(where)}: {problem.message}"


def problem_lines(problems: list[Problem]) -> str:
    """One numbered line per problem, for the scrollable list."""
    return "\n".join(f"{n}. {problem_line(p)}" for n, p in enumerate(problems, start=1))


class SelfAssessmentController(QObject):
    """Writes and reads the form of the visit `current_inspection()` names.

    Signals:
      exported(path: str) — the form was written.
      imported(inspection_id: str, side: str, updated: int) — a form was read back and written.
      refused(problems: list) — a form was refused (its problems were shown); nothing written.
    """

    exported = Signal(str)
    imported = Signal(str, str, int)
    refused = Signal(list)

    def __init__(
        self,
        adapter: StoreAdapter,
        parent: QWidget,
        current_inspection: Callable[[], str | None],
        flush: Callable[[], Any] | None = None,
        status: Callable[[str, int], Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.widget = parent
        self.current_inspection = current_inspection
        self.flush = flush or (lambda: None)
        self.status = status or (lambda _text, _ms: None)  # the window's status bar
        self.export_action = QAction(T_EXPORT, parent)
        self.export_action.setToolTip(T_EXPORT_TIP)
        self.export_action.triggered.connect(lambda _checked=False: self.export_form())
        self.import_actions: dict[str, QAction] = {}
        for side in ("self", "inspector"):
            action = QAction(T_IMPORT[side], parent)
            action.setToolTip(T_IMPORT_TIP[side])
            action.triggered.connect(lambda _checked=False, side=side: self.import_form(side))
            self.import_actions[side] = action

    @Slot()
    def refresh_actions(self) -> None:
        """Enable the entries for an open visit (the imports only on a writable database)."""
        has_visit = bool(self.current_inspection())
        writable = not self.adapter.read_only
        self.export_action.setEnabled(has_visit)
        for action in self.import_actions.values():
            action.setEnabled(has_visit and writable)

    # -- seams ----------------------------------------------------------------------------
    @staticmethod
    def ask_save_path(parent: QWidget | None, caption: str, suggested: Path) -> Path | None:
        """Ask where to write the form; tests patch this."""
        path = file_dialogs.save_file(parent, caption, str(suggested), T_FILTER)
        return Path(path) if path else None

    @staticmethod
    def ask_open_path(parent: QWidget | None, caption: str, folder: str) -> Path | None:
        """Ask for a filled form; tests patch this."""
        path = file_dialogs.open_file(parent, caption, folder, T_FILTER)
        return Path(path) if path else None

    @staticmethod
    def ask_open_file(parent: QWidget | None, unit: str, path: Path) -> bool:
        """Tell the form was written; True when the user wants to open it. Tests patch this."""
        return dialogs_vi.ask_yes_no(
            parent,
            T_EXPORT_TITLE,
            T_EXPORTED.format(unit=unit, path=path),
            yes=T_OPEN_FILE,
            no=dialogs_vi.T_CLOSE,
        )

    @staticmethod
    def open_file(path: Path) -> bool:
        """Open a file with the system's viewer (Excel, LibreOffice)."""
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    # -- the work -------------------------------------------------------------------------
    def _folder(self) -> str:
        return self.adapter.setting(SETTING_FORM_DIR) or str(Path.home())

    def _remember_folder(self, path: Path) -> None:
        self.adapter.set_setting(SETTING_FORM_DIR, str(path.parent))

    @Slot()
    def export_form(self) -> Path | None:
        """Write the form of the open visit, with what is recorded so far; offer to open it."""
        from desktop.services.selfassessment_workbook import write_form
        from desktop.ui.exports.dialog import safe_file_name

        inspection_id = self.current_inspection()
        insp = self.adapter.inspection(inspection_id) if inspection_id else None
        if insp is None or inspection_id is None:
            dialogs_vi.error(self.widget, T_EXPORT_FAILED, T_NO_INSPECTION)
            return None
        unit = insp.get("unit_name") or ""
        name = safe_file_name(T_FILE_NAME.format(unit=unit))
        target = self.ask_save_path(self.widget, T_EXPORT_TITLE, Path(self._folder()) / name)
        if target is None:
            return None
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(f"{target.name}.xlsx")
        self.flush()  # what is being typed goes on the form too
        try:
            path = write_form(self.adapter.reads, inspection_id, target)
        except (UserError, StoreError, OSError) as exc:
            dialogs_vi.error(self.widget, T_EXPORT_FAILED, str(exc))
            return None
        self._remember_folder(path)
        self.exported.emit(str(path))
        if self.ask_open_file(self.widget, unit, path) and not self.open_file(path):
            dialogs_vi.error(self.widget, T_EXPORT_FAILED, T_OPEN_FAILED.format(path=path))
        return path

    def import_form(self, side: Side) -> dict[str, int] | None:
        """Read one side of a filled form into the open visit; None when nothing was written."""
        from desktop.services.selfassessment_workbook import read_form

        title = T_IMPORT_TITLE[side]
        inspection_id = self.current_inspection()
        if not inspection_id or self.adapter.inspection(inspection_id) is None:
            dialogs_vi.error(self.widget, T_IMPORT_FAILED, T_NO_INSPECTION)
            return None
        if self.adapter.read_only:
            dialogs_vi.error(self.widget, T_IMPORT_FAILED, T_READ_ONLY)
            return None
        path = self.ask_open_path(self.widget, title, self._folder())
        if path is None:
            return None
        self._remember_folder(path)
        self.flush()  # the editor's pending text first, so the form's values come last
        try:
            changes = read_form(self.adapter.reads, inspection_id, path, side)
            summary = self.adapter.apply_form(inspection_id, changes)
        except InputFileError as exc:
            if exc.problems:
                dialogs_vi.show_text(
                    self.widget,
                    T_IMPORT_FAILED,
                    T_REFUSED.format(name=path.name, n=len(exc.problems)),
                    problem_lines(exc.problems),
                )
            else:
                dialogs_vi.error(self.widget, T_IMPORT_FAILED, str(exc))
            self.refused.emit(list(exc.problems))
            return None
        except (UserError, StoreError, OSError) as exc:
            dialogs_vi.error(self.widget, T_IMPORT_FAILED, str(exc))
            self.refused.emit([])
            return None
        self.imported.emit(inspection_id, side, summary["updated"])
        text = T_IMPORTED.format(n=summary["updated"])
        if summary["unchanged"]:
            text += ".\n" + T_UNCHANGED.format(n=summary["unchanged"])
        self.status(T_IMPORTED.format(n=summary["updated"]), 8000)
        dialogs_vi.inform(self.widget, title, text)
        return summary
