"""Tệp ▸ Sao lưu và khôi phục…: the list, a backup now, a restore that reopens the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.services.backup import backup_before, list_backups
from desktop.ui.backups.dialog import BackupsDialog, BackupsModel, human_size
from desktop.ui.common import dialogs_vi
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

UNIT = "Sở Y tế"


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    seen: dict[str, Any] = {"confirm": True, "asked": [], "infos": [], "errors": []}

    def confirm(_parent: Any, when: str, reason: str) -> bool:
        seen["asked"].append((when, reason))
        return bool(seen["confirm"])

    monkeypatch.setattr(BackupsDialog, "confirm_restore", staticmethod(confirm))
    monkeypatch.setattr(
        BackupsDialog, "show_info", staticmethod(lambda _p, _t, text: seen["infos"].append(text))
    )
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: seen["errors"].append(text))
    return seen


@pytest.fixture
def dialog(qtbot: Any, demo_store: Store, db_path: Path) -> Iterator[BackupsDialog]:
    host = QWidget()
    qtbot.addWidget(host)
    adapter = StoreAdapter(demo_store, host)
    reopened: list[Path] = []

    def reopen(path: Path) -> None:
        reopened.append(path)
        adapter.replace_store(Store.open(path))

    d = BackupsDialog(adapter, reopen, parent=host)
    d.reopened = reopened  # type: ignore[attr-defined]
    qtbot.addWidget(d)
    d.show()
    yield d
    adapter.close()


def note_of(store: Store) -> str:
    insp = inspection_id(store, UNIT)
    item = store.findings.item_id_for_code(insp, "A1.1.1")
    assert item
    return (store.findings.finding(insp, item) or {}).get("note") or ""


def set_note(store: Store, text: str) -> None:
    insp = inspection_id(store, UNIT)
    item = store.findings.item_id_for_code(insp, "A1.1.1")
    assert item
    store.findings.set_finding(insp, item, {"note": text})


def test_lists_backups_newest_first(
    qtbot: Any, qtmodeltester: Any, demo_store: Store, db_path: Path, seams: dict[str, Any]
) -> None:
    backup_before(demo_store, "import")
    backup_before(demo_store, "checklist")
    host = QWidget()
    qtbot.addWidget(host)
    d = BackupsDialog(StoreAdapter(demo_store, host), lambda _p: None, parent=host)
    qtbot.addWidget(d)
    qtmodeltester.check(d.model)
    shown = d.backups()
    assert [b["path"] for b in shown] == [b["path"] for b in list_backups(db_path)]
    assert len(shown) == 2 and d.count_label.text() == "2 bản sao lưu"
    first = d.proxy.index(0, BackupsModel.COL_WHEN).data()
    assert dt.datetime.strptime(first, "%d/%m/%Y %H:%M:%S")
    reasons = {d.proxy.index(r, BackupsModel.COL_REASON).data() for r in range(2)}
    assert reasons == {"Trước khi nhập dữ liệu", "Trước khi thay đổi bộ tiêu chí"}
    assert d.proxy.index(0, BackupsModel.COL_SIZE).data().endswith("KB")
    assert d.restore_button.isEnabled()


def test_empty_list_says_so(qtbot: Any, dialog: BackupsDialog) -> None:
    assert dialog.backups() == [] and dialog.count_label.text() == "Chưa có bản sao lưu nào."
    assert not dialog.restore_button.isEnabled()


def test_backup_now_adds_a_row(qtbot: Any, dialog: BackupsDialog, db_path: Path) -> None:
    with qtbot.waitSignal(dialog.backedUp, timeout=30000) as blocker:
        dialog.backup_now()
    path = Path(blocker.args[0])
    assert path.is_file() and path.parent == db_path.parent / "backups"
    assert [b["reason"] for b in dialog.backups()] == ["manual"]
    assert dialog.selected()["path"] == str(path)
    assert dialog.proxy.index(0, BackupsModel.COL_REASON).data() == "Sao lưu thủ công"


def test_restore_brings_back_the_old_data_and_reopens(
    qtbot: Any, dialog: BackupsDialog, db_path: Path, seams: dict[str, Any]
) -> None:
    set_note(dialog.adapter.store, "Trước khi sao lưu")
    with qtbot.waitSignal(dialog.backedUp, timeout=30000) as blocker:
        dialog.backup_now()
    backup = blocker.args[0]
    set_note(dialog.adapter.store, "Sửa sau khi sao lưu")
    assert dialog.select_path(backup)

    with qtbot.waitSignal(dialog.restored, timeout=30000):
        dialog.restore_selected()
    assert len(seams["asked"]) == 1 and seams["asked"][0][1] == "Sao lưu thủ công"
    assert dialog.reopened == [db_path]  # type: ignore[attr-defined]
    # The adapter holds a fresh Store on the restored file.
    assert note_of(dialog.adapter.store) == "Trước khi sao lưu"
    # The data before the restore was kept, and the list shows that copy.
    reasons = [b["reason"] for b in dialog.backups()]
    assert sorted(reasons) == ["manual", "restore"]
    assert "Dữ liệu trước khi khôi phục được lưu tại" in seams["infos"][0]
    safety = next(b["path"] for b in dialog.backups() if b["reason"] == "restore")
    kept = Store.open(safety, read_only=True)
    try:
        assert note_of(kept) == "Sửa sau khi sao lưu"
    finally:
        kept.close()


def test_declined_confirmation_changes_nothing(
    qtbot: Any, dialog: BackupsDialog, seams: dict[str, Any]
) -> None:
    with qtbot.waitSignal(dialog.backedUp, timeout=30000):
        dialog.backup_now()
    set_note(dialog.adapter.store, "Giữ nguyên")
    seams["confirm"] = False
    assert dialog.restore_selected() is None
    assert note_of(dialog.adapter.store) == "Giữ nguyên"
    assert dialog.reopened == []  # type: ignore[attr-defined]


def test_broken_backup_is_refused_and_database_reopened(
    qtbot: Any, dialog: BackupsDialog, db_path: Path, seams: dict[str, Any]
) -> None:
    with qtbot.waitSignal(dialog.backedUp, timeout=30000) as blocker:
        dialog.backup_now()
    # Damaged inside (a whole file by its header, so still listed): restore must refuse it.
    broken = Path(blocker.args[0])
    data = bytearray(broken.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)
    broken.write_bytes(bytes(data))
    set_note(dialog.adapter.store, "Còn nguyên")
    dialog.reload()
    with qtbot.waitSignal(dialog.failed, timeout=30000) as failed:
        dialog.restore_selected()
    assert failed.args[0].startswith("Không khôi phục:")
    assert seams["errors"] == [failed.args[0]]
    assert dialog.reopened == [db_path]  # type: ignore[attr-defined]
    assert note_of(dialog.adapter.store) == "Còn nguyên"


def test_human_size() -> None:
    assert human_size(512) == "512 B"
    assert human_size(2_500_000) == "2,4 MB"
    assert human_size(1_234_567 // 100) == "12 KB"
