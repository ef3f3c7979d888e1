"""Stamps keep their fixed width: the counter never outgrows it, a package cannot push a clock
past it (finding 1 of issue 15: one version stamped 9999999999999.99999 made the next edits
reuse old stamps, and laptops disagreed forever)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from db import Store
from db.hlc import DAY_MS, MAX_COUNTER, STAMP, HybridClock, format_stamp
from desktop.services.demo import build_demo
from tests.sync.helpers import Laptop, full_dump, rebuild, rows_of, set_rows


def test_the_counter_never_outgrows_its_width() -> None:
    wall = 1_700_000_000_000
    clock = HybridClock("may", wall=lambda: wall)  # a wall clock that stands still
    clock.observe(format_stamp(wall, MAX_COUNTER - 2, "khac"))
    stamps = [clock.now() for _ in range(5)]
    assert all(STAMP.match(s) for s in stamps), stamps
    # Issued in order, and ordered as text the same way.
    assert stamps == sorted(stamps) and len(set(stamps)) == 5
    assert stamps[1] == format_stamp(wall, MAX_COUNTER, "may")
    assert stamps[2] == format_stamp(wall + 1, 0, "may")  # the wall part advances instead


def test_a_legacy_six_digit_counter_is_left_behind() -> None:
    """A database written before the width was kept: the clock moves above its stamp."""
    clock = HybridClock("may", "1700000000000.100000.khac", wall=lambda: 1_600_000_000_000)
    stamp = clock.now()
    assert STAMP.match(stamp)
    assert stamp > "1700000000000.99999.khac" and stamp > "1700000000000.100000.khac"


def test_the_stamp_pattern_takes_exactly_the_fixed_width() -> None:
    assert STAMP.match("1700000000000.00001.abc")
    for bad in (
        "1700000000000.100000.abc",
        "1700000000000.0001.abc",
        "170000000000.00001.abc",
        "17000000000000.00001.abc",
    ):
        assert not STAMP.match(bad), bad


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[dict[str, Any]]:
    sender = Laptop(tmp_path, "may-1")
    build_demo(sender.store)
    good = tmp_path / "good.kiemtra"
    sender.cli("sync", "export", "-o", str(good), "--full")
    receiver = Laptop(tmp_path, "thu-ky")
    receiver.cli("device", "trust", sender.info()["fingerprint"], "--name", "may-1")
    yield {"tmp": tmp_path, "sender": sender, "receiver": receiver, "good": good}
    sender.close()
    receiver.close()


def _one_version_stamped(world: dict[str, Any], name: str, wall: int, counter: int) -> Path:
    """The good package with one finding edited again under a stamp at (wall, counter), as
    a laptop whose clock runs ahead (or a forger with its key) would make it."""
    sender: Laptop = world["sender"]
    device = sender.store.device_id

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "findings")
        first = rows[0]
        stamp = f"{wall:013d}.{counter:05d}.{device}"
        rows[0] = {**first, "note": "Sửa từ tương lai", "hlc": stamp, "base_hlc": first["hlc"]}
        set_rows(members, "findings", rows)

    return rebuild(world["good"], world["tmp"] / f"{name}.kiemtra", sender, mutate)


def _refused(laptop: Laptop, path: Path) -> str:
    before = full_dump(laptop.db_path)
    result = laptop.cli("sync", "import", str(path), ok=False)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("Lỗi: "), result
    assert full_dump(laptop.db_path) == before
    return lines[0]


def test_a_stamp_far_ahead_is_refused_naming_the_device_and_its_date(
    pair: dict[str, Any],
) -> None:
    """The finding as reported: 9999999999999.99999.<device> would push the counter to six
    digits. Now the whole package is refused and the database is unchanged."""
    receiver: Laptop = pair["receiver"]
    path = _one_version_stamped(pair, "future", 9_999_999_999_999, 99_999)
    message = _refused(receiver, path)
    assert "may-1" in message and "2286" in message and "một ngày" in message


def test_a_day_ahead_is_the_bound(pair: dict[str, Any]) -> None:
    receiver: Laptop = pair["receiver"]
    now = int(dt.datetime.now().timestamp() * 1000)
    ahead = _one_version_stamped(pair, "two-days", now + 2 * DAY_MS, 0)
    shown = dt.datetime.fromtimestamp((now + 2 * DAY_MS) / 1000).strftime("%d/%m/%Y")
    assert shown in _refused(receiver, ahead)
    # A clock an hour ahead is ordinary: the package goes in, and this laptop's next edits
    # are stamped after it (five-digit counter, sorting above the imported version).
    close = _one_version_stamped(pair, "an-hour", now + 3_600_000, MAX_COUNTER)
    result = receiver.cli.json("sync", "import", str(close))
    assert result["inserted"] > 100
    receiver.reopen()
    store: Store = receiver.store
    insp = store.planning.inspections()[0]["id"]
    item = store.findings.inspection_items(insp)[0]["item_id"]
    row = store.findings.set_finding(insp, item, {"note": "Sửa ở máy thư ký"})
    top = store.db.execute("SELECT max(hlc) FROM findings").fetchone()[0]
    assert STAMP.match(row["hlc"]) and row["hlc"] == top


def test_a_six_digit_counter_is_refused(pair: dict[str, Any]) -> None:
    now = int(dt.datetime.now().timestamp() * 1000)
    sender: Laptop = pair["sender"]

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "findings")
        rows[0] = {**rows[0], "hlc": f"{now:013d}.100000.{sender.store.device_id}"}
        set_rows(members, "findings", rows)

    path = rebuild(pair["good"], pair["tmp"] / "wide.kiemtra", sender, mutate)
    assert "dấu thời gian" in _refused(pair["receiver"], path)


@pytest.mark.parametrize("where", ["base_hlc", "history"])
def test_a_far_stamp_anywhere_in_the_package_is_refused(pair: dict[str, Any], where: str) -> None:
    """Not only a row's own stamp: the version it was edited from, or a line of the history
    (versions.jsonl), would move the clock the same way."""
    import json

    from desktop.sync import package as pkg

    sender: Laptop = pair["sender"]
    far = f"9999999999999.00000.{sender.store.device_id}"

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        if where == "base_hlc":
            rows = rows_of(members, "units")
            rows[0] = {**rows[0], "base_hlc": far}
            set_rows(members, "units", rows)
        else:
            edges = [json.loads(line) for line in members[pkg.VERSIONS].splitlines()]
            edges.append([edges[0][0], edges[0][1], far, edges[0][2]])
            members[pkg.VERSIONS] = pkg.jsonl(edges)

    path = rebuild(pair["good"], pair["tmp"] / f"far-{where}.kiemtra", sender, mutate)
    message = _refused(pair["receiver"], path)
    assert "may-1" in message and "2286" in message
