"""A read-only view of the Store for the widgets (`StoreAdapter.reads`).

Widgets read through it and write only through the adapter's methods, which announce every
write. Which Store methods write is not written down by hand: `write_methods` reads the
store's source and finds the methods that open a transaction, run an INSERT/UPDATE/DELETE or
call another such method — so a new write method in db/ is refused here without anybody
remembering to list it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

_SQL_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# sqlite-utils table methods that write (db[table].insert(...)).
_TABLE_WRITES = {"insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where"}


class StoreWriteRefused(AttributeError):
    """A widget asked the read-only view for a method that writes (a bug: use the adapter)."""


def _calls(node: ast.AST) -> tuple[set[str], bool]:
    """The `self.x(...)` methods a function calls, and whether it writes by itself."""
    called: set[str] = set()
    writes = False
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call) or not isinstance(sub.func, ast.Attribute):
            continue
        func = sub.func
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "self":
            called.add(func.attr)
            if func.attr == "transaction":
                writes = True
        if func.attr in ("execute", "executemany", "executescript") and sub.args:
            first = sub.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value.lstrip().upper().startswith(_SQL_WRITES):
                    writes = True
            elif isinstance(first, ast.JoinedStr) and first.values:
                head = first.values[0]
                if isinstance(head, ast.Constant) and str(head.value).lstrip().upper().startswith(
                    _SQL_WRITES
                ):
                    writes = True
        if func.attr in _TABLE_WRITES and isinstance(owner, ast.Subscript):
            writes = True
    return called, writes


_WRITE_METHODS: dict[type, frozenset[str]] = {}


def write_methods(store_type: type) -> frozenset[str]:
    """The public methods of `store_type` that write to the database (see the module doc);
    read once per type (parsing the store's source takes a tenth of a second)."""
    known = _WRITE_METHODS.get(store_type)
    if known is None:
        known = _WRITE_METHODS[store_type] = _find_write_methods(store_type)
    return known


def _find_write_methods(store_type: type) -> frozenset[str]:
    calls: dict[str, set[str]] = {}
    writers: set[str] = set()
    for cls in reversed(store_type.__mro__):
        if cls is object:
            continue
        for name, member in vars(cls).items():
            if not inspect.isfunction(member):
                continue
            try:
                source = textwrap.dedent(inspect.getsource(member))
            except (OSError, TypeError):
                continue
            called, writes = _calls(ast.parse(source))
            calls[name] = called
            if writes:
                writers.add(name)
    changed = True
    while changed:  # a method calling a writer writes
        changed = False
        for name, called in calls.items():
            if name not in writers and called & writers:
                writers.add(name)
                changed = True
    # transaction() itself is the way in to every write.
    return frozenset(n for n in writers | {"transaction"} if not n.startswith("_"))


class ReadOnlyStore:
    """Passes reads to the Store; refuses its write methods (StoreWriteRefused)."""

    __slots__ = ("_store", "_refused")

    def __init__(self, store: Any) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_refused", write_methods(type(store)))

    def __getattr__(self, name: str) -> Any:
        if name in self._refused:
            raise StoreWriteRefused(
                f"{name}: widgets write through the StoreAdapter, not the store"
            )
        return getattr(self._store, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise StoreWriteRefused(f"{name}: the read-only store view cannot be changed")
