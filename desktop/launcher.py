"""The `kiemtra` program (and `python -m desktop`): the window fast, the command line on demand.

`kiemtra` with no command, or with only `--db FILE` / `--as NAME`, opens the window: that path
goes straight to desktop.ui.app.run and never imports click nor the command modules (the
start-up target of issue 8). Everything else — a command, --help, --version, --selftest, an
unusual argument — is handed to the click group in desktop.cli, which handles it exactly as
before (and opens the window too when it finds no command).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

# The root options that take a value and do nothing but choose for the window.
_WINDOW_OPTIONS = ("--db", "--as")


def window_database(argv: list[str]) -> Path | None:
    """The database to open when `argv` only asks for the window, else None (let click parse).

    Anything click might treat differently (a repeated option, a value that looks like an
    option, an empty value, a folder where a file is expected) returns None.
    """
    values: dict[str, str] = {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if name not in _WINDOW_OPTIONS or name in values:
            return None
        if not eq:
            if not args:
                return None
            value = args.pop(0)
        if not value or value.startswith("-"):
            return None
        values[name] = value
    db = values.get("--db") or os.environ.get("KIEMTRA_DB")
    if db is None:
        from desktop.services.paths import default_db_path

        path = default_db_path()
    elif not db:
        return None
    else:
        path = Path(db)
    return None if path.is_dir() else path


def _database_named(argv: list[str]) -> Path:
    """The database a command line names (for its log): --db, else KIEMTRA_DB, else the
    user's default."""
    for index, arg in enumerate(argv):
        if arg == "--db" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if arg.startswith("--db="):
            return Path(arg.partition("=")[2])
    from desktop.services.paths import default_db_path

    return default_db_path()


def fail_unexpectedly(exc: BaseException, db_path: Path, where: str) -> NoReturn:
    """A bug reached the top: its traceback to the log beside `db_path` (stderr if the log
    cannot be written), one Vietnamese line on stderr, exit code 1."""
    from desktop.services import applog

    try:
        applog.setup_logging(db_path)
    except OSError:
        pass  # log_unexpected then prints the traceback to stderr
    log_file = applog.log_unexpected((type(exc), exc, exc.__traceback__), where)
    print(f"Lỗi: {applog.unexpected_message(exc, log_file)}", file=sys.stderr)
    sys.exit(1)


def utf8_streams() -> None:
    """Write stdout and stderr in UTF-8 when they are not already (issue 19, bug A).

    On Windows a stream that is not a console (redirected, piped, read by another program or a
    scheduled task) uses the ANSI code page (cp1252, cp1258), which has no "ể" or "ở": every
    command did its work, then died on its last message with UnicodeEncodeError. A console is
    already UTF-8 (Python writes to it through the wide-character API) and is left alone; the
    frozen kiemtra.exe also runs in UTF-8 mode (build.spec's "X utf8" option).
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding == "utf8" or reconfigure is None:
            continue
        try:
            stream.flush()
            reconfigure(encoding="utf-8")
        except (OSError, ValueError):
            pass  # a closed or detached stream: nothing will be written to it


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script `kiemtra`."""
    utf8_streams()
    args = sys.argv[1:] if argv is None else list(argv)
    path = window_database(args)
    if path is None:
        from desktop.cli import main as cli_main

        try:
            cli_main(args)
        except Exception as exc:  # the last resort: logged, one line
            fail_unexpectedly(exc, _database_named(args), "dòng lệnh")
        return
    # Start-up builds tens of thousands of objects (Qt's enums and wrappers, the window) and
    # almost no garbage: the cyclic collector would walk them again and again for nothing
    # (about 5 ms). It stays off until the window is painted; desktop.ui.app.run turns it on.
    gc.disable()
    from desktop.services.errors import StoreError, UserError

    try:
        from desktop.ui.app import run

        rc = run(path)
    except (UserError, StoreError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:  # the last resort: logged, one line
        fail_unexpectedly(exc, path, "cửa sổ")
    sys.exit(rc)
