"""Hybrid logical clock stamps: comparable strings that order every change across devices.

A stamp is "<13-digit ms>.<5-digit counter>.<device id>". Both numbers have a FIXED width, so
plain string comparison (SQLite's max(hlc), Python's sorted) orders stamps as numbers. The
width is a bound the clock keeps: the counter never goes past 99999 (the wall part advances
instead), and a package whose stamps run more than a day ahead of the receiver's clock is
refused (desktop/sync/importer.py), so no stamp can push a clock to the edge of its width.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

WALL_DIGITS, COUNTER_DIGITS = 13, 5
MAX_WALL = 10**WALL_DIGITS - 1  # in ms: the year 2286
MAX_COUNTER = 10**COUNTER_DIGITS - 1
DAY_MS = 24 * 60 * 60 * 1000
# Exactly the fixed widths: a six-digit counter would sort below a five-digit one as text.
STAMP = re.compile(r"^\d{13}\.\d{5}\.[0-9A-Za-z_\-]{1,100}$")


def _wall_ms() -> int:
    return int(time.time() * 1000)


def parse(stamp: str) -> tuple[int, int, str]:
    """Split a stamp "wall.counter.device" into its parts."""
    wall, counter, device = stamp.split(".", 2)
    return int(wall), int(counter), device


def format_stamp(wall: int, counter: int, device_id: str) -> str:
    """The stamp of (wall, counter) on a device, at the fixed widths."""
    assert 0 <= wall <= MAX_WALL and 0 <= counter <= MAX_COUNTER, (wall, counter)
    return f"{wall:0{WALL_DIGITS}d}.{counter:0{COUNTER_DIGITS}d}.{device_id}"


class HybridClock:
    """Issues stamps that never go backwards, even when the wall clock does.

    Plain string comparison orders stamps (fixed widths), and the device id breaks ties
    deterministically. `wall_ms` is the wall clock read (milliseconds since the epoch); the
    import compares incoming stamps with it.
    """

    def __init__(
        self, device_id: str, last: str | None = None, wall: Callable[[], int] = _wall_ms
    ) -> None:
        self.device_id = device_id
        self.wall_ms = wall
        self._wall = 0
        self._counter = 0
        if last:
            self.observe(last)

    def now(self) -> str:
        """A new stamp later than every stamp issued or observed so far."""
        wall = self.wall_ms()
        if wall > self._wall:
            self._wall, self._counter = wall, 0
        elif self._counter < MAX_COUNTER:
            self._counter += 1
        else:
            # The counter is full: the next millisecond, which sorts above every stamp of
            # this one (a sixth digit would sort below them as text and reuse old stamps).
            self._wall, self._counter = self._wall + 1, 0
        return format_stamp(self._wall, self._counter, self.device_id)

    def observe(self, stamp: str) -> None:
        """Move the clock past a stamp seen from another device."""
        wall, counter, _ = parse(stamp)
        if counter > MAX_COUNTER:
            # A stamp written before the width was kept (a database from an older version):
            # the next millisecond is above it whichever way it is compared.
            wall, counter = wall + 1, 0
        if (wall, counter) > (self._wall, self._counter):
            self._wall, self._counter = wall, counter
