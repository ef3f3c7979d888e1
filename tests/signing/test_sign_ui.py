"""Ký số… in the export dialog: the PDF just exported signed with a PKCS#12 file, in a worker."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from db import Store
from desktop.signing.verify import verify_pdf
from desktop.ui.common import dialogs_vi
from desktop.ui.exports import dialog as export_dialog
from desktop.ui.exports.dialog import SIGN, DocumentChoice, ExportController, ReportOptionsDialog
from desktop.ui.exports.signing import SignChoice, SignDialog
from desktop.ui.store_adapter import StoreAdapter
from tests.signing import pki
from tests.signing.conftest import Pki

pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore("does not support propagateSizeHints", "does not support raise"),
]


@pytest.fixture
def host(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def seams(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, test_pki: Pki) -> dict[str, Any]:
    seen: dict[str, Any] = {"errors": [], "answers": [SIGN, False], "signed_in": []}
    (tmp_path / "out").mkdir()
    choice = DocumentChoice("15/TB-SNV", dt.date(2025, 7, 9), "Nguyễn Thị Hòa")
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, *a: choice))
    monkeypatch.setattr(
        ExportController,
        "ask_save_path",
        staticmethod(lambda _p, _c, suggested, _f: tmp_path / "out" / suggested.name),
    )
    monkeypatch.setattr(
        ExportController, "ask_open_file", staticmethod(lambda *a: seen["answers"].pop(0))
    )
    monkeypatch.setattr(ExportController, "ask_mark_concluded", staticmethod(lambda *a: False))
    monkeypatch.setattr(dialogs_vi, "warn", lambda _p, _t, text: seen["errors"].append(text))
    seen["choice"] = SignChoice(
        test_pki.signer.p12, pki.PASSPHRASE, test_pki.signature_png, ("PHÓ GIÁM ĐỐC",), False
    )

    def ask(cls: Any, parent: Any, source: Path, key: str, image: str) -> SignChoice:
        seen["asked"] = (source, key, image)
        return seen["choice"]

    monkeypatch.setattr(SignDialog, "ask", classmethod(ask))
    # Signing runs off the GUI thread: record where it ran.
    real = export_dialog.__dict__.get("sign_pdf")
    assert real is None  # imported inside the worker, not at module level
    import desktop.signing.sign as signing

    original = signing.sign_pdf

    def spy(request: Any) -> Any:
        seen["signed_in"].append(threading.current_thread() is threading.main_thread())
        return original(request)

    monkeypatch.setattr(signing, "sign_pdf", spy)
    return seen


def controller_for(host: QWidget, store: Store) -> ExportController:
    adapter = StoreAdapter(store, host)
    plan_id = store.planning.plans()[0]["id"]
    insp = store.planning.inspections(plan_id)[0]["id"]
    return ExportController(adapter, host, lambda: plan_id, lambda: insp)


def test_sign_the_pdf_just_exported(
    qtbot: Any, host: QWidget, demo_store: Store, seams: dict[str, Any], test_pki: Pki
) -> None:
    controller = controller_for(host, demo_store)
    with qtbot.waitSignal(controller.signed, timeout=60000) as blocker:
        controller.export_inspection("ket-luan", "pdf")
    signed = Path(blocker.args[0])
    assert signed.name.endswith("(đã ký số).pdf")
    exported = seams["asked"][0]
    assert exported.is_file() and exported != signed
    [sig] = verify_pdf(signed, [])
    assert sig["signer"] == pki.SIGNER and sig["intact"] and sig["covers_whole_file"]
    assert seams["signed_in"] == [False]  # in a worker thread
    # The notice prints "Nguyễn Thị Hòa"; the certificate is someone else's: said, not refused.
    [warning] = seams["errors"]
    assert warning.startswith("Lưu ý: chứng thư số của " + pki.SIGNER)
    assert "Nguyễn Thị Hòa" in warning
    # The key file and the image are remembered for next time (not the passphrase).
    assert demo_store.settings.setting("ui.sign_pkcs12") == str(test_pki.signer.p12)
    assert demo_store.settings.setting("ui.sign_image") == str(test_pki.signature_png)
    assert pki.PASSPHRASE not in str(demo_store.settings.setting("ui.sign_pkcs12"))


def test_wrong_passphrase_is_shown_and_nothing_written(
    qtbot: Any,
    host: QWidget,
    demo_store: Store,
    seams: dict[str, Any],
    test_pki: Pki,
    tmp_path: Path,
) -> None:
    seams["choice"] = SignChoice(test_pki.signer.p12, "sai", None, (), False)
    controller = controller_for(host, demo_store)
    with qtbot.waitSignal(controller.failed, timeout=60000) as blocker:
        controller.export_inspection("ket-luan", "pdf")
    assert "Mật khẩu của tệp khóa signer.p12 không đúng" in blocker.args[0]
    assert seams["errors"] == [blocker.args[0]]
    assert [p.name for p in (tmp_path / "out").iterdir() if "đã ký" in p.name] == []


def test_the_dialog_gives_what_was_typed(qtbot: Any, host: QWidget, test_pki: Pki) -> None:
    dialog = SignDialog(host, Path("/tmp/tb.pdf"), str(test_pki.signer.p12), "")
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(pki.PASSPHRASE)
    dialog.title_edit.setText("KT. GIÁM ĐỐC | PHÓ GIÁM ĐỐC")
    dialog.organisation_box.setChecked(True)
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
    assert dialog.choice() == SignChoice(
        test_pki.signer.p12, pki.PASSPHRASE, None, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), True
    )
    # Without a key file the dialog says so and stays open.
    dialog.key_edit.setText("")
    dialog._accept()
    assert dialog.problem.text() == "Hãy chọn tệp khóa ký." and dialog.result() == 0
