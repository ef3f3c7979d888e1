"""Attachments on a bad day, in the window (issue 16): the size limit is set in the window
(Ghi nhận ▸ Giới hạn tệp đính kèm…) and a file over it is refused in one line; a name with a
right-to-left override is shown as what it is and opened under a Windows-safe name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.services import attachments
from desktop.ui.main_window import MainWindow
from desktop.ui.recording.attachments_section import AttachmentsSection
from tests.ui.conftest import open_item

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("does not support propagateSizeHints")]


@pytest.fixture
def section(window: MainWindow) -> AttachmentsSection:
    open_item(window, "Sở Khoa học và Công nghệ", "A3.1.3")
    return window.feature("recording").attachments


def test_the_limit_is_set_in_the_window(
    window: MainWindow, section: AttachmentsSection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[float] = []

    def ask(_parent: Any, current: float) -> float:
        asked.append(current)
        return 1.0

    monkeypatch.setattr(AttachmentsSection, "ask_limit", staticmethod(ask))
    section.limit_action.trigger()
    assert asked == [50.0]
    store = window.adapter.store
    assert store.settings.setting(attachments.SETTING_MAX_MB) == "1"
    big = tmp_path / "ảnh lớn.jpg"
    big.write_bytes(b"\xff\xd8" + b"x" * (2 * 1024 * 1024))
    assert section.add_files([big]) == []
    shown = section.message_label.text()
    assert "vượt giới hạn 1 MB" in shown and "\n" not in shown
    assert section.model.rowCount() == 0


def test_a_bidi_name_is_shown_and_opened_safely(
    section: AttachmentsSection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sneaky = tmp_path / "anh\u202egnp.exe"
    sneaky.write_bytes(b"MZ" * 50)
    section.add_files([sneaky])
    index = section.model.index(0)
    assert index.data() == "anhgnp.exe"
    opened: list[str] = []
    monkeypatch.setattr(
        AttachmentsSection, "open_external", staticmethod(lambda p: opened.append(p) or True)
    )
    assert section.open_index(index)
    assert Path(opened[0]).name == "anhgnp.exe"
