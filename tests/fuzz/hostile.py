"""Hostile files and the check every entry point must pass on them.

The rule: a file either goes in whole, or is refused with a clear error (UserError or
StoreError, a message in Vietnamese) and the database is byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
import io
import struct
import sys
import tracemalloc
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from db import Store
from db.connection import StoreError
from desktop.services.errors import UserError

GB = 1 << 30
MB = 1 << 20

FORMULAS = [
    '=HYPERLINK("http://example.invalid/x","Bấm vào đây")',
    "=1+1",
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '=WEBSERVICE("http://example.invalid")',
]


def dump(store: Store) -> str:
    """The digest of every statement of the database: equal dumps, nothing written.

    A digest, not the text: the memory tests take it inside their watch, and the text of a
    database that earlier cases grew would count against the import being measured.
    """
    return _digest(store.db.conn.iterdump())


def dump_file(db_path: Path) -> str:
    """`dump` of the database file at `db_path`."""
    return _digest(statements(db_path))


def statements(db_path: Path) -> Iterator[str]:
    """Every statement of the database file at `db_path`, one by one."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        yield from conn.iterdump()
    finally:
        conn.close()


def _digest(lines: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def is_vietnamese(message: str) -> bool:
    """A message for people: non-empty, NFC, with Vietnamese letters, no traceback."""
    return (
        bool(message.strip())
        and unicodedata.is_normalized("NFC", message)
        and any(ch in message for ch in "ảạàáãăâđêếệôơưỏọ")
        and "Traceback" not in message
    )


def attempt(call: Callable[[], Any], before: Callable[[], str]) -> Any:
    """Run an import: its result on success; on refusal, check the error and the database.

    `before` returns the full dump; it is taken before and compared after a refusal.
    Any exception other than UserError/StoreError fails the test (it is re-raised).
    """
    snapshot = before()
    try:
        return call()
    except (UserError, StoreError) as exc:
        assert is_vietnamese(str(exc)), repr(str(exc))
        assert before() == snapshot, "a refused file changed the database"
        return exc


def refused(result: Any) -> bool:
    return isinstance(result, UserError | StoreError)


def peak_rss() -> int:
    """The process's peak resident memory in bytes: ru_maxrss on POSIX (`resource` does not
    exist on Windows), the peak working set there."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):  # PROCESS_MEMORY_COUNTERS
            _fields_ = [("cb", wintypes.DWORD), ("faults", wintypes.DWORD)] + [
                (name, ctypes.c_size_t)
                for name in ("peak", "now", "qpp", "qp", "qpn", "qn", "pf", "peak_pf")
            ]

        counters = Counters(cb=ctypes.sizeof(Counters))
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.GetCurrentProcess.restype = wintypes.HANDLE
        process = kernel32.GetCurrentProcess()
        assert kernel32.K32GetProcessMemoryInfo(
            wintypes.HANDLE(process), ctypes.byref(counters), counters.cb
        )
        return int(counters.peak)
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class MemoryWatch:
    """Peak Python allocations (tracemalloc) and the growth of the process's peak RSS."""

    def __enter__(self) -> MemoryWatch:
        tracemalloc.start()
        self.rss_before = peak_rss()
        return self

    def __exit__(self, *exc: object) -> None:
        _, self.peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self.rss_growth = peak_rss() - self.rss_before


# -- zips --------------------------------------------------------------------------------------


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(
    path: Path,
    members: Iterable[tuple[str, bytes]] | dict[str, bytes],
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    items = members.items() if isinstance(members, dict) else members
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return path


def replace_member(source: Path, target: Path, name: str, data: bytes) -> Path:
    members = read_members(source)
    members[name] = data
    return write_zip(target, members)


def add_bomb_member(
    path: Path, name: str, size: int = GB, members: dict[str, bytes] | None = None
) -> Path:
    """A zip whose member `name` inflates to `size` zeros, streamed (never `size` on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for other, data in (members or {}).items():
            if other != name:
                zf.writestr(other, data)
        info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        chunk = bytes(4 * MB)
        with zf.open(info, "w", force_zip64=True) as out:
            for _ in range(size // len(chunk)):
                out.write(chunk)
    return path


def lie_about_size(path: Path, name: str, declared: int) -> Path:
    """Patch the central directory (and local header) so `name` claims `declared` bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(name)
    # Local file header: uncompressed size at offset 22.
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # Central directory entry: find it by its signature and name.
    encoded = name.encode("utf-8")
    at = data.find(b"PK\x01\x02", info.header_offset)
    while at != -1:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, at + 24, declared)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def billion_laughs(levels: int = 9, fan: int = 10) -> bytes:
    """The DTD of the classic entity expansion (&lol{levels}; is fan**levels "lol"s)."""
    entities = [b'<!ENTITY lol0 "lol">']
    for level in range(1, levels + 1):
        entities.append(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1)) * fan))
    return b'<?xml version="1.0"?>\n<!DOCTYPE lolz [' + b"".join(entities) + b"]>\n"


def flip(data: bytes, flips: Iterable[tuple[float, int]]) -> bytes:
    """`data` with the byte at each relative position XOR-ed with a non-zero mask."""
    out = bytearray(data)
    for where, mask in flips:
        index = min(int(where * len(out)), len(out) - 1)
        out[index] ^= mask or 1
    return bytes(out)


def cut(data: bytes, where: float) -> bytes:
    return data[: int(where * len(data))]


def sparse_file(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)
