"""What every `kiemtra` command module shares: the lazily opened store, JSON output, errors.

The command modules import these from here, never from the `desktop.cli` package itself, which
imports them all (no cycle inside desktop.cli).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import click

from db.errors import DatabaseLockedError
from desktop.services.errors import StoreError

# Said when a command that writes finds the database held (by the window, most often).
WINDOW_WRITES = (
    "Lệnh này ghi dữ liệu: hãy làm việc này trong cửa sổ chương trình đang mở, "
    "hoặc đóng cửa sổ rồi chạy lại lệnh"
)


class AppContext:
    """What every command gets: the database path, opened lazily."""

    def __init__(self, db_path: Path, actor: str | None = None) -> None:
        from db.files import protect_database

        self.db_path = db_path
        # No `-o` of any command may write over it, its -wal/-shm/lock or its managed folders,
        # even a command that never opens it (db.files.check_target).
        protect_database(db_path)
        self.actor = actor
        self._store: Any = None

    @property
    def store(self) -> Any:
        if self._store is None:
            from db import Store
            from desktop.services.backup import daily_backup

            try:
                self._store = Store.open(self.db_path, app="Kiểm tra CCHC (dòng lệnh)")
            except DatabaseLockedError as exc:
                raise DatabaseLockedError(f"{exc}. {WINDOW_WRITES}", exc.holder) from exc
            # Who the audit log names for every change: --as / KIEMTRA_ACTOR, else this laptop.
            self._store.actor = self.actor or self._store.device_name
            try:
                daily_backup(self._store)
            except (OSError, StoreError, sqlite3.Error) as exc:
                # A failed automatic backup must not stop the work; say so and carry on.
                click.echo(f"Cảnh báo: không tạo được bản sao lưu tự động: {exc}", err=True)
        return self._store

    @property
    def reader(self) -> Any:
        """The store for a command that only reads (or backs up): the writer's when this
        process can take the lock, else — the window is open — a read-only one, which WAL lets
        read (and the online backup API copy) while the window writes."""
        if self._store is None:
            try:
                return self.store
            except DatabaseLockedError:
                from db import Store

                self._store = Store.open(self.db_path, read_only=True)
                self._store.actor = self.actor or self._store.device_name
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def emit_json(data: Any) -> None:
    """Print machine-readable output: UTF-8 JSON, Vietnamese unescaped."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def default_db() -> Path:
    from desktop.services.paths import default_db_path

    return default_db_path()


class KiemtraError(click.ClickException):
    """A user-facing error shown as one line "Lỗi: …" on stderr, exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.message}", err=True)


# Not ParamType[...]: it is generic only from click 8.2, and pyproject allows 8.1.
class OutputFile(click.ParamType):  # type: ignore[type-arg]
    """The file an `-o` writes: refused at once, in one Vietnamese line, when it is the
    database, its -wal/-shm/lock, inside the data folder's managed parts, or not a regular
    file (a device, a FIFO, a folder) — db.files.check_target, before any work is done. The
    root group has registered `--db` already (AppContext) when a subcommand's options are
    parsed."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from db.files import TargetRefusedError, check_target

        path = Path(value)
        try:
            check_target(path)
        except TargetRefusedError as exc:
            raise KiemtraError(str(exc)) from exc
        return path


pass_app = click.make_pass_decorator(AppContext)
