"""The open database as the store uses it: sqlite3 for reads, sqlite-utils for the rest.

`execute` and `query` go straight to the sqlite3 connection and give what sqlite-utils' own
`execute` and `query` give (a cursor; dicts keyed by column, duplicate names made unique the
same way). Everything else — `atomic()` transactions, `table_names()`, `db["table"]`, the
migrations — is sqlite-utils', reached through `utils`, which is built on first use.

Why: importing sqlite-utils brings click, dateutil and pluggy with it, about 55 ms, a fifth of
the window's start-up (issue 8), and showing the window only reads. The first write, or the
idle moment after the window's first paint, loads it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

Params = Sequence[Any] | dict[str, Any] | None


class Database:
    """A sqlite3 connection opened in autocommit mode (`isolation_level=None`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None

    @property
    def utils(self) -> sqlite_utils.Database:
        """The sqlite-utils Database over the same connection (imported on first use)."""
        if self._utils is None:
            import sqlite_utils

            # No sqlite-utils plugins: what another package installed must not change our
            # connection, and looking for them scans every installed distribution.
            # recursive_triggers is already on (db.connection.connect), as sqlite-utils sets it.
            self._utils = sqlite_utils.Database(
                self.conn, execute_plugins=False, recursive_triggers=False
            )
        return self._utils

    @property
    def utils_loaded(self) -> bool:
        return self._utils is not None

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """Run one statement; the cursor. A write commits at once unless inside `atomic()`."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Run a statement that returns rows; the rows as dicts, fetched lazily.

        Raises ValueError for a statement that returns no rows (as sqlite-utils does).
        """
        cursor = self.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() can only be used with SQL that returns rows")
        keys = [d[0] for d in cursor.description]
        if len(set(keys)) != len(keys):
            from sqlite_utils.db import dedupe_keys  # rare: "id", "id_2", … as sqlite-utils

            keys = dedupe_keys(keys)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    def atomic(self) -> Any:
        """A transaction (a savepoint when nested): sqlite-utils' `atomic()`."""
        return self.utils.atomic()

    def __getitem__(self, name: str) -> Any:
        return self.utils[name]

    def __getattr__(self, name: str) -> Any:
        # Only reached for what this class does not define: the rest of sqlite-utils' API.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.utils, name)
