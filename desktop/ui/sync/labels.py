"""The "Đồng bộ" menu's texts, shared by the menu (sync/__init__.py) and the dialogs."""

from __future__ import annotations

from typing import Any

T_SYNC_MENU = "Đồ&ng bộ"
T_SYNC_EXPORT = "Xuất tệp đồng bộ…"
T_SYNC_IMPORT = "Nhập tệp đồng bộ…"
T_SYNC_CONFLICTS = "Xung đột…"
T_SYNC_DEVICE = "Mã vân tay của máy này…"

T_CHANGES_WOULD = "Sẽ thay đổi:"
T_CHANGES_TEXT = "{inserted} mới, {updated} cập nhật, {unchanged} không đổi, {conflicts} xung đột"
T_KEYS_TO_TRUST = "Khóa sẽ được tin cậy:"
T_KEY_LINE = "{name} — {fingerprint}"
T_KEY_BY = " (do “{by}” giới thiệu)"
T_KEY_BY_YOU = " (người gửi; bạn xác nhận)"
T_NO_NEW_KEYS = "Không có khóa mới"


def changes_text(preview: dict[str, Any]) -> str:
    """What the import would change, as the preview counted it (the import's own merge)."""
    counts = {k: preview.get(k, 0) for k in ("inserted", "updated", "unchanged", "conflicts")}
    return T_CHANGES_TEXT.format(**counts)


def keys_text(preview: dict[str, Any]) -> str:
    """One line per key the import would trust: name, fingerprint, who introduced it."""
    names = {preview["source"]["id"]: preview["source"]["name"]}
    lines = []
    for key in preview.get("keys_to_trust") or []:
        by = key["introduced_by"]
        line = T_KEY_LINE.format(name=key["name"], fingerprint=key["fingerprint"].replace("-", " "))
        lines.append(line + (T_KEY_BY.format(by=names.get(by, by)) if by else T_KEY_BY_YOU))
    return "\n".join(lines) or T_NO_NEW_KEYS
