"""Trợ giúp: install(shell) adds the "Trợ giúp" menu: "Hướng dẫn sử dụng" (F1), a short guide
to the day's work and the keyboard map, and "Giới thiệu" (the version and the licences)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui import strings
from desktop.ui.common import dialogs_vi
from desktop.ui.shell import MenuId

if TYPE_CHECKING:
    from desktop.ui.shell import Shell

# Strings the user sees.
T_MENU = "Trợ giú&p"  # Alt+T is Tệp, Alt+G Ghi nhận
T_GUIDE = "Hướng dẫn sử dụng"
T_GUIDE_KEY = "F1"
T_ABOUT = "Giới thiệu"
T_ABOUT_TITLE = f"Giới thiệu {strings.APP_TITLE}"

GUIDE = """
<h3>Một ngày kiểm tra</h3>
<ol>
<li>Chọn <b>Kế hoạch</b> và <b>Tôi là</b> trên thanh công cụ, rồi đơn vị ở cột trái
(tháng → đơn vị). Mọi thay đổi được <b>tự động lưu</b>.</li>
<li>Ghi <b>Ngày kiểm tra</b> (gõ 15062021 hoặc 15/06/2021; F4 mở lịch) và Địa điểm.</li>
<li>Với từng nội dung: chọn dòng trong danh sách, bấm phím kết quả, <b>Enter</b> để viết
Nhận xét, <b>Tab</b> để sang ô tiếp theo; <b>F3</b> sang nội dung chưa ghi nhận.</li>
<li>Nội dung không đạt: ghi Kiến nghị; thêm tài liệu kiểm chứng (Ctrl+E) và tệp đính kèm.</li>
<li>Cuối đợt: Kết luận ▸ Soạn kết luận (Ctrl+K), Xuất báo cáo, Đồng bộ với máy thư ký.</li>
</ol>
<h3>Bàn phím</h3>
<table cellspacing="0" cellpadding="3">
<tr><td colspan="2"><b>Kết quả</b> — cùng một nghĩa cho mọi loại nội dung</td></tr>
<tr><td>Alt+1</td><td>đạt: Có, Tốt, Đạt, Đúng hạn</td></tr>
<tr><td>Alt+2</td><td>một phần: Đạt (nửa điểm), Đạt một phần</td></tr>
<tr><td>Alt+3</td><td>không đạt: Không, Chưa đạt, Không đạt, Không đúng hạn</td></tr>
<tr><td>Alt+4</td><td>Không áp dụng</td></tr>
<tr><td colspan="2"><b>Di chuyển</b></td></tr>
<tr><td>Ctrl+Down, Ctrl+]</td><td>nội dung tiếp theo</td></tr>
<tr><td>Ctrl+Up, Ctrl+[</td><td>nội dung trước</td></tr>
<tr><td>F3, Ctrl+N</td><td>nội dung chưa ghi nhận tiếp theo</td></tr>
<tr><td>Enter, F2</td><td>từ danh sách sang ô Nhận xét</td></tr>
<tr><td>Alt+5</td><td>sang ô số liệu: tử số, số lượng, ngày</td></tr>
<tr><td>Tab, Shift+Tab</td><td>danh sách → kết quả → số liệu, điểm → Nhận xét → kiến nghị,
tài liệu, tệp</td></tr>
<tr><td>Ctrl+F</td><td>tìm trong nội dung và nhận xét</td></tr>
<tr><td>Ctrl+1 … Ctrl+4</td><td>lọc: lĩnh vực của tôi, chưa ghi nhận, không đạt, có kiến
nghị</td></tr>
<tr><td colspan="2"><b>Ghi nhận</b></td></tr>
<tr><td>Ctrl+E</td><td>thêm tài liệu kiểm chứng</td></tr>
<tr><td>Ctrl+H</td><td>lịch sử thay đổi của nội dung</td></tr>
<tr><td>Delete</td><td>xóa dòng đang chọn (luôn hỏi trước; Enter là “Hủy”)</td></tr>
<tr><td>F4, Alt+Down</td><td>mở lịch của ô ngày, mở danh sách chọn</td></tr>
<tr><td colspan="2"><b>Cửa sổ</b></td></tr>
<tr><td>Ctrl+K</td><td>soạn kết luận</td></tr>
<tr><td>Ctrl+R</td><td>sổ theo dõi kiến nghị</td></tr>
<tr><td>Ctrl+B, Ctrl+M</td><td>trong sổ theo dõi: ghi nhận báo cáo khắc phục, xác minh</td></tr>
<tr><td>Ctrl+D, Ctrl+L</td><td>trong sổ theo dõi: công văn đôn đốc, danh sách đề nghị xử
lý</td></tr>
<tr><td>Escape</td><td>đóng hộp thoại, bảng điều khiển, sổ theo dõi</td></tr>
<tr><td>Ctrl+O</td><td>mở cơ sở dữ liệu khác</td></tr>
<tr><td>Ctrl+Q</td><td>thoát</td></tr>
<tr><td>F1</td><td>hướng dẫn này</td></tr>
</table>
"""

# The components shipped with the program and their licences.
LICENCES = (
    ("Qt 6 và PySide6", "LGPL-3.0 (The Qt Company)"),
    ("SQLite", "phạm vi công cộng (public domain)"),
    ("sqlite-utils", "Apache-2.0"),
    ("ReportLab", "BSD"),
    ("openpyxl", "MIT"),
    ("python-docx", "MIT"),
    ("cryptography", "Apache-2.0 hoặc BSD"),
    ("click", "BSD-3-Clause"),
    ("platformdirs", "MIT"),
    ("Phông chữ Liberation Serif", "SIL Open Font License 1.1"),
)


class GuideDialog(QDialog):
    """The guide and keyboard map; not modal, so that it can stay open beside the work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{T_GUIDE} — {strings.APP_TITLE}")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setHtml(GUIDE)
        layout.addWidget(self.browser, 1)
        buttons = dialogs_vi.buttons(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 520)  # fits a 1024×600 screen

    def text(self) -> str:
        """What the guide says, as plain text."""
        return self.browser.toPlainText()


class Help(QObject):
    """The Trợ giúp menu and the guide once opened."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.widget)
        self.shell = shell
        self.guide_dialog: GuideDialog | None = None
        self.guide_action = QAction(T_GUIDE, shell.widget)
        self.guide_action.setShortcut(QKeySequence(T_GUIDE_KEY))
        self.guide_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.guide_action.triggered.connect(self.show_guide)
        self.about_action = QAction(T_ABOUT, shell.widget)
        self.about_action.triggered.connect(self.show_about)
        menu = shell.add_menu(MenuId.HELP, T_MENU)
        menu.addAction(self.guide_action)
        menu.addSeparator()
        menu.addAction(self.about_action)
        shell.add_shortcut(self.guide_action)

    @Slot()
    def show_guide(self) -> GuideDialog:
        """Show the guide (built on first use), in front."""
        if self.guide_dialog is None:
            self.guide_dialog = GuideDialog(self.shell.widget)
        self.guide_dialog.show()
        self.guide_dialog.raise_()
        self.guide_dialog.activateWindow()
        return self.guide_dialog

    @staticmethod
    def about_text() -> str:
        """The version and the licences, as "Giới thiệu" shows them."""
        import desktop

        rows = "".join(f"<li>{name}: {licence}</li>" for name, licence in LICENCES)
        return (
            f"<b>{strings.APP_TITLE}</b> — phiên bản {desktop.__version__}<br>"
            "Sổ tay ngoại tuyến của Đoàn kiểm tra cải cách hành chính.<br><br>"
            f"Chương trình dùng các thành phần sau, theo giấy phép của chúng:<ul>{rows}</ul>"
        )

    @Slot()
    def show_about(self) -> None:
        dialogs_vi.inform(self.shell.widget, T_ABOUT_TITLE, self.about_text())


def install(shell: Shell) -> Help:
    """Add the Trợ giúp menu (F1 works anywhere in the window)."""
    feature = Help(shell)
    shell.register_feature("help", feature)
    return feature
