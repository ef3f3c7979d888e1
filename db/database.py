"""The open database as the store uses it: sqlite3 for reads, sqlite-utils for the rest.

`execute` and `query` go straight to the sqlite3 connection and give what sqlite-utils' own
`execute` and `query` give (a cursor; dicts keyed by column, duplicate names made unique the
same way). `transaction()` is the one transaction of the store: `atomic()` (one flat
transaction, see its docstring) whose SQLite errors come out as db.errors' StoreErrors.
Everything else —
`table_names()`, `db["table"]`, the migrations — is sqlite-utils', reached through `utils`,
which is built on first use.

Why: importing sqlite-utils brings click, dateutil and pluggy with it, about 55 ms, a fifth of
the window's start-up (issue 8), and neither showing the window nor recording needs it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from db.errors import store_error

if TYPE_CHECKING:
    import sqlite_utils

Params = Sequence[Any] | dict[str, Any] | None


class TransactionAbortedError(RuntimeError):
    """An inner write failed, its error was swallowed, so the transaction was rolled back."""


class Database:
    """A sqlite3 connection opened in autocommit mode (`isolation_level=None`)."""

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.conn = conn
        self.read_only = read_only  # opened read-only on purpose: every write is refused
        self._utils: sqlite_utils.Database | None = None
        self._depth = 0  # how many atomic() blocks are open
        self._aborted = False  # an inner block failed: the transaction must not commit

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
            # rare: "id", "id_2", … as sqlite-utils (which does not re-export the helper)
            from sqlite_utils.db import dedupe_keys  # type: ignore[attr-defined]  # not in its __all__

            keys = dedupe_keys(keys)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One user action = one transaction (a block inside another joins it, see `atomic`).

        What the environment does to SQLite (busy, full, read-only, I/O error, damaged file)
        comes out as the matching StoreError with a Vietnamese message (db.errors.store_error),
        translated once, where it happened: an outer block lets a StoreError through as it is.
        Anything else (a constraint, a bug) goes up unchanged.
        """
        try:
            with self.atomic():
                yield
        except sqlite3.Error as exc:
            mapped = store_error(exc, read_only=self.read_only)
            if mapped is None:
                raise
            raise mapped from exc

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; a block inside another joins it (no savepoint).

        All or nothing, whatever the nesting: a failing inner block's exception rolls the
        whole transaction back as it goes up. Should a caller catch it and carry on, the
        outermost block rolls everything back when it ends and raises
        TransactionAbortedError — never a commit of half an action. (Savepoints per nested
        block, as sqlite-utils' atomic() makes, cost ~100 µs of a 600 µs finding save.)
        """
        conn = self.conn
        if self._depth:
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._aborted = True
                raise
            finally:
                self._depth -= 1
            return
        conn.execute("BEGIN")
        self._depth, self._aborted = 1, False
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
        if self._aborted:
            self._rollback()
            raise TransactionAbortedError(
                "a write inside this transaction failed and its error was caught; "
                "everything was rolled back"
            )
        try:
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        # The error may have ended the transaction already (RAISE(ROLLBACK), a full disk).
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def __getitem__(self, name: str) -> Any:
        return self.utils[name]

    def __getattr__(self, name: str) -> Any:
        # Only reached for what this class does not define: the rest of sqlite-utils' API.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.utils, name)
