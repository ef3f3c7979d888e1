"""Đồng bộ from the window: export on one laptop, preview and import on another, conflicts."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.services.backup import list_backups
from desktop.services.demo import build_demo
from desktop.ui.common import dialogs_vi
from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.sync.conflicts_view import ConflictsView
from desktop.ui.sync.controller import SyncController
from desktop.ui.sync.dialogs import (
    ImportPreviewDialog,
    PassphraseDialog,
    PreviewTableModel,
    SyncExportChoice,
    SyncExportDialog,
)
from tests.sync.helpers import full_dump

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot resize or raise native windows; it says so.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]

UNIT = "Sở Y tế"


class Laptop:
    """A database with its adapter and controller, as a window would hold them."""

    def __init__(self, qtbot: Any, root: Path, name: str, demo: bool) -> None:
        self.path = root / name / "kiemtra.sqlite"
        store = Store.open(self.path)
        store.db.execute("UPDATE devices SET name = ? WHERE is_self = 1", [name])
        store.close()
        store = Store.open(self.path)
        if demo:
            build_demo(store)
        self.host = QWidget()
        qtbot.addWidget(self.host)
        self.adapter = StoreAdapter(store, self.host)
        self.reopened = 0
        self.controller = SyncController(
            self.adapter,
            self.host,
            current_plan=lambda: (self.adapter.plans() or [{"id": None}])[0]["id"],
            reopen=self._reopen,
        )

    def _reopen(self, path: Path) -> None:
        self.reopened += 1
        self.adapter.replace_store(Store.open(path))

    @property
    def store(self) -> Store:
        return self.adapter.store


@pytest.fixture
def laptops(qtbot: Any, tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    a = Laptop(qtbot, tmp_path, "may-thu-ky", demo=True)
    b = Laptop(qtbot, tmp_path, "may-so-noi-vu", demo=False)
    yield a, b
    a.adapter.close()
    b.adapter.close()


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {
        "choice": SyncExportChoice(plan_only=True, full=True),
        "target": tmp_path / "goi.kiemtra",
        "previews": [],
        "import": True,
        "summaries": [],
        "see_conflicts": True,
        "errors": [],
        "infos": [],
        "passphrase": None,
    }
    monkeypatch.setattr(SyncExportDialog, "ask", classmethod(lambda cls, *a: seen["choice"]))
    monkeypatch.setattr(SyncController, "ask_save_path", staticmethod(lambda *a: seen["target"]))
    monkeypatch.setattr(SyncController, "ask_open_path", staticmethod(lambda *a: seen["target"]))

    def preview(cls: Any, parent: Any, data: dict[str, Any]) -> bool:
        seen["previews"].append(data)
        # Build the real dialog too: what it shows is part of the contract.
        dialog = ImportPreviewDialog(parent, data)
        seen["dialog_texts"] = {
            "from": dialog.from_label.text(),
            "fingerprint": dialog.fingerprint_label.text(),
            "trust": dialog.trust_label.text(),
            "import_enabled": dialog.import_button.isEnabled(),
            "has_trust_check": dialog.trust_check is not None,
        }
        if dialog.trust_check is not None:
            dialog.trust_check.setChecked(True)
            seen["dialog_texts"]["enabled_after_check"] = dialog.import_button.isEnabled()
        dialog.deleteLater()
        return bool(seen["import"])

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(preview))
    monkeypatch.setattr(
        SyncController,
        "show_summary",
        staticmethod(
            lambda _p, text, conflicts: (
                seen["summaries"].append((text, conflicts)) or seen["see_conflicts"]
            )
        ),
    )
    monkeypatch.setattr(
        SyncController, "show_info", staticmethod(lambda _p, t, text: seen["infos"].append(text))
    )
    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(lambda cls, *a: seen["passphrase"]))
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: seen["errors"].append(text))
    return seen


def export(qtbot: Any, laptop: Laptop) -> dict[str, Any]:
    with qtbot.waitSignal(laptop.controller.exported, timeout=30000) as blocker:
        laptop.controller.export_package()
    return blocker.args[0]  # type: ignore[no-any-return]


def import_(qtbot: Any, laptop: Laptop) -> dict[str, Any]:
    with qtbot.waitSignal(laptop.controller.imported, timeout=30000) as blocker:
        laptop.controller.import_package()
    return blocker.args[0]  # type: ignore[no-any-return]


def finding_of(store: Store, unit: str, code: str) -> dict[str, Any]:
    insp = next(i["id"] for i in store.planning.inspections() if i["unit"] == unit)
    item = store.findings.item_id_for_code(insp, code)
    assert item
    row = store.findings.finding(insp, item)
    assert row is not None
    return row


def test_export_preview_import_summary(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any]
) -> None:
    a, b = laptops
    summary = export(qtbot, a)
    assert Path(summary["file"]).is_file() and summary["rows"] > 100
    assert "Đã xuất" in seams["infos"][0]
    fingerprint = a.store.sync.devices.self_device()["fingerprint"]

    result = import_(qtbot, b)
    preview = seams["previews"][0]
    assert preview["source"] == {
        "id": a.store.device_id,
        "name": "may-thu-ky",
        "fingerprint": fingerprint,
    }
    assert preview["trust"] == "unknown" and preview["encryption"] == "none"
    assert preview["scope"]["full"] is True and preview["scope"]["plan"].startswith(
        a.store.planning.plans()[0]["number"]
    )
    assert preview["tables"]["findings"] == len(
        a.store.db.execute("SELECT id FROM findings").fetchall()
    )
    assert preview["rows"] == summary["rows"] and preview["attachments"] == 0
    shown = seams["dialog_texts"]
    assert shown["from"] == "may-thu-ky"
    assert shown["fingerprint"].replace("\n", " ") == fingerprint.replace("-", " ")
    assert shown["trust"] == "Thiết bị CHƯA được tin cậy"
    assert shown["import_enabled"] is False and shown["enabled_after_check"] is True

    assert result["inserted"] == summary["rows"] and result["conflicts"] == 0
    text, conflicts = seams["summaries"][0]
    assert conflicts == 0
    assert f"{result['inserted']} bản ghi mới" in text and "0 xung đột" in text
    # The window got a fresh store on the same file, now holding the plan.
    assert b.reopened == 1 and len(b.adapter.plans()) == 1
    assert b.store.sync.devices.device_by_fingerprint(fingerprint)["trusted"]
    assert [x["reason"] for x in list_backups(b.path)] == ["import"]


def test_declined_preview_changes_nothing(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any]
) -> None:
    a, b = laptops
    export(qtbot, a)
    seams["import"] = False
    before = full_dump(b.path)
    with qtbot.waitSignal(b.controller.previewed, timeout=30000):
        b.controller.import_package()
    qtbot.waitUntil(lambda: b.controller.task is not None and not b.controller.task.running)
    assert full_dump(b.path) == before and b.reopened == 0


def test_conflict_shown_side_by_side_and_resolved(
    qtbot: Any,
    qtmodeltester: Any,
    laptops: tuple[Laptop, Laptop],
    seams: dict[str, Any],
    tmp_path: Path,
) -> None:
    a, b = laptops
    export(qtbot, a)
    seams["see_conflicts"] = False
    import_(qtbot, b)
    # The same finding edited on both laptops from the same version.
    insp = next(i["id"] for i in a.store.planning.inspections() if i["unit"] == UNIT)
    item = a.store.findings.item_id_for_code(insp, "A1.1.1")
    assert item
    a.store.findings.set_finding(
        insp, item, {"note": "Bản của máy thư ký"}, recorded_by="Lê Văn An"
    )
    b.store.findings.set_finding(
        insp, item, {"note": "Bản của Sở Nội vụ"}, recorded_by="Phạm Thị Mai"
    )

    seams["choice"] = SyncExportChoice(plan_only=True, full=False)
    seams["target"] = tmp_path / "thay-doi.kiemtra"
    assert export(qtbot, a)["rows"] >= 1
    seams["see_conflicts"] = True
    result = import_(qtbot, b)
    assert result["conflicts"] == 1
    assert seams["summaries"][-1][1] == 1 and "1 xung đột" in seams["summaries"][-1][0]

    dialog = b.controller.conflicts_dialog
    assert dialog is not None and dialog.isVisible()
    view: ConflictsView = dialog.view
    qtmodeltester.check(view.list_model)
    qtmodeltester.check(view.diff_model)
    assert len(view.conflicts()) == 1
    conflict = view.current_conflict()
    assert conflict is not None and conflict["what"] == f"{UNIT} — nội dung A1.1.1"
    model = view.diff_model
    rows = {
        model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
        for r in range(model.rowCount())
    }
    assert rows["Nhận xét"] == ("Bản của Sở Nội vụ", "Bản của máy thư ký")
    assert rows["Người ghi"] == ("Phạm Thị Mai", "Lê Văn An")
    # Each side names its writer: the member who recorded it (or, before, the laptop).
    mine, theirs = view.mine_label.text(), view.theirs_label.text()
    assert "Phạm Thị Mai" in mine or "may-so-noi-vu" in mine
    assert "Lê Văn An" in theirs or "may-thu-ky" in theirs
    # The row shows the later version until the secretary chooses; that side is marked.
    shown = finding_of(b.store, UNIT, "A1.1.1")["note"]
    winner_col = 1 if conflict["winner"] == "local" else 2
    assert model.headerData(winner_col, Qt.Orientation.Horizontal).endswith("(đang dùng)")
    assert not model.headerData(3 - winner_col, Qt.Orientation.Horizontal).endswith(")")
    assert shown == rows["Nhận xét"][winner_col - 1]
    assert view.winner_label.text().startswith("Chưa chọn")

    with qtbot.waitSignal(b.adapter.findingChanged, timeout=2000):
        view.keep_theirs_button.click()
    assert finding_of(b.store, UNIT, "A1.1.1")["note"] == "Bản của máy thư ký"
    assert view.conflicts() == [] and view.count_label.text() == "Không còn xung đột nào."
    assert not view.keep_mine_button.isEnabled()
    view.reload()
    assert view.conflicts() == []


def test_tampered_package_is_refused_with_the_reason(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any], tmp_path: Path
) -> None:
    a, b = laptops
    good = Path(export(qtbot, a)["file"])
    bad = tmp_path / "sua.kiemtra"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "rows/findings.jsonl":
                data = data.replace(b"\xc4\x91", b"\xc4\x90", 1)  # one "đ" becomes "Đ"
            dst.writestr(info, data)
    seams["target"] = bad
    before = full_dump(b.path)
    with qtbot.waitSignal(b.controller.refused, timeout=30000) as blocker:
        b.controller.import_package()
    message = blocker.args[0]
    assert message == "Gói đồng bộ bị hỏng: phần rows/findings.jsonl bị sửa đổi (sai mã băm)"
    assert seams["errors"] == [message] and "\n" not in message
    assert seams["previews"] == [] and full_dump(b.path) == before


def test_not_a_package_is_refused(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any], tmp_path: Path
) -> None:
    _a, b = laptops
    seams["target"] = tmp_path / "khong-phai.kiemtra"
    seams["target"].write_text("xin chào", encoding="utf-8")
    with qtbot.waitSignal(b.controller.refused, timeout=30000) as blocker:
        b.controller.import_package()
    assert blocker.args[0].startswith("Gói đồng bộ bị hỏng: không phải tệp gói đồng bộ")


def test_passphrase_package(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any]
) -> None:
    a, b = laptops
    seams["choice"] = SyncExportChoice(plan_only=False, full=True, passphrase="mật khẩu chung")
    assert export(qtbot, a)["encryption"] == "passphrase"
    with zipfile.ZipFile(seams["target"]) as zf:
        assert json.loads(zf.read("manifest.json"))["scope"]["plan_id"] is None
    # Wrong passphrase: refused, nothing imported.
    seams["passphrase"] = "sai"
    with qtbot.waitSignal(b.controller.refused, timeout=30000) as blocker:
        b.controller.import_package()
    assert blocker.args[0] == "Gói đồng bộ không mở được: mật khẩu không đúng"
    seams["passphrase"] = "mật khẩu chung"
    result = import_(qtbot, b)
    assert seams["previews"][-1]["encryption"] == "passphrase"
    assert seams["previews"][-1]["scope"]["plan"] is None
    assert result["inserted"] > 100


def test_export_dialog_checks_what_was_typed(qtbot: Any) -> None:
    fp = "-".join(["abab"] * 16)
    dialog = SyncExportDialog(None, "21/KH-UBND", [(fp, "may-1")])
    qtbot.addWidget(dialog)
    assert dialog.plan_radio.isChecked() and dialog.changes_radio.isChecked()
    dialog.passphrase_radio.setChecked(True)
    dialog.passphrase_edit.setText("mật khẩu chung một")
    dialog.passphrase_again.setText("mật khẩu chung hai")
    assert dialog.validate() == "Hai lần nhập mật khẩu không khớp."
    dialog.passphrase_again.setText("mật khẩu chung một")
    assert dialog.validate() is None
    assert dialog.choice() == SyncExportChoice(True, False, "mật khẩu chung một", None)
    dialog.device_radio.setChecked(True)
    assert not dialog.passphrase_edit.isEnabled() and dialog.recipient_combo.isEnabled()
    dialog.recipient_combo.setCurrentIndex(-1)
    assert dialog.validate() is not None  # nobody chosen
    dialog.recipient_combo.setCurrentIndex(0)
    assert dialog.validate() is None and dialog.choice().recipient == fp
    dialog.recipient_combo.setEditText("CD" * 32)
    assert dialog.choice().recipient == "-".join(["cdcd"] * 16)
    dialog.all_radio.setChecked(True)
    dialog.full_radio.setChecked(True)
    assert dialog.choice().plan_only is False and dialog.choice().full is True


def test_preview_table_model(qtmodeltester: Any) -> None:
    model = PreviewTableModel({"findings": 1200, "plans": 1})
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Kết quả kiểm tra"
    assert model.index(0, 1).data() == "1.200"


def test_window_reloads_after_import(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any], tmp_path: Path
) -> None:
    from desktop.ui.main_window import MainWindow

    a, _b = laptops
    export(qtbot, a)
    store = Store.open(tmp_path / "cua-so" / "kiemtra.sqlite")
    window = MainWindow(StoreAdapter(store))
    qtbot.addWidget(window)
    try:
        assert window.plan_combo.count() == 0
        menu = window.feature("sync").menu
        actions = {act.text().replace("&", ""): act for act in menu.actions()}
        assert list(actions) == [
            "Xuất tệp đồng bộ…",
            "Nhập tệp đồng bộ…",
            "",
            "Xung đột…",
            "Mã vân tay của máy này…",
        ]
        seams["see_conflicts"] = False
        with qtbot.waitSignal(window.feature("sync").controller.imported, timeout=30000):
            actions["Nhập tệp đồng bộ…"].trigger()
        assert window.adapter.store is not store  # reopened: a fresh clock
        assert window.plan_combo.count() == 1
        assert window.tree_model.rowCount() > 0 and window.editor.current_row is not None
    finally:
        window.close()
        window.adapter.close()


def test_the_import_takes_the_bytes_previewed_not_a_file_swapped_after(
    qtbot: Any,
    laptops: tuple[Laptop, Laptop],
    seams: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 15, finding 4, through the real controller: while the preview is on screen the
    file at the chosen path is replaced by a stranger's package; the import merges the
    previewed package and never trusts the stranger's key."""
    a, b = laptops
    a_summary = export(qtbot, a)
    a_bytes = Path(a_summary["file"]).read_bytes()
    stranger = Laptop(qtbot, tmp_path, "may-la", demo=True)
    seams["target"] = tmp_path / "la.kiemtra"
    swapped = export(qtbot, stranger)
    stranger_bytes = Path(swapped["file"]).read_bytes()
    stranger_fp = stranger.store.sync.devices.self_device()["fingerprint"]
    chosen = tmp_path / "goi-chon.kiemtra"
    chosen.write_bytes(a_bytes)
    seams["target"] = chosen
    original_ask = ImportPreviewDialog.ask

    def swap_then_accept(cls: Any, parent: Any, data: dict[str, Any]) -> bool:
        chosen.write_bytes(stranger_bytes)  # swapped while the user reads the preview
        return bool(original_ask.__func__(cls, parent, data))  # type: ignore[attr-defined]

    monkeypatch.setattr(ImportPreviewDialog, "ask", classmethod(swap_then_accept))
    result = import_(qtbot, b)
    assert seams["previews"][0]["package"] == a_summary["package"] == result["package"]
    assert seams["previews"][0]["sha256"]
    assert b.store.sync.devices.device_by_fingerprint(stranger_fp) is None
    # The private copy is gone once imported.
    inbox = b.path.parent / "inbox"
    assert not inbox.exists() or list(inbox.iterdir()) == []
    stranger.adapter.close()


def test_the_preview_lists_the_keys_it_would_trust_and_its_counts(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any]
) -> None:
    a, b = laptops
    export(qtbot, a)
    seams["import"] = False
    with qtbot.waitSignal(b.controller.previewed, timeout=30000):
        b.controller.import_package()
    preview = seams["previews"][0]
    fingerprint = a.store.sync.devices.self_device()["fingerprint"]
    assert [k["fingerprint"] for k in preview["keys_to_trust"]] == [fingerprint]
    assert preview["inserted"] == preview["rows"] and preview["conflicts"] == 0
    dialog = ImportPreviewDialog(None, preview)
    qtbot.addWidget(dialog)
    assert fingerprint.replace("-", " ") in dialog.keys_label.text()
    assert f"{preview['inserted']} mới" in dialog.changes_label.text()


def test_a_relay_from_a_trusted_sender_shows_the_keys_it_brings_and_asks(
    qtbot: Any, laptops: tuple[Laptop, Laptop], seams: dict[str, Any], tmp_path: Path
) -> None:
    """A trusted secretary relays a third laptop's versions in a package that is not a plan
    package: the key of that laptop proves them only once trusted here, so the preview names
    it (introduced by the secretary) and asks; confirmed, the import trusts it (issue 15)."""
    from desktop.sync.export import export_package
    from desktop.sync.identity import ensure_identity
    from desktop.sync.importer import import_package

    a, b = laptops
    c = Laptop(qtbot, tmp_path, "may-c", demo=False)
    try:
        # C takes the plan from A, records one finding, and sends it back to A.
        ensure_identity(a.store)
        ensure_identity(c.store)
        plan_pkg = tmp_path / "ke-hoach.kiemtra"
        export_package(a.store, plan_pkg, full=True)
        import_package(c.store, plan_pkg, trust_new=True)
        insp = next(i["id"] for i in c.store.planning.inspections() if i["unit"] == UNIT)
        item = c.store.findings.item_id_for_code(insp, "A1.1.1")
        c.store.findings.set_finding(insp, item, {"note": "Máy C ghi"})
        c_pkg = tmp_path / "may-c.kiemtra"
        export_package(c.store, c_pkg)
        import_package(a.store, c_pkg, trust_new=True)
        c_fp = c.store.sync.devices.self_device()["fingerprint"]
        # B trusts A directly, has never met C; A's package is a whole one, not a plan's.
        a_fp = a.store.sync.devices.self_device()["fingerprint"]
        b.store.sync.devices.set_device_trust(a_fp, trusted=True, name="may-thu-ky")
        seams["choice"] = SyncExportChoice(plan_only=False, full=True)
        export(qtbot, a)
        result = import_(qtbot, b)
    finally:
        c.adapter.close()
    preview = seams["previews"][-1]
    assert preview["trust"] == "trusted"
    introduced = {k["fingerprint"]: k["introduced_by"] for k in preview["keys_to_trust"]}
    assert introduced[c_fp] == a.store.device_id
    texts = seams["dialog_texts"]
    assert texts["has_trust_check"] and not texts["import_enabled"]
    assert texts["enabled_after_check"]
    assert result["inserted"] > 0
    known = b.store.sync.devices.device_by_fingerprint(c_fp)
    assert known is not None and known["trusted"] and known["introduced_by"] == a.store.device_id
    assert finding_of(b.store, UNIT, "A1.1.1")["note"] == "Máy C ghi"
