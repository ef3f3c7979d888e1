"""File dialogs in Vietnamese: the one place the app opens a QFileDialog.

PySide6 ships no Vietnamese translation of Qt (no qtbase_vi.qm under
QLibraryInfo.TranslationsPath), so Qt's own file dialog says "Look in", "File name",
"Cancel", "Name", "Size"… Every file dialog of the app is built here: Qt's widget dialog (the
same on every system), its five labels set with setLabelText, and a small translator
(`QtVietnamese`) for the rest of what Qt shows in it (tool tips, the file list's columns, the
"replace it?" question, the context menus of its text fields). The app installs the
translator at start (`install_vietnamese_qt`); the helpers make sure of it too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTranslator
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui import strings

T_LOOK_IN = "Tìm trong:"
T_FILE_NAME = "Tên tệp:"
T_FILE_TYPE = "Kiểu tệp:"
T_OPEN = "Mở"
T_SAVE = strings.SAVE
T_CANCEL = strings.CANCEL
T_ALL_FILES = "Mọi tệp (*)"

# Qt's own strings the file dialog (and the message boxes and text fields around it) show:
# (context, source) → Vietnamese. The sources are Qt 6's, character for character.
QT_STRINGS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Tìm trong:",
    ("QFileDialog", "Look in:"): "Tìm trong:",
    ("QFileDialog", "File &name:"): "&Tên tệp:",
    ("QFileDialog", "Files of &type:"): "&Kiểu tệp:",
    ("QFileDialog", "Files of type:"): "Kiểu tệp:",
    ("QFileDialog", "&Open"): "&Mở",
    ("QFileDialog", "Open"): "Mở",
    ("QFileDialog", "&Save"): "&Lưu",
    ("QFileDialog", "Save"): "Lưu",
    ("QFileDialog", "Save As"): "Lưu thành",
    ("QFileDialog", "&Choose"): "&Chọn",
    ("QFileDialog", "Find Directory"): "Chọn thư mục",
    ("QFileDialog", "Directory:"): "Thư mục:",
    ("QFileDialog", "Directories"): "Thư mục",
    ("QFileDialog", "All Files (*)"): T_ALL_FILES,
    ("QFileDialog", "Files"): "Tệp",
    ("QFileDialog", "Back"): "Lùi lại",
    ("QFileDialog", "Forward"): "Tiến tới",
    ("QFileDialog", "Parent Directory"): "Thư mục cha",
    ("QFileDialog", "Create New Folder"): "Tạo thư mục mới",
    ("QFileDialog", "List View"): "Xem dạng danh sách",
    ("QFileDialog", "Detail View"): "Xem dạng chi tiết",
    ("QFileDialog", "Go back"): "Quay lại thư mục trước",
    ("QFileDialog", "Go forward"): "Tới thư mục sau",
    ("QFileDialog", "Go to the parent directory"): "Lên thư mục cha",
    ("QFileDialog", "Create a New Folder"): "Tạo một thư mục mới",
    ("QFileDialog", "Change to list view mode"): "Chuyển sang xem dạng danh sách",
    ("QFileDialog", "Change to detail view mode"): "Chuyển sang xem dạng chi tiết",
    ("QFileDialog", "&New Folder"): "Thư mục &mới",
    ("QFileDialog", "New Folder"): "Thư mục mới",
    ("QFileDialog", "&Rename"): "Đổi &tên",
    ("QFileDialog", "&Delete"): "&Xóa",
    ("QFileDialog", "Show &hidden files"): "Hiện tệp &ẩn",
    ("QFileDialog", "Sidebar"): "Thanh bên",
    ("QFileDialog", "List of places and bookmarks"): "Các nơi và thư mục đánh dấu",
    ("QFileDialog", "Recent Places"): "Nơi đã mở gần đây",
    ("QFileDialog", "My Computer"): "Máy tính",
    ("QFileDialog", "%1 already exists.\nDo you want to replace it?"): (
        "%1 đã có.\nGhi đè lên tệp này?"
    ),
    ("QFileDialog", "%1\nFile not found.\nPlease verify the correct file name was given."): (
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
    ),
    (
        "QFileDialog",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.",
    ): "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
    ("QFileDialog", "'%1' is write protected.\nDo you want to delete it anyway?"): (
        "“%1” đang được bảo vệ khỏi ghi.\nVẫn xóa?"
    ),
    ("QFileDialog", "Are you sure you want to delete '%1'?"): "Xóa “%1”?",
    ("QFileDialog", "Could not delete directory."): "Không xóa được thư mục.",
    ("QFileDialog", "Invalid filename"): "Tên tệp không hợp lệ",
    ("QFileSystemModel", "Name"): "Tên",
    ("QFileSystemModel", "Size"): "Kích thước",
    ("QFileSystemModel", "Type"): "Kiểu",
    ("QFileSystemModel", "Kind"): "Kiểu",
    ("QFileSystemModel", "Date Modified"): "Ngày sửa",
    ("QFileSystemModel", "Computer"): "Máy tính",
    ("QFileSystemModel", "My Computer"): "Máy tính",
    ("QAbstractFileIconProvider", "Folder"): "Thư mục",
    ("QAbstractFileIconProvider", "Drive"): "Ổ đĩa",
    ("QAbstractFileIconProvider", "File"): "Tệp",
    ("QAbstractFileIconProvider", "%1 File"): "Tệp %1",
    ("QPlatformTheme", "OK"): strings.OK,
    ("QPlatformTheme", "Cancel"): T_CANCEL,
    ("QPlatformTheme", "Open"): T_OPEN,
    ("QPlatformTheme", "Save"): T_SAVE,
    ("QPlatformTheme", "Close"): strings.CLOSE,
    ("QPlatformTheme", "&Yes"): "&Có",
    ("QPlatformTheme", "&No"): "&Không",
    ("QPlatformTheme", "Yes"): "Có",
    ("QPlatformTheme", "No"): "Không",
    ("QMessageBox", "Show Details..."): "Xem chi tiết…",
    ("QMessageBox", "Hide Details..."): "Ẩn chi tiết…",
    ("QLineEdit", "&Undo"): "&Hoàn tác",
    ("QLineEdit", "&Redo"): "&Làm lại",
    ("QLineEdit", "Cu&t"): "&Cắt",
    ("QLineEdit", "&Copy"): "&Chép",
    ("QLineEdit", "&Paste"): "&Dán",
    ("QLineEdit", "Delete"): "Xóa",
    ("QLineEdit", "Select All"): "Chọn tất cả",
    ("QWidgetTextControl", "&Undo"): "&Hoàn tác",
    ("QWidgetTextControl", "&Redo"): "&Làm lại",
    ("QWidgetTextControl", "Cu&t"): "&Cắt",
    ("QWidgetTextControl", "&Copy"): "&Chép",
    ("QWidgetTextControl", "&Paste"): "&Dán",
    ("QWidgetTextControl", "Delete"): "Xóa",
    ("QWidgetTextControl", "Select All"): "Chọn tất cả",
}


class QtVietnamese(QTranslator):
    """Qt's own strings in Vietnamese, from QT_STRINGS (None: Qt keeps its text)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return QT_STRINGS.get((context, source))

    def isEmpty(self) -> bool:
        return False


_installed: QtVietnamese | None = None


def install_vietnamese_qt(app: QObject | None = None) -> None:
    """Install the translator of Qt's strings once (the app does it at start)."""
    global _installed
    app = app or QCoreApplication.instance()
    if app is None or _installed is not None:
        return
    _installed = QtVietnamese(app)
    QCoreApplication.installTranslator(_installed)


def make_dialog(
    parent: QWidget | None, caption: str, directory: str, filters: str, *, mode: str
) -> QFileDialog:
    """A file dialog in Vietnamese; mode "open" (one file), "open_many" or "save"."""
    install_vietnamese_qt()
    dialog = QFileDialog(parent, caption, directory, filters or T_ALL_FILES)
    # Qt's widget dialog: the same labels on every system, and ours.
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        many = mode == "open_many"
        dialog.setFileMode(
            QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile
        )
    Label = QFileDialog.DialogLabel
    dialog.setLabelText(Label.LookIn, T_LOOK_IN)
    dialog.setLabelText(Label.FileName, T_FILE_NAME)
    dialog.setLabelText(Label.FileType, T_FILE_TYPE)
    dialog.setLabelText(Label.Accept, T_SAVE if mode == "save" else T_OPEN)
    dialog.setLabelText(Label.Reject, T_CANCEL)
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    finally:
        dialog.deleteLater()


def open_file(parent: QWidget | None, caption: str, directory: str, filters: str = "") -> str:
    """The file chosen to open ("" when cancelled)."""
    chosen = _run(make_dialog(parent, caption, directory, filters, mode="open"))
    return chosen[0] if chosen else ""


def open_files(
    parent: QWidget | None, caption: str, directory: str, filters: str = ""
) -> list[str]:
    """The files chosen to open (empty when cancelled)."""
    return _run(make_dialog(parent, caption, directory, filters, mode="open_many"))


def save_file(parent: QWidget | None, caption: str, suggested: str, filters: str = "") -> str:
    """Where to save ("" when cancelled); Qt asks, in Vietnamese, before replacing a file."""
    dialog = make_dialog(parent, caption, suggested, filters, mode="save")
    chosen = _run(dialog)
    return chosen[0] if chosen else ""
