"""Hybrid logical clock stamps: comparable strings that order every change across devices."""

from __future__ import annotations

import time


def _wall_ms() -> int:
    return int(time.time() * 1000)


def parse(stamp: str) -> tuple[int, int, str]:
    """Split a stamp "wall.counter.device" into its parts."""
    wall, counter, device = stamp.split(".", 2)
    return int(wall), int(counter), device


class HybridClock:
    """Issues stamps that never go backwards, even when the wall clock does.

    A stamp is "<13-digit ms>.<5-digit counter>.<device id>", so plain string
    comparison orders stamps, and the device id breaks ties deterministically.
    """

    def __init__(self, device_id: str, last: str | None = None) -> None:
        self.device_id = device_id
        self._wall = 0
        self._counter = 0
        if last:
            self.observe(last)

    def now(self) -> str:
        """A new stamp later than every stamp issued or observed so far."""
        wall = _wall_ms()
        if wall > self._wall:
            self._wall, self._counter = wall, 0
        else:
            self._counter += 1
        return f"{self._wall:013d}.{self._counter:05d}.{self.device_id}"

    def observe(self, stamp: str) -> None:
        """Move the clock past a stamp seen from another device."""
        wall, counter, _ = parse(stamp)
        if (wall, counter) > (self._wall, self._counter):
            self._wall, self._counter = wall, counter
