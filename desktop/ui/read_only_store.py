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


_CALLS: dict[tuple[type, str], tuple[frozenset[str], bool]] = {}
_WRITERS: dict[tuple[type, str], bool] = {}


def _method_calls(store_type: type, name: str) -> tuple[frozenset[str], bool]:
    """What one method calls on self, and whether it writes by itself (parsed once)."""
    key = (store_type, name)
    if key not in _CALLS:
        member = inspect.getattr_static(store_type, name, None)
        info: tuple[frozenset[str], bool] = (frozenset(), False)
        if inspect.isfunction(member):
            try:
                source = textwrap.dedent(inspect.getsource(member))
            except (OSError, TypeError):
                source = ""
            if source:
                called, writes = _calls(ast.parse(source))
                info = (frozenset(called), writes)
        _CALLS[key] = info
    return _CALLS[key]


def is_write_method(store_type: type, name: str) -> bool:
    """True when the method `name` of `store_type` writes: it opens a transaction, runs an
    INSERT/UPDATE/DELETE or calls such a method. Only the methods asked about are parsed
    (a widget's first reads cost a few milliseconds, not the whole store's source)."""
    if name == "transaction":  # the way in to every write
        return True
    key = (store_type, name)
    if key not in _WRITERS:
        _WRITERS[key] = False  # a cycle of calls adds nothing
        seen: set[str] = set()
        todo = [name]
        found = False
        while todo and not found:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            called, writes = _method_calls(store_type, current)
            found = writes or "transaction" in called
            todo.extend(called - seen)
        _WRITERS[key] = found
    return _WRITERS[key]


def write_methods(store_type: type) -> frozenset[str]:
    """Every public method of `store_type` that writes (see `is_write_method`)."""
    names = {
        name
        for cls in store_type.__mro__
        if cls is not object
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_")
    }
    return frozenset(n for n in names | {"transaction"} if is_write_method(store_type, n))


class ReadOnlyStore:
    """Passes reads to the Store; refuses its write methods (StoreWriteRefused)."""

    __slots__ = ("_store",)

    def __init__(self, store: Any) -> None:
        object.__setattr__(self, "_store", store)

    def __getattr__(self, name: str) -> Any:
        if is_write_method(type(self._store), name):
            raise StoreWriteRefused(
                f"{name}: widgets write through the StoreAdapter, not the store"
            )
        return getattr(self._store, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise StoreWriteRefused(f"{name}: the read-only store view cannot be changed")
