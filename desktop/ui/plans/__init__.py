"""Plans from the window (issue 17): Tệp ▸ Tạo mẫu kế hoạch…, Nạp kế hoạch từ Excel…, Cập
nhật kế hoạch…, Thêm cuộc kiểm tra… (the dialog in plans/dialog.py); on an
empty database a banner offers the same. Writes go through the adapter (import_plan,
add_inspection), which announces plansChanged: the navigation shows the plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.services.errors import InputFileError, UserError
from desktop.services.plans import RemovalRefused
from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.shell import ActionId, MenuId

if TYPE_CHECKING:
    from desktop.ui.shell import Shell

T_TEMPLATE = "Tạo mẫu kế hoạch…"
T_IMPORT = "Nạp kế hoạch từ Excel…"
T_UPDATE = "Cập nhật kế hoạch…"
T_ADD = "Thêm cuộc kiểm tra…"
T_ADD_TIP = "Thêm một đơn vị vào kế hoạch đang mở (ví dụ chọn ngẫu nhiên, kiểm tra đột xuất)"
T_XLSX = "Sổ tính Excel (*.xlsx)"
T_TEMPLATE_NAME = "mau-ke-hoach-kiem-tra.xlsx"
T_TEMPLATE_DONE = "Đã ghi mẫu kế hoạch: {path}"
T_REFUSED = "Không nạp được kế hoạch"
T_IMPORTED = "Đã nạp kế hoạch {number} năm {year}: {units} đơn vị, {members} thành viên đoàn"
T_UPDATED = (
    "Đã cập nhật kế hoạch {number} năm {year}: thêm {added} cuộc kiểm tra, sửa {changed}, "
    "xóa {removed}"
)
T_REMOVE_TITLE = "Cập nhật kế hoạch"
T_REMOVE_ASK = "Tệp không còn các mục sau. Xóa chúng khỏi kế hoạch?\n\n{lines}"
T_REMOVE_YES = "Xóa và cập nhật"
T_EMPTY = (
    "Để bắt đầu: tạo mẫu kế hoạch, điền vào Excel rồi nạp kế hoạch; hoặc mở cơ sở dữ liệu "
    "khác (Ctrl+O)."
)


class PlansFeature(QObject):
    """The plan entries of the Tệp menu, and the empty-database banner."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        parent = shell.widget
        self.template_action = QAction(T_TEMPLATE, parent)
        self.import_action = QAction(T_IMPORT, parent)
        self.update_action = QAction(T_UPDATE, parent)
        self.add_action = QAction(T_ADD, parent)
        self.add_action.setToolTip(T_ADD_TIP)
        self.template_action.triggered.connect(self.make_template)
        self.import_action.triggered.connect(lambda: self.load(update=False))
        self.update_action.triggered.connect(lambda: self.load(update=True))
        self.add_action.triggered.connect(self.open_add_dialog)
        quit_action = shell.action(ActionId.QUIT)
        file_menu = shell.menu(MenuId.FILE)
        # With the plan's other entries (the Ghi nhận menu ends with the forms' entries).
        for action in (
            self.template_action,
            self.import_action,
            self.update_action,
            self.add_action,
        ):
            file_menu.insertAction(quit_action, action)
        file_menu.insertSeparator(quit_action)
        self.banner = self._make_banner()
        shell.add_banner(self.banner)
        shell.adapter.storeReplaced.connect(self.refresh)
        shell.adapter.plansChanged.connect(self.refresh)
        shell.selection.planChanged.connect(self.refresh)
        self.refresh()

    def _make_banner(self) -> QWidget:
        banner = QWidget()
        row = QHBoxLayout(banner)
        row.setContentsMargins(0, 4, 0, 4)
        label = QLabel(T_EMPTY)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        for action in (self.template_action, self.import_action):
            button = QPushButton(action.text())
            button.clicked.connect(action.trigger)
            row.addWidget(button)
        return banner

    @Slot()
    def refresh(self) -> None:
        """The banner only on a database with no plan; writes only on a writable one."""
        adapter = self.shell.adapter
        has_plans = bool(adapter.plans())
        self.banner.setVisible(not has_plans)
        writable = not adapter.read_only
        for action in (self.import_action, self.update_action):
            action.setEnabled(writable)
        self.update_action.setEnabled(writable and has_plans)
        self.add_action.setEnabled(writable and bool(self.shell.selection.plan_id))

    # -- what tests replace ---------------------------------------------------------------
    def ask_open_path(self, title: str) -> Path | None:
        path = file_dialogs.open_file(self.shell.widget, title, "", T_XLSX)
        return Path(path) if path else None

    def ask_save_path(self, title: str) -> Path | None:
        path = file_dialogs.save_file(self.shell.widget, title, T_TEMPLATE_NAME, T_XLSX)
        return Path(path) if path else None

    def show_problems(self, message: str, text: str) -> None:
        dialogs_vi.show_text(self.shell.widget, T_REFUSED, message, text)

    def confirm_removal(self, lines: list[str]) -> bool:
        return dialogs_vi.confirm_delete(
            self.shell.widget,
            T_REMOVE_TITLE,
            T_REMOVE_ASK.format(lines="\n".join(lines)),
            accept=T_REMOVE_YES,
        )

    def tell(self, title: str, text: str) -> None:
        dialogs_vi.warn(self.shell.widget, title, text)

    # -- the actions ----------------------------------------------------------------------
    @Slot()
    def make_template(self) -> Path | None:
        """Write the empty plan workbook where the user chooses."""
        from desktop.services.plan_workbook import write_template

        path = self.ask_save_path(T_TEMPLATE)
        if path is None:
            return None
        try:
            written = write_template(path)
        except UserError as exc:
            self.tell(T_TEMPLATE, str(exc))
            return None
        self.shell.show_status(T_TEMPLATE_DONE.format(path=written), 10000)
        return written

    def load(self, *, update: bool) -> dict[str, object] | None:
        """Nạp (or Cập nhật) a plan from a workbook; every problem listed in a dialog."""
        path = self.ask_open_path(T_UPDATE if update else T_IMPORT)
        if path is None:
            return None
        self.shell.flush()
        adapter = self.shell.adapter
        try:
            try:
                summary = adapter.import_plan(path, update=update)
            except RemovalRefused as refused:
                if refused.blocked or not self.confirm_removal(refused.lines):
                    if refused.blocked:
                        self.show_problems(str(refused).split("\n", 1)[0], "\n".join(refused.lines))
                    return None
                summary = adapter.import_plan(path, update=True, allow_remove=True)
        except InputFileError as exc:
            self.show_problems(exc.summary, "\n".join(str(p) for p in exc.problems))
            return None
        except UserError as exc:
            self.show_problems(str(exc), "")
            return None
        if update:
            text = T_UPDATED.format(
                number=summary["number"],
                year=summary["year"],
                added=len(summary["added"]),
                changed=len(summary["changed"]),
                removed=len(summary["removed"]),
            )
        else:
            text = T_IMPORTED.format(**summary)
        self.shell.show_status(text, 10000)
        return summary

    @Slot()
    def open_add_dialog(self) -> object:
        from desktop.ui.plans.dialog import AddInspectionDialog

        plan_id = self.shell.selection.plan_id
        if not plan_id:
            return None
        dialog = AddInspectionDialog(self.shell.adapter, plan_id, self.shell.widget)
        self.dialog = dialog
        dialog.open()
        return dialog


def install(shell: Shell) -> PlansFeature:
    """Add the plan entries to Tệp (`shell.feature("plans")`)."""
    feature = PlansFeature(shell)
    shell.register_feature("plans", feature)
    return feature
