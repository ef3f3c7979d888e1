"""The sync controller: runs export and import of packages for the window (see dialogs.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QObject,
    Signal,
)
from PySide6.QtWidgets import (
    QMessageBox,
    QWidget,
)

from desktop.ui.common import dialogs_vi, file_dialogs
from desktop.ui.common.workers import Task, own_store, show_error
from desktop.ui.store_adapter import StoreAdapter
from desktop.ui.sync.labels import T_SYNC_EXPORT as T_EXPORT
from desktop.ui.sync.labels import T_SYNC_IMPORT as T_IMPORT
from desktop.ui.sync.labels import T_SYNC_MENU as T_MENU

if TYPE_CHECKING:
    from desktop.ui.sync.conflicts_view import ConflictsDialog

from desktop.ui.sync.dialogs import (
    T_CHECKING,
    T_CLOSE,
    T_DEVICE_TEXT,
    T_DEVICE_TITLE,
    T_EXPORT_FAILED,
    T_EXPORTED,
    T_EXPORTED_TITLE,
    T_EXPORTING,
    T_IMPORTED,
    T_IMPORTED_TITLE,
    T_IMPORTING,
    T_PACKAGE_FILTER,
    T_REFUSED,
    T_SEE_CONFLICTS,
    ImportPreviewDialog,
    PassphraseDialog,
    SyncExportDialog,
    group_fingerprint,
)

LAST_RECIPIENT = "ui.sync_recipient"  # setting: the fingerprint chosen at the last export


# -- the controller ------------------------------------------------------------------------
class SyncController(QObject):
    """Runs sync export and import for a window.

    `reopen(path)` must reopen the database in the window after an import (MainWindow's
    open_database); `flush()` saves what the editor holds before the import.

    Signals:
      taskCreated(task: Task) — a worker is about to start.
      exported(summary: dict) — a package was written.
      previewed(preview: dict) — a package was verified and its preview shown.
      imported(result: dict) — a package was imported and the window reloaded.
      refused(message: str) — a package was refused or an export failed (message shown).
    """

    taskCreated = Signal(object)
    exported = Signal(object)
    previewed = Signal(object)
    imported = Signal(object)
    refused = Signal(str)

    def __init__(
        self,
        adapter: StoreAdapter,
        parent: QWidget,
        current_plan: Callable[[], str | None],
        reopen: Callable[[Path], Any],
        flush: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.adapter = adapter
        self.widget = parent
        self.current_plan = current_plan
        self.reopen = reopen
        self.flush = flush or (lambda: None)
        self.task: Task | None = None
        self.conflicts_dialog: ConflictsDialog | None = None

    # -- seams ----------------------------------------------------------------------------
    @staticmethod
    def ask_save_path(parent: QWidget | None, suggested: Path) -> Path | None:
        path = file_dialogs.save_file(parent, T_EXPORT, str(suggested), T_PACKAGE_FILTER)
        return Path(path) if path else None

    @staticmethod
    def ask_open_path(parent: QWidget | None, start: str) -> Path | None:
        path = file_dialogs.open_file(parent, T_IMPORT, start, T_PACKAGE_FILTER)
        return Path(path) if path else None

    @staticmethod
    def show_summary(parent: QWidget | None, text: str, conflicts: int) -> bool:
        """The import summary; True when the user asks to see the conflicts."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(T_IMPORTED_TITLE)
        box.setText(text)
        see = (
            box.addButton(T_SEE_CONFLICTS, QMessageBox.ButtonRole.AcceptRole) if conflicts else None
        )
        box.addButton(T_CLOSE, QMessageBox.ButtonRole.RejectRole)
        if see is not None:
            box.setDefaultButton(see)
        box.exec()
        return see is not None and box.clickedButton() is see

    @staticmethod
    def show_info(parent: QWidget | None, title: str, text: str) -> None:
        dialogs_vi.inform(parent, title, text)

    # -- export ---------------------------------------------------------------------------
    def _db_path(self) -> Path:
        path = self.adapter.path
        assert path is not None, "sync needs a database file"
        return path

    def export_package(self) -> Task | None:
        """Ask what to export and where, then write the package in a worker."""
        store = self.adapter.reads
        plan_id = self.current_plan()
        plan = store.planning.plan(plan_id) if plan_id else None
        plan_label = f"{plan['number']}" if plan else None
        recipients = [
            (d["fingerprint"], d["name"])
            for d in store.sync.devices.devices()
            if not d["is_self"]
            and d["trusted"]
            and not d["revoked"]
            and d["fingerprint"]
            and d.get("encryption_key")
        ]
        last = self.adapter.setting(LAST_RECIPIENT)
        choice = SyncExportDialog.ask(self.widget, plan_label, recipients, last)
        if choice is None:
            return None
        # The device chosen is the next export's default (none: a passphrase or plain).
        self.adapter.set_setting(LAST_RECIPIENT, choice.recipient)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        folder = self.adapter.setting("ui.sync_dir") or str(Path.home())
        suggested = Path(folder) / f"{store.device_name}-{stamp}.kiemtra"
        target = self.ask_save_path(self.widget, suggested)
        if target is None:
            return None
        if target.suffix.lower() != ".kiemtra":
            target = target.with_name(target.name + ".kiemtra")
        self.adapter.set_setting("ui.sync_dir", str(target.parent))
        chosen_plan = plan_id if choice.plan_only and plan else None
        self.flush()

        def work(_progress: Any) -> dict[str, Any]:
            from desktop.sync.export import export_package

            with own_store(self._db_path(), read_only=False) as own:
                return export_package(
                    own,
                    target,
                    plan_id=chosen_plan,
                    full=choice.full,
                    recipient=choice.recipient,
                    passphrase=choice.passphrase,
                )

        task = self._task(T_EXPORTING, work)
        task.succeeded.connect(self._exported)
        task.failed.connect(lambda message: self._refused(T_EXPORT_FAILED, message))
        return task.start()

    def _exported(self, summary: dict[str, Any]) -> None:
        self.show_info(self.widget, T_EXPORTED_TITLE, T_EXPORTED.format(**summary))
        self.exported.emit(summary)

    # -- import ---------------------------------------------------------------------------
    def import_package(self, path: Path | None = None) -> Task | None:
        """Ask for a package (unless given), verify and preview it in a worker."""
        if path is None:
            start = self.adapter.setting("ui.sync_dir") or str(Path.home())
            path = self.ask_open_path(self.widget, start)
            if path is None:
                return None
        return self._preview(path, None)

    def _preview(self, path: Path, passphrase: str | None, pinned: Any = None) -> Task:
        """Copy the package once (privately, hashed), then preview that copy: the import
        later reads the same copy and checks its hash, so a file swapped at `path` after
        the preview is never what is imported."""
        held: dict[str, Any] = {"pinned": pinned}

        def work(_progress: Any) -> dict[str, Any]:
            from desktop.sync.pinned import pin
            from desktop.sync.preview import preview_package

            # Read-write: the preview is the import's own merge, rolled back (nothing kept).
            with own_store(self._db_path(), read_only=False) as own:
                if held["pinned"] is None:
                    held["pinned"] = pin(own, path)
                copy = held["pinned"]
                return preview_package(
                    own, copy.copy, passphrase=passphrase, sha256=copy.sha256, shown_as=path
                )

        def failed(message: str) -> None:
            if held["pinned"] is not None:
                held["pinned"].release()
            self._refused(T_REFUSED, message)

        task = self._task(T_CHECKING, work)
        task.succeeded.connect(
            lambda preview: self._previewed(path, passphrase, preview, held["pinned"])
        )
        task.failed.connect(failed)
        return task.start()

    def _previewed(
        self, path: Path, passphrase: str | None, preview: dict[str, Any], pinned: Any
    ) -> None:
        if preview["needs_passphrase"]:
            given = PassphraseDialog.ask(self.widget, path.name)
            if given:
                self._preview(path, given, pinned)
            else:
                pinned.release()
            return
        self.previewed.emit(preview)
        if not ImportPreviewDialog.ask(self.widget, preview):
            pinned.release()
            return
        # The dialog asked before trusting the sender or any key the package brings.
        trust_new = preview["trust"] == "unknown" or bool(preview["keys_to_trust"])
        self.flush()

        def work(_progress: Any) -> dict[str, Any]:
            from desktop.services.backup import backup_before
            from desktop.sync.importer import import_package

            try:
                with own_store(self._db_path(), read_only=False) as own:
                    backup_before(own, "import")
                    return import_package(
                        own,
                        pinned.copy,
                        passphrase=passphrase,
                        trust_new=trust_new,
                        expected_sha256=pinned.sha256,
                    )
            finally:
                pinned.release()

        task = self._task(T_IMPORTING, work)
        task.succeeded.connect(self._imported)
        task.failed.connect(lambda message: self._refused(T_REFUSED, message))
        task.start()

    def _imported(self, result: dict[str, Any]) -> None:
        # A fresh Store for the window: its clock has seen every imported stamp, and the
        # navigator, progress and editor read the new rows.
        self.reopen(self._db_path())
        text = T_IMPORTED.format(name=result["from"]["name"], **result)
        self.imported.emit(result)
        if self.show_summary(self.widget, text, result["conflicts"]):
            self.show_conflicts()
        elif self.conflicts_dialog is not None and self.conflicts_dialog.isVisible():
            self.conflicts_dialog.view.reload()

    # -- conflicts, device ----------------------------------------------------------------
    def show_conflicts(self) -> ConflictsDialog:
        """Open (or refresh) the conflicts screen."""
        if self.conflicts_dialog is None:
            from desktop.ui.sync.conflicts_view import ConflictsDialog  # only when asked for

            self.conflicts_dialog = ConflictsDialog(self.adapter, self.widget)
        else:
            self.conflicts_dialog.view.reload()
        self.conflicts_dialog.show()
        self.conflicts_dialog.raise_()
        return self.conflicts_dialog

    def show_device(self) -> None:
        """Show this laptop's name and key fingerprint (to read out to the secretary)."""
        info = self.adapter.device_info()
        self.show_info(
            self.widget,
            T_DEVICE_TITLE,
            T_DEVICE_TEXT.format(
                name=info["name"], fingerprint=group_fingerprint(info["fingerprint"])
            ),
        )

    # -- plumbing -------------------------------------------------------------------------
    def _task(self, label: str, work: Any) -> Task:
        task = Task(self.widget, T_MENU.replace("&", ""), label, work, cancellable=False)
        self.task = task
        self.taskCreated.emit(task)
        return task

    def _refused(self, title: str, message: str) -> None:
        show_error(self.widget, title, message)
        self.refused.emit(message)
