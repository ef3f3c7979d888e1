"""The "Đồng bộ" menu: export a package, preview then import one, conflicts, this laptop's key.

Export: scope (this plan / everything), full or changes since the last export, protection
(encrypted by default: for the device chosen last time or the only one known, else by a
passphrase of at least MIN_PASSPHRASE characters, checked here); then a save dialog; the
export runs in a worker.
Import: an open dialog; the package is verified in a worker and PREVIEWED (sender and key
fingerprint, trusted or not, created, encryption, plan, rows per table, attachments); for an
unknown sender the secretary must confirm the fingerprint before "Nhập dữ liệu" is enabled;
the import runs in a worker (a backup is taken first); then the window reopens the database,
a summary says what changed, and the conflicts screen opens when there are conflicts.
A refused package shows the one-line reason.

Test seams: `SyncExportDialog.ask`, `PassphraseDialog.ask`, `ImportPreviewDialog.ask`,
`SyncController.ask_save_path`, `ask_open_path`, `show_summary`, `show_info`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import nfc
from desktop.sync.export import MIN_PASSPHRASE
from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.common.keyboard import fit_on_screen, tab_leaves
from desktop.ui.sync.labels import T_CHANGES_WOULD, T_KEYS_TO_TRUST, changes_text, keys_text

if TYPE_CHECKING:
    pass

# Strings the user sees.
T_EXPORT_TITLE = "Xuất tệp đồng bộ"
T_SCOPE = "Phạm vi"
T_SCOPE_PLAN = "Kế hoạch đang mở: {plan}"
T_SCOPE_ALL = "Toàn bộ dữ liệu trên máy này"
T_CONTENT = "Nội dung"
T_CHANGES = "Chỉ các thay đổi kể từ lần xuất trước"
T_FULL = "Toàn bộ (bản đầy đủ)"
T_PROTECT = "Bảo vệ tệp"
T_PLAIN = "Không mã hóa"
T_BY_PASSPHRASE = "Mã hóa bằng mật khẩu"
T_FOR_DEVICE = "Mã hóa cho một thiết bị nhận (chỉ máy đó mở được)"
T_PASSPHRASE = "Mật khẩu:"
T_PASSPHRASE_AGAIN = "Nhập lại:"
T_RECIPIENT = "Thiết bị nhận:"
T_RECIPIENT_HINT = "chọn hoặc dán mã vân tay (64 ký tự)"
T_EXPORT_BUTTON = "Xuất tệp"
T_IMPORT_BUTTON = "Nhập dữ liệu"
T_CANCEL = strings.CANCEL
T_MISMATCH = "Hai lần nhập mật khẩu không khớp."
T_EMPTY_PASSPHRASE = "Hãy nhập mật khẩu."
T_SHORT_PASSPHRASE = "Mật khẩu cần ít nhất {min} ký tự (mật khẩu đã nhập có {length})."
T_BAD_FINGERPRINT = "Mã vân tay không hợp lệ (cần 64 chữ số thập lục phân)."
T_PACKAGE_FILTER = "Gói đồng bộ Kiểm tra CCHC (*.kiemtra);;Mọi tệp (*)"
T_EXPORTING = "Đang xuất tệp đồng bộ…"
T_CHECKING = "Đang kiểm tra gói đồng bộ…"
T_IMPORTING = "Đang nhập dữ liệu (sao lưu trước khi nhập)…"
T_EXPORTED_TITLE = "Đã xuất tệp đồng bộ"
T_EXPORTED = "Đã xuất {rows} bản ghi, {attachments} tệp đính kèm vào:\n{file}"
T_EXPORT_FAILED = "Không xuất được tệp đồng bộ"
T_REFUSED = "Gói đồng bộ bị từ chối"
T_PASSPHRASE_TITLE = "Gói được mã hóa bằng mật khẩu"
T_PASSPHRASE_ASK = "Nhập mật khẩu của gói {name}:"
T_PREVIEW_TITLE = "Xem trước gói đồng bộ"
T_FILE = "Tệp:"
T_FROM = "Gửi từ máy:"
T_FINGERPRINT = "Mã vân tay:"
T_TRUST = "Tình trạng:"
T_TRUSTED = "Thiết bị đã được tin cậy"
T_SELF = "Gói do chính máy này xuất"
T_UNKNOWN = "Thiết bị CHƯA được tin cậy"
T_CREATED = "Tạo lúc:"
T_PLAN = strings.PLAN
T_ALL_DATA = "Toàn bộ dữ liệu"
T_KIND = "Loại gói:"
T_KIND_FULL = "Bản đầy đủ"
T_KIND_CHANGES = "Các thay đổi"
T_ENCRYPTION = "Mã hóa:"
T_ENC = {
    "none": "Không mã hóa",
    "passphrase": "Bằng mật khẩu",
    "recipient": "Cho máy này",
}
T_ATTACHMENTS = strings.ATTACHMENTS
T_TOTAL = "Tổng số bản ghi:"
T_TABLE = "Loại dữ liệu"
T_ROWS = "Số bản ghi"
T_CONFIRM_TRUST = (
    "Tôi đã đối chiếu mã vân tay trên với người gửi (qua điện thoại hoặc trực tiếp) "
    "và tin cậy thiết bị này"
)
T_UNKNOWN_HINT = (
    "Máy này chưa biết thiết bị gửi gói. Chỉ nhập khi mã vân tay khớp với mã của máy gửi "
    "(trên máy gửi: Đồng bộ ▸ Mã vân tay của máy này)."
)
T_KEYS_HINT = (
    "Gói mang khóa của thiết bị mà máy này chưa tin cậy (danh sách ở trên, kèm máy đã chuyển "
    "khóa tới). Chỉ nhập khi chắc đó đúng là khóa của các thiết bị ấy."
)
T_CONFIRM_KEYS = "Tôi tin cậy các khóa trên"
T_IMPORTED_TITLE = "Đã nhập tệp đồng bộ"
T_IMPORTED = (
    "Đã nhập gói từ máy “{name}”:\n"
    "• {inserted} bản ghi mới\n"
    "• {updated} bản ghi được cập nhật\n"
    "• {unchanged} bản ghi không đổi\n"
    "• {conflicts} xung đột cần giải quyết"
)
T_SEE_CONFLICTS = "Xem xung đột"
T_CLOSE = strings.CLOSE
T_DEVICE_TITLE = strings.THIS_DEVICE
T_DEVICE_TEXT = "Tên máy: {name}\nMã vân tay:\n{fingerprint}"


def group_fingerprint(fingerprint: str) -> str:
    """64 hex digits in groups of four, two lines, for reading aloud over the phone."""
    groups = [g for g in fingerprint.replace("-", " ").split() if g]
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])


def _when(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


def _mono() -> Any:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


# -- export --------------------------------------------------------------------------------
@dataclass
class SyncExportChoice:
    """What to put in the package and how to protect it."""

    plan_only: bool = True
    full: bool = False
    passphrase: str | None = None
    recipient: str | None = None  # fingerprint


class SyncExportDialog(QDialog):
    """Scope, full or changes, protection of an outgoing package."""

    def __init__(
        self,
        parent: QWidget | None,
        plan_label: str | None,
        recipients: list[tuple[str, str]],
        last_recipient: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_EXPORT_TITLE)
        layout = QVBoxLayout(self)

        scope = QGroupBox(T_SCOPE)
        sl = QVBoxLayout(scope)
        self.plan_radio = QRadioButton(T_SCOPE_PLAN.format(plan=plan_label or "—"))
        self.all_radio = QRadioButton(T_SCOPE_ALL)
        self.plan_radio.setEnabled(plan_label is not None)
        (self.plan_radio if plan_label else self.all_radio).setChecked(True)
        sl.addWidget(self.plan_radio)
        sl.addWidget(self.all_radio)
        layout.addWidget(scope)

        content = QGroupBox(T_CONTENT)
        cl = QVBoxLayout(content)
        self.changes_radio = QRadioButton(T_CHANGES)
        self.full_radio = QRadioButton(T_FULL)
        self.changes_radio.setChecked(True)
        cl.addWidget(self.changes_radio)
        cl.addWidget(self.full_radio)
        layout.addWidget(content)

        protect = QGroupBox(T_PROTECT)
        pl = QVBoxLayout(protect)
        self.plain_radio = QRadioButton(T_PLAIN)
        self.passphrase_radio = QRadioButton(T_BY_PASSPHRASE)
        self.device_radio = QRadioButton(T_FOR_DEVICE)
        self._protection = QButtonGroup(self)
        for radio in (self.plain_radio, self.passphrase_radio, self.device_radio):
            self._protection.addButton(radio)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.recipient_combo = QComboBox()
        self.recipient_combo.setEditable(True)
        line_edit = self.recipient_combo.lineEdit()
        assert line_edit is not None  # an editable combo has one
        line_edit.setPlaceholderText(T_RECIPIENT_HINT)
        self.recipient_combo.setMinimumContentsLength(40)
        for fingerprint, name in recipients:
            self.recipient_combo.addItem(f"{name} — {fingerprint[:19]}…", fingerprint)
        # Encrypted by default (the package travels on a USB stick or by e-mail): for the
        # device chosen last time when it is still known, or the only one known; else by
        # passphrase. "Không mã hóa" stays a deliberate choice.
        known = [fingerprint for fingerprint, _ in recipients]
        chosen = last_recipient if last_recipient in known else None
        if chosen is None and len(known) == 1:
            chosen = known[0]
        self.recipient_combo.setCurrentIndex(known.index(chosen) if chosen else -1)
        (self.device_radio if chosen else self.passphrase_radio).setChecked(True)
        pass_form = QFormLayout()
        pass_form.addRow(T_PASSPHRASE, self.passphrase_edit)
        pass_form.addRow(T_PASSPHRASE_AGAIN, self.passphrase_again)
        device_form = QFormLayout()
        device_form.addRow(T_RECIPIENT, self.recipient_combo)
        pl.addWidget(self.plain_radio)
        pl.addWidget(self.passphrase_radio)
        pl.addLayout(pass_form)
        pl.addWidget(self.device_radio)
        pl.addLayout(device_form)
        layout.addWidget(protect)

        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(T_EXPORT_BUTTON, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(T_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._protection.buttonToggled.connect(self._update)
        self._update()
        self.setMinimumWidth(520)

    @Slot()
    def _update(self, *_args: Any) -> None:
        by_pass = self.passphrase_radio.isChecked()
        self.passphrase_edit.setEnabled(by_pass)
        self.passphrase_again.setEnabled(by_pass)
        self.recipient_combo.setEnabled(self.device_radio.isChecked())

    def _recipient(self) -> str | None:
        from desktop.sync.keys import normalize_fingerprint

        index = self.recipient_combo.currentIndex()
        text = self.recipient_combo.currentText()
        if index >= 0 and text == self.recipient_combo.itemText(index):
            return str(self.recipient_combo.itemData(index))
        return normalize_fingerprint(text.strip())

    def _problem(self) -> tuple[str, QWidget] | None:
        """The problem with what was typed and the field to correct, or None."""
        if self.passphrase_radio.isChecked():
            passphrase = nfc(self.passphrase_edit.text())
            if not passphrase:
                return T_EMPTY_PASSPHRASE, self.passphrase_edit
            # The export refuses it too (desktop.sync.export); say it before the save dialog.
            if len(passphrase) < MIN_PASSPHRASE:
                text = T_SHORT_PASSPHRASE.format(min=MIN_PASSPHRASE, length=len(passphrase))
                return text, self.passphrase_edit
            if self.passphrase_edit.text() != self.passphrase_again.text():
                return T_MISMATCH, self.passphrase_again
        if self.device_radio.isChecked() and self._recipient() is None:
            return T_BAD_FINGERPRINT, self.recipient_combo
        return None

    def validate(self) -> str | None:
        """The problem with what was typed, or None."""
        problem = self._problem()
        return problem[0] if problem else None

    @Slot()
    def _accept(self) -> None:
        problem = self._problem()
        self.error_label.setText(problem[0] if problem else "")
        if problem is None:
            self.accept()
            return
        field = problem[1]
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(field, QLineEdit):
            field.selectAll()

    def choice(self) -> SyncExportChoice:
        return SyncExportChoice(
            plan_only=self.plan_radio.isChecked(),
            full=self.full_radio.isChecked(),
            passphrase=nfc(self.passphrase_edit.text())
            if self.passphrase_radio.isChecked()
            else None,
            recipient=self._recipient() if self.device_radio.isChecked() else None,
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        plan_label: str | None,
        recipients: list[tuple[str, str]],
        last_recipient: str | None = None,
    ) -> SyncExportChoice | None:
        """The choice, or None when cancelled. `recipients`: (fingerprint, name) pairs;
        `last_recipient`: the fingerprint chosen at the last export, the default if known."""
        dialog = cls(parent, plan_label, recipients, last_recipient)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


# -- import --------------------------------------------------------------------------------
class PassphraseDialog:
    """Ask the passphrase of an encrypted package."""

    @classmethod
    def ask(cls, parent: QWidget | None, file_name: str) -> str | None:
        text = dialogs_vi.ask_text(
            parent, T_PASSPHRASE_TITLE, T_PASSPHRASE_ASK.format(name=file_name), password=True
        )
        return nfc(text) if text else None


class PreviewTableModel(QAbstractTableModel):
    """Rows per table in a package."""

    def __init__(self, tables: dict[str, int], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = sorted(tables.items(), key=lambda kv: (-kv[1], kv[0]))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (T_TABLE, T_ROWS)[section] if section in (0, 1) else None
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        table, count = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            from desktop.ui.sync.conflicts_view import table_label

            return table_label(table) if index.column() == 0 else f"{count:,}".replace(",", ".")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return count
        return None


class ImportPreviewDialog(QDialog):
    """What the package holds; "Nhập dữ liệu" (for an unknown sender only once confirmed)."""

    def __init__(self, parent: QWidget | None, preview: dict[str, Any]) -> None:
        super().__init__(parent)
        self.setWindowTitle(T_PREVIEW_TITLE)
        self.preview = preview
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def value(text: str, *, mono: bool = False) -> QLabel:
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if mono:
                label.setFont(_mono())
            return label

        source = preview["source"]
        unknown = preview["trust"] == "unknown"
        self.file_label = value(Path(preview["file"]).name)
        self.from_label = value(source["name"])
        self.fingerprint_label = value(group_fingerprint(source["fingerprint"]), mono=True)
        trust_text = {"trusted": T_TRUSTED, "self": T_SELF}.get(preview["trust"], T_UNKNOWN)
        self.trust_label = value(trust_text)
        if unknown:
            self.trust_label.setStyleSheet("color: #b00020; font-weight: 600")
        scope = preview["scope"]
        self.plan_label = value(scope["plan"] or (T_ALL_DATA if not scope["plan_id"] else "—"))
        self.kind_label = value(T_KIND_FULL if scope["full"] else T_KIND_CHANGES)
        self.created_label = value(_when(preview["created"]))
        self.encryption_label = value(T_ENC.get(preview["encryption"], preview["encryption"]))
        self.total_label = value(f"{preview['rows']:,}".replace(",", "."))
        self.attachments_label = value(str(preview["attachments"]))
        form.addRow(T_FILE, self.file_label)
        form.addRow(T_FROM, self.from_label)
        form.addRow(T_FINGERPRINT, self.fingerprint_label)
        form.addRow(T_TRUST, self.trust_label)
        form.addRow(T_CREATED, self.created_label)
        form.addRow(T_PLAN, self.plan_label)
        form.addRow(T_KIND, self.kind_label)
        form.addRow(T_ENCRYPTION, self.encryption_label)
        form.addRow(T_TOTAL, self.total_label)
        form.addRow(T_ATTACHMENTS, self.attachments_label)
        self.changes_label = value(changes_text(preview))
        form.addRow(T_CHANGES_WOULD, self.changes_label)
        # Every key the import would trust, each with who introduced it (issue 15, finding 3).
        keys = preview.get("keys_to_trust") or []
        self.keys_label = value(keys_text(preview), mono=bool(keys))
        if keys:
            self.keys_label.setStyleSheet("color: #b00020")
        form.addRow(T_KEYS_TO_TRUST, self.keys_label)
        layout.addLayout(form)

        self.tables_model = PreviewTableModel(preview["tables"], self)
        self.tables_view = QTableView()
        tab_leaves(self.tables_view)
        self.tables_view.setModel(self.tables_model)
        self.tables_view.verticalHeader().setVisible(False)
        self.tables_view.verticalHeader().setDefaultSectionSize(
            self.tables_view.fontMetrics().height() + 8
        )
        self.tables_view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        header = self.tables_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tables_view, 1)

        self.trust_check: QCheckBox | None = None
        if unknown or keys:
            # An unknown sender is checked by its fingerprint; a known one's package may
            # still bring keys of other devices (a relay): each is listed above.
            hint = QLabel(T_UNKNOWN_HINT if unknown else T_KEYS_HINT)
            hint.setWordWrap(True)
            layout.addWidget(hint)
            confirm_text = T_CONFIRM_TRUST if unknown else T_CONFIRM_KEYS
            # A checkbox does not wrap its text: a wrapped label beside it does.
            self.trust_check = QCheckBox()
            self.trust_check.setAccessibleName(confirm_text)
            row = QWidget()
            rl = QHBoxLayout(row)
            rl.setContentsMargins(0, 0, 0, 0)
            rl.addWidget(self.trust_check, 0, Qt.AlignmentFlag.AlignTop)
            confirm = QLabel(confirm_text)
            confirm.setWordWrap(True)
            confirm.setBuddy(self.trust_check)
            rl.addWidget(confirm, 1)
            layout.addWidget(row)

        buttons = QDialogButtonBox()
        self.import_button: QPushButton = buttons.addButton(
            T_IMPORT_BUTTON, QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(T_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.trust_check is not None:
            self.import_button.setEnabled(False)
            self.trust_check.toggled.connect(self.import_button.setEnabled)
        self.setMinimumWidth(560)
        fit_on_screen(self, 600, 640)  # the table of rows scrolls on a 1024×600 screen

    @classmethod
    def ask(cls, parent: QWidget | None, preview: dict[str, Any]) -> bool:
        """True when the secretary chose to import (and, for an unknown sender, to trust it)."""
        return cls(parent, preview).exec() == QDialog.DialogCode.Accepted


__all__ = [
    "ImportPreviewDialog",
    "PassphraseDialog",
    "SyncExportChoice",
    "SyncExportDialog",
]
