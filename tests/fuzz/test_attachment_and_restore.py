"""Hostile files for attaching evidence and for restoring a backup."""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db import Store
from desktop.services.attachments import add_attachment, path_of, sha256_of
from desktop.services.backup import restore
from desktop.services.demo import build_demo
from desktop.services.paths import data_dir_for
from tests.fuzz.hostile import (
    MB,
    MemoryWatch,
    attempt,
    cut,
    dump,
    dump_file,
    flip,
    is_vietnamese,
    refused,
    sparse_file,
    statements,
)

pytestmark = pytest.mark.fuzz

# -- attachments -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("attach")
    db_path = root / "data" / "kiemtra.sqlite"
    store = Store.open(db_path)
    plan_id = build_demo(store)
    inspection = store.planning.inspections(plan_id)[0]["id"]
    item = store.findings.item_id_for_code(inspection, "A1.1.1")
    yield {
        "root": root,
        "store": store,
        "data_dir": data_dir_for(db_path),
        "inspection": inspection,
        "item": item,
        "n": 0,
    }
    store.close()


def attach(desk: dict[str, Any], path: Path, max_mb: float | None = None) -> Any:
    store: Store = desk["store"]
    return attempt(
        lambda: add_attachment(
            store, desk["data_dir"], desk["inspection"], desk["item"], path, max_mb=max_mb
        ),
        lambda: dump(store),
    )


# Windows' file system refuses these characters, a trailing dot or space and device names: no
# user can have such a file to attach there.
WINDOWS = sys.platform == "win32"
WINDOWS_REFUSED = '<>:"\\|?*' + "".join(map(chr, range(1, 32))) if WINDOWS else ""
DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}


def _a_file_name(n: str) -> bool:
    if n in (".", "..") or len(n.encode("utf-8")) >= 200:
        return False
    return not WINDOWS or (
        not n.endswith((".", " ")) and n.split(".")[0].strip().upper() not in DEVICES
    )


names = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00" + WINDOWS_REFUSED),
    min_size=1,
    max_size=60,
).filter(_a_file_name)


@given(name=names, content=st.binary(max_size=2048), decompose=st.booleans())
def test_any_name_and_content_is_kept_exactly(
    desk: dict[str, Any], name: str, content: bytes, decompose: bool
) -> None:
    desk["n"] += 1
    folder = desk["root"] / f"src-{desk['n']}"
    folder.mkdir()
    if decompose:
        name = unicodedata.normalize("NFD", name)
    source = folder / name
    # Unique content: the same bytes already on this finding would give back the first row.
    content = f"{desk['n']}:".encode() + content
    source.write_bytes(content)
    result = attach(desk, source)
    assert not refused(result), result
    assert result["filename"] == unicodedata.normalize("NFC", name)
    stored = path_of(desk["data_dir"], result["sha256"])
    assert stored.read_bytes() == content and result["size"] == len(content)


@pytest.mark.skipif(WINDOWS, reason="FIFOs are POSIX; symlinks need a privilege on Windows")
def test_not_a_regular_file_is_refused(desk: dict[str, Any]) -> None:
    root: Path = desk["root"]
    fifo = root / "ong.fifo"
    os.mkfifo(fifo)  # reading it would block forever
    loop = root / "vong"
    loop.symlink_to(loop)
    dangling = root / "treo"
    dangling.symlink_to(root / "khong-co")
    for path in (root, fifo, loop, dangling, root / "khong-co.pdf", Path("/dev/zero")):
        result = attach(desk, path)
        assert refused(result), path


@pytest.mark.skipif(WINDOWS, reason="chmod 0 only sets read-only on Windows")
def test_unreadable_file_is_refused(desk: dict[str, Any]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = desk["root"] / "khoa.pdf"
    path.write_bytes(b"%PDF")
    path.chmod(0)
    assert refused(attach(desk, path))


def test_a_large_file_is_streamed(desk: dict[str, Any]) -> None:
    """Memory stays bounded whatever the size (here 300 MB, sparse on disk, under a limit
    raised for it: the default 50 MB refuses it at once)."""
    path = sparse_file(desk["root"] / "lon.bin", 300 * MB)
    assert refused(attach(desk, path))
    with MemoryWatch() as memory:
        result = attach(desk, path, max_mb=400)
    assert not refused(result)
    assert memory.peak < 20 * MB and memory.rss_growth < 100 * MB
    path_of(desk["data_dir"], result["sha256"]).unlink()


# -- restore -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def backup_world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("restore")
    db_path = root / "data" / "kiemtra.sqlite"
    store = Store.open(db_path)
    build_demo(store)
    good = store.backup(root / "good.sqlite")
    store.close()
    return {"root": root, "db_path": db_path, "good": good, "n": 0}


def kept(db_path: Path) -> list[str]:
    """The statements of a database but those of the search tables (derived, rebuilt)."""
    search = re.compile(r'(INSERT INTO "?|CREATE (VIRTUAL )?TABLE "?)search_')
    return [
        line
        for line in statements(db_path)
        if not search.match(line) and not ("sqlite_master" in line and "search_" in line)
    ]


def try_restore(world: dict[str, Any], source: Path) -> Any:
    """Restore `source`; if accepted, the oracle: the database in place is exactly `source`
    (read by SQLite statement for statement), and the safety copy is what was there before."""
    db_path: Path = world["db_path"]
    before = dump_file(db_path)
    result = attempt(lambda: restore(db_path, source), lambda: dump_file(db_path))
    if not refused(result):
        # Opening the restored database rebuilds the search index: compare the rest.
        assert kept(db_path) == kept(source), "restored otherwise than the file says"
        assert result is not None and dump_file(result) == before, "the safety copy differs"
    # Whatever happened, the database in place opens and answers.
    store = Store.open(db_path)
    try:
        store.planning.plans()
    finally:
        store.close()
    return result


def fresh(world: dict[str, Any]) -> Path:
    world["n"] += 1
    return world["root"] / f"case-{world['n']}.sqlite"


@settings(max_examples=max(4, settings().max_examples // 2))
@given(where=st.floats(0.01, 0.999))
def test_truncated_backup(backup_world: dict[str, Any], where: float) -> None:
    path = fresh(backup_world)
    path.write_bytes(cut(backup_world["good"].read_bytes(), where))
    assert refused(try_restore(backup_world, path))


@settings(max_examples=max(4, settings().max_examples // 2))
@given(data=st.binary(max_size=8192))
def test_random_bytes_backup(backup_world: dict[str, Any], data: bytes) -> None:
    path = fresh(backup_world)
    path.write_bytes(data)
    assert refused(try_restore(backup_world, path))


@settings(max_examples=max(4, settings().max_examples // 2))
@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), min_size=1, max_size=6))
def test_byte_flips_in_a_backup(backup_world: dict[str, Any], flips: list[Any]) -> None:
    path = fresh(backup_world)
    path.write_bytes(flip(backup_world["good"].read_bytes(), flips))
    try_restore(backup_world, path)


def _edited_copy(world: dict[str, Any], sql: str) -> Path:
    path = fresh(world)
    path.write_bytes(world["good"].read_bytes())
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return path


HOSTILE_DATABASES = {
    "another program's database": "DROP TABLE audit_log;",
    # Regression: accepted, swapped in, then every screen failed with "no such table".
    "a table missing": "DROP TABLE findings;",
    "from a newer version": (
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "SELECT migration_set, 'm999_future', applied_at FROM _sqlite_migrations LIMIT 1;"
    ),
    "a trigger that fires on every write": (
        "CREATE TRIGGER fuzz_trap AFTER INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'trap'); END;"
    ),
    "a view over a missing table": "CREATE VIEW fuzz_view AS SELECT * FROM khong_co;",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_DATABASES))
def test_hostile_database(backup_world: dict[str, Any], case: str) -> None:
    path = _edited_copy(backup_world, HOSTILE_DATABASES[case])
    result = try_restore(backup_world, path)
    assert refused(result)
    assert is_vietnamese(str(result))


def test_a_zip_or_a_folder_is_not_a_backup(backup_world: dict[str, Any]) -> None:
    from tests.fuzz.hostile import write_zip

    zipped = write_zip(fresh(backup_world), {"kiemtra.sqlite": backup_world["good"].read_bytes()})
    assert refused(try_restore(backup_world, zipped))
    assert refused(try_restore(backup_world, backup_world["root"]))
    empty = fresh(backup_world)
    empty.write_bytes(b"")
    assert refused(try_restore(backup_world, empty))


def test_the_sha_of_the_good_backup_is_stable(backup_world: dict[str, Any]) -> None:
    """The control: the untouched backup restores."""
    assert sha256_of(backup_world["good"])
    assert not refused(try_restore(backup_world, backup_world["good"]))
