"""Message boxes and button boxes with Vietnamese buttons.

PySide6 ships no Vietnamese translation of Qt, so QMessageBox.question(...) says "Yes"/"No"
and a QDialogButtonBox says "OK"/"Cancel". Every question, notice and warning of the app goes
through this module (tests patch its functions), and every QDialogButtonBox built from
standard buttons is passed to `localize`.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import strings

# Strings the user sees.
T_YES, T_NO = "Có", "Không"
T_OK = strings.OK
T_CANCEL = strings.CANCEL
T_CLOSE = strings.CLOSE
T_SAVE = strings.SAVE
T_OPEN = "Mở"

SB = QDialogButtonBox.StandardButton
BUTTON_TEXTS: dict[QDialogButtonBox.StandardButton, str] = {
    SB.Ok: T_OK,
    SB.Cancel: T_CANCEL,
    SB.Close: T_CLOSE,
    SB.Save: T_SAVE,
    SB.Open: T_OPEN,
    SB.Yes: T_YES,
    SB.No: T_NO,
    SB.Apply: "Áp dụng",
    SB.Discard: "Bỏ",
    SB.Reset: "Đặt lại",
    SB.Help: "Trợ giúp",
    SB.Abort: "Dừng",
    SB.Retry: "Thử lại",
    SB.Ignore: "Bỏ qua",
    SB.SaveAll: "Lưu tất cả",
    SB.YesToAll: "Có với tất cả",
    SB.NoToAll: "Không với tất cả",
    SB.RestoreDefaults: "Khôi phục mặc định",
}


def localize(box: QDialogButtonBox) -> QDialogButtonBox:
    """Give the standard buttons of `box` their Vietnamese texts; returns `box`."""
    for standard, text in BUTTON_TEXTS.items():
        button = box.button(standard)
        if button is not None:
            button.setText(text)
    return box


def buttons(standard: QDialogButtonBox.StandardButton) -> QDialogButtonBox:
    """A QDialogButtonBox of standard buttons (e.g. SB.Ok | SB.Cancel), in Vietnamese."""
    return localize(QDialogButtonBox(standard))


# The window manager's share of a title bar: the window icon and its three buttons.
TITLE_BAR_EXTRA = 110


def message_box(
    parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str
) -> QMessageBox:
    """A QMessageBox at least as wide as its title in the title bar (with the program's name
    the system adds and its buttons): a narrow box had its title cut ("Xóa —... a CCHC")."""
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    name = QApplication.applicationDisplayName() or strings.APP_TITLE
    font = box.font()
    font.setBold(True)  # title bars are often bold
    width = QFontMetrics(font).horizontalAdvance(f"{title} — {name}") + TITLE_BAR_EXTRA
    grid = box.layout()
    if isinstance(grid, QGridLayout):  # QMessageBox fixes its size: a spacer widens it
        spacer = QSpacerItem(width, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Minimum)
        grid.addItem(spacer, grid.rowCount(), 0, 1, grid.columnCount())
    return box


def _ask(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    accept: str,
    reject: str,
    default_accept: bool,
) -> bool:
    box = message_box(parent, icon, title, text)
    yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(reject, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes if default_accept else no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def ask_yes_no(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    yes: str = T_YES,
    no: str = T_NO,
    default_yes: bool = True,
) -> bool:
    """A question answered Có/Không (or the `yes`/`no` texts given); True for yes."""
    return _ask(parent, QMessageBox.Icon.Question, title, text, yes, no, default_yes)


def ask_warning(
    parent: QWidget | None, title: str, text: str, *, accept: str, reject: str = T_CANCEL
) -> bool:
    """A warning offering one way on (`accept`, e.g. "Mở") or "Hủy"; True when accepted."""
    return _ask(parent, QMessageBox.Icon.Warning, title, text, accept, reject, True)


def confirm_delete(parent: QWidget | None, title: str, text: str, *, accept: str) -> bool:
    """Ask before removing something the inspector recorded; "Hủy" is the default, so that
    Enter pressed by mistake removes nothing. True when confirmed."""
    return _ask(parent, QMessageBox.Icon.Warning, title, text, accept, T_CANCEL, False)


def _tell(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = message_box(parent, icon, title, text)
    close = box.addButton(T_CLOSE, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    box.exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """A notice with one button "Đóng"."""
    _tell(parent, QMessageBox.Icon.Information, title, text)


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A warning with one button "Đóng"."""
    _tell(parent, QMessageBox.Icon.Warning, title, text)


def error(parent: QWidget | None, title: str, text: str) -> None:
    """An error with one button "Đóng"."""
    _tell(parent, QMessageBox.Icon.Critical, title, text)


class TextDialog(QDialog):
    """A message and a long text to scroll through (e.g. every problem of a workbook)."""

    def __init__(self, parent: QWidget | None, title: str, message: str, text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setReadOnly(True)
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        layout.addWidget(self.text_edit, 1)
        box = buttons(SB.Close)
        box.rejected.connect(self.reject)
        box.accepted.connect(self.accept)
        layout.addWidget(box)
        self.resize(720, 440)


def show_text(parent: QWidget | None, title: str, message: str, text: str) -> None:
    """Show `message` above a scrollable, selectable `text`, closed with "Đóng"."""
    dialog = TextDialog(parent, title, message, text)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def ask_text(
    parent: QWidget | None, title: str, label: str, *, password: bool = False
) -> str | None:
    """One line of text ("Đồng ý"/"Hủy"); None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setOkButtonText(T_OK)
    dialog.setCancelButtonText(T_CANCEL)
    if password:
        dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    try:
        return dialog.textValue() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
