"""Ký số…: sign the PDF just exported with a PKCS#12 file (file chooser + passphrase).

The signing itself (desktop.signing.sign) runs in a worker (desktop/ui/common/workers.py), never
on the GUI thread: reading a key file and signing can take a moment.

Test seam: `SignDialog.ask` (the key file, passphrase, image, organisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import strings
from desktop.ui.common import file_dialogs

T_TITLE = "Ký số văn bản"
T_FILE = "Tệp PDF:"
T_KEY = "Tệp khóa ký (.p12, .pfx):"
T_PASSPHRASE = "Mật khẩu:"
T_IMAGE = "Ảnh chữ ký / con dấu (PNG):"
T_IMAGE_HINT = "không bắt buộc"
T_TITLE_LINES = "Chức vụ người ký:"
T_TITLE_HINT = "ví dụ KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC"
T_ORGANISATION = "Ký số của cơ quan (hình con dấu, tên cơ quan, thời gian ký)"
T_BROWSE = "Chọn…"
T_SIGN = "Ký số"
T_KEY_FILTER = "Tệp khóa PKCS#12 (*.p12 *.pfx)"
T_IMAGE_FILTER = "Ảnh PNG (*.png)"
T_NEED_KEY = "Hãy chọn tệp khóa ký."


@dataclass(frozen=True)
class SignChoice:
    """What the user chose in the Ký số dialog."""

    pkcs12: Path
    passphrase: str
    image: Path | None
    title_lines: tuple[str, ...]
    organisation: bool


class SignDialog(QDialog):
    """The key file, its passphrase, the signature image, the position title."""

    def __init__(
        self, parent: QWidget | None, source: Path, key: str = "", image: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_TITLE)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        shown = QLabel(str(source))
        shown.setWordWrap(True)
        form.addRow(T_FILE, shown)
        self.key_edit = QLineEdit(key)
        form.addRow(T_KEY, self._with_browse(self.key_edit, T_KEY_FILTER))
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(T_PASSPHRASE, self.passphrase_edit)
        self.image_edit = QLineEdit(image)
        self.image_edit.setPlaceholderText(T_IMAGE_HINT)
        form.addRow(T_IMAGE, self._with_browse(self.image_edit, T_IMAGE_FILTER))
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(T_TITLE_HINT)
        form.addRow(T_TITLE_LINES, self.title_edit)
        self.organisation_box = QCheckBox(T_ORGANISATION)
        form.addRow("", self.organisation_box)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox()
        buttons.addButton(T_SIGN, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(strings.CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        (self.passphrase_edit if key else self.key_edit).setFocus()

    def _with_browse(self, edit: QLineEdit, file_filter: str) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(edit, 1)
        button = QPushButton(T_BROWSE)
        button.clicked.connect(lambda _checked=False: self._browse(edit, file_filter))
        box.addWidget(button)
        return row

    def _browse(self, edit: QLineEdit, file_filter: str) -> None:
        path = file_dialogs.open_file(self, T_TITLE, edit.text(), file_filter)
        if path:
            edit.setText(path)

    def _accept(self) -> None:
        if not self.key_edit.text().strip():
            self.problem.setText(T_NEED_KEY)
            self.problem.show()
            return
        self.accept()

    def choice(self) -> SignChoice:
        image = self.image_edit.text().strip()
        title = tuple(t.strip() for t in self.title_edit.text().split("|") if t.strip())
        return SignChoice(
            Path(self.key_edit.text().strip()),
            self.passphrase_edit.text(),
            Path(image) if image else None,
            title,
            self.organisation_box.isChecked(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, source: Path, key: str = "", image: str = ""
    ) -> SignChoice | None:
        """Show the dialog; the choice, or None when the user cancelled. Tests patch this."""
        dialog = cls(parent, source, key, image)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
