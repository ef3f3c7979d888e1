"""The benchmark registry and the timing helpers."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One benchmark's result: our time, the baseline's, and the ratio allowed."""

    name: str
    measured: float
    baseline: float
    target: float
    sizes: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline if self.baseline > 0 else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio <= self.target


BENCHMARKS: list[Callable[[], Outcome]] = []


def benchmark(fn: Callable[[], Outcome]) -> Callable[[], Outcome]:
    """Register a benchmark function returning an Outcome."""
    BENCHMARKS.append(fn)
    return fn


def best_of(
    fn: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None
) -> float:
    """The median of `repeat` timings of fn() (after optional setup each time), in seconds."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
