"""Every part of desktop/ outside desktop/ui is covered by a Qt-free import-linter contract."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_desktop_package_is_under_a_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    qt_free = next(c for c in contracts if c["name"] == "only desktop.ui imports Qt")
    covered = set(qt_free["source_modules"])
    parts = {
        f"desktop.{p.stem}" if p.is_file() else f"desktop.{p.name}"
        for p in (ROOT / "desktop").iterdir()
        if (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
        and p.name not in ("__init__.py", "__main__.py", "ui")
    }
    assert parts <= covered, f"not covered by a contract: {sorted(parts - covered)}"
