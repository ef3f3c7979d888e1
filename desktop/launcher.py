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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script `kiemtra`."""
    args = sys.argv[1:] if argv is None else list(argv)
    path = window_database(args)
    if path is None:
        from desktop.cli import main as cli_main

        cli_main(args)
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
    sys.exit(rc)
