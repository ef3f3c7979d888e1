"""A read-only view of the Store for the widgets (`StoreAdapter.reads`).

Widgets read through it and write only through the adapter's methods, which announce every
write. Which methods write is not written down by hand: `write_methods` reads the source of
the Store and of its repositories and finds the methods that open a transaction, run an
INSERT/UPDATE/DELETE or call another such method (on themselves or on a repository they were
given) — so a new write method in db/ is refused here without anybody remembering to list it.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from typing import Any

from db.database import Database

_SQL_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# sqlite-utils table methods that write (db[table].insert(...)).
_TABLE_WRITES = {"insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where"}


class StoreWriteRefused(AttributeError):
    """A widget asked the read-only view for a method that writes (a bug: use the adapter)."""


Call = tuple[str | None, str]  # (the repository attribute called through, or None; the method)


def _calls(node: ast.AST) -> tuple[set[Call], bool]:
    """The methods a function calls on `self` (`self.m()`) or on one of its repositories
    (`self.findings.m()`), and whether it writes by itself."""
    called: set[Call] = set()
    writes = False
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call) or not isinstance(sub.func, ast.Attribute):
            continue
        func = sub.func
        owner = func.value
        if func.attr == "transaction":  # the way in to every write, whoever opens it
            writes = True
        if isinstance(owner, ast.Name) and owner.id == "self":
            called.add((None, func.attr))
        elif (
            isinstance(owner, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "self"
        ):
            called.add((owner.attr, func.attr))
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


_CALLS: dict[tuple[type, str], tuple[frozenset[Call], bool]] = {}
_WRITERS: dict[tuple[type, str], bool] = {}


def _method_calls(owner_type: type, name: str) -> tuple[frozenset[Call], bool]:
    """What one method calls, and whether it writes by itself (parsed once)."""
    key = (owner_type, name)
    if key not in _CALLS:
        member = inspect.getattr_static(owner_type, name, None)
        info: tuple[frozenset[Call], bool] = (frozenset(), False)
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


def is_repository(value: object) -> bool:
    """True for the Store and the repositories it is made of (classes of db.store)."""
    return type(value).__module__.startswith("db.store")


def is_write_method(owner: object, name: str) -> bool:
    """True when the method `name` of `owner` (the Store or one of its repositories) writes:
    it opens a transaction, runs an INSERT/UPDATE/DELETE, or calls such a method on itself
    or on a repository it was given. Only the methods asked about are parsed (a widget's
    first reads cost a few milliseconds, not the whole store's source)."""
    if name == "transaction":
        return True
    key = (type(owner), name)
    if key not in _WRITERS:
        _WRITERS[key] = False  # a cycle of calls adds nothing
        seen: set[tuple[int, str]] = set()
        todo: list[tuple[object, str]] = [(owner, name)]
        found = False
        while todo and not found:
            target, method = todo.pop()
            if (id(target), method) in seen:
                continue
            seen.add((id(target), method))
            called, writes = _method_calls(type(target), method)
            found = writes
            for attr, callee in called:
                through = target if attr is None else getattr(target, attr, None)
                if attr is None or is_repository(through):
                    todo.append((through, callee))
        _WRITERS[key] = found
    return _WRITERS[key]


def write_methods(store: object) -> frozenset[str]:
    """Every public method that writes, of the Store and of each repository it owns, by
    dotted name ("findings.set_finding"); see `is_write_method`."""
    found: set[str] = set()
    visited: set[int] = set()
    todo: list[tuple[object, str]] = [(store, "")]
    while todo:
        owner, prefix = todo.pop(0)
        if id(owner) in visited:
            continue
        visited.add(id(owner))
        names = {
            name
            for cls in type(owner).__mro__
            if cls is not object
            for name, member in vars(cls).items()
            if inspect.isfunction(member) and not name.startswith("_")
        }
        found.update(prefix + n for n in names if is_write_method(owner, n))
        for attr, value in vars(owner).items():
            if not attr.startswith("_") and is_repository(value):
                todo.append((value, f"{prefix}{attr}."))
    return frozenset(found | {"transaction"})


class ReadOnlyStore:
    """Passes reads to the Store; refuses its write methods (StoreWriteRefused)."""

    __slots__ = ("_store",)

    def __init__(self, store: Any) -> None:
        object.__setattr__(self, "_store", store)

    def __getattr__(self, name: str) -> Any:
        if is_write_method(self._store, name):
            raise StoreWriteRefused(
                f"{name}: widgets write through the StoreAdapter, not the store"
            )
        value = getattr(self._store, name)
        if isinstance(value, Database):
            raise StoreWriteRefused(f"{name}: widgets never reach the database itself")
        if is_repository(value):
            return ReadOnlyStore(value)  # store.findings: read-only too
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise StoreWriteRefused(f"{name}: the read-only store view cannot be changed")
