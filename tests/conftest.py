"""Shared fixtures. Widget tests run offscreen; every test gets its own database file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from db import Store  # noqa: E402
from desktop.cli import cli  # noqa: E402


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiemtra.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def demo_store(store: Store) -> Store:
    from desktop.services.demo import build_demo

    # Without the demo's recommendations: tests count the ones they add themselves.
    build_demo(store, recommendations=False)
    return store


class Kiemtra:
    """Runs the `kiemtra` command line against one database, in process."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> Result:
        result = self.runner.invoke(
            cli, ["--db", str(self.db_path), *args], catch_exceptions=False, standalone_mode=True
        )
        if ok:
            assert result.exit_code == 0, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def kiemtra(db_path: Path) -> Kiemtra:
    return Kiemtra(db_path)
