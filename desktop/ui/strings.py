"""Texts the user sees that several windows share (one place, for a later translation).

A text used by one module stays in that module (its `T_…` constants); a text written the same
in several widgets lives here, so that the windows cannot drift apart.
"""

from __future__ import annotations

APP_TITLE = "Kiểm tra CCHC"
READ_ONLY = "(chỉ đọc)"
SAVED_AT = "Đã lưu lúc {time}"

# Buttons
OK = "Đồng ý"
CANCEL = "Hủy"
CLOSE = "Đóng"
SAVE = "Lưu"
DELETE = "Xóa"
OPEN_FILE = "Mở tệp"
ADD_FILE = "Thêm tệp…"

# Labels and messages
PLAN = "Kế hoạch:"
RECOMMENDATION = "Kiến nghị"
RESPONSIBLE = "Đơn vị thực hiện:"
DEADLINE = "Thời hạn khắc phục:"
ISSUED_ON = "Ngày ban hành:"
ATTACHMENTS = "Tệp đính kèm:"
HISTORY = "Lịch sử thay đổi"
THIS_DEVICE = "Máy này"
CANNOT_OPEN_FILE = "Không mở được tệp {path}"
PICK_INSPECTION = "Chọn một cuộc kiểm tra trong danh sách bên trái trước."

# File dialogs' filters
FILTER_XLSX = "Bảng tính Excel (*.xlsx)"
FILTER_PDF = "Tệp PDF (*.pdf)"
FILTER_DOCX = "Tệp Word (*.docx)"
