"""The documents' names as the "Xuất báo cáo" menu and the export dialogs show them."""

from __future__ import annotations

T_EXPORT_MENU = "&Xuất báo cáo"
EXPORT_LABELS = {
    "bien-ban": "Biên bản kiểm tra",
    "ket-luan": "Thông báo kết luận",
    "bao-cao": "Báo cáo kết quả kiểm tra",
    "tong-hop": "Bảng tổng hợp",
}
