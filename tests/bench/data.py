"""Databases the benchmarks share: generated once per run in a temporary folder."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from db import Store
from desktop.services.demo import build_scale_demo

_ROOT: Path | None = None
_BUILT: dict[tuple[int, int, int], tuple[Path, dict[str, int]]] = {}


def workdir() -> Path:
    """A temporary folder removed when the run ends."""
    global _ROOT
    if _ROOT is None:
        _ROOT = Path(tempfile.mkdtemp(prefix="kiemtra-bench-"))
        atexit.register(shutil.rmtree, _ROOT, True)
    return _ROOT


def scale_db(units: int, years: int, seed: int = 1) -> tuple[Path, dict[str, int]]:
    """`kiemtra demo --units N --years Y --seed S`, built once; (path, row counts).

    The store is closed again, so that a benchmark subprocess can open the file.
    """
    key = (units, years, seed)
    if key not in _BUILT:
        path = workdir() / f"tinh-{units}x{years}-{seed}" / "kiemtra.sqlite"
        store = Store.open(path)
        try:
            counts = build_scale_demo(store, units=units, years=years, seed=seed)
        finally:
            store.close()
        _BUILT[key] = (path, counts)
    return _BUILT[key]


def latest_plan(store: Store) -> dict:
    return max(store.planning.plans(), key=lambda p: p["year"])
