"""Shared fixtures. Widget tests run offscreen; every test gets its own database file.

The suite runs in parallel (`make test`: pytest-xdist, `-n auto`): a test
owns its files (tmp_path), its environment (monkeypatch) and no module state another test
reads. The user's own data folder and KIEMTRA_* variables are kept out of every process
(`_private_environment`). A test that asserts wall time is marked `timing`: `make test` runs
those alone once the parallel run is over (xdist's loadgroup cannot pin them to one worker:
pytest 9 no longer reads the node id it rewrites).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if sys.platform == "win32":
    # Windows' offscreen platform looks for fonts in PySide6/lib/fonts (Qt ships none) and
    # warns, which qt_log_level_fail=WARNING turns into a failure: give it the fonts we ship.
    os.environ.setdefault(
        "QT_QPA_FONTDIR", str(Path(__file__).resolve().parents[1] / "resources" / "fonts")
    )

from db import Store  # noqa: E402
from desktop.cli import cli  # noqa: E402
from desktop.sync.audit_head import install as install_audit_signer  # noqa: E402

# As the command line and the window do: every store opened for writing signs its audit head.
install_audit_signer()


def pytest_configure(config: pytest.Config) -> None:
    if sys.platform == "win32":
        # Windows' offscreen window lacks propagateSizeHints (a no-op there); says so per window.
        config.addinivalue_line("qt_log_ignore", "This plugin does not support propagateSizeHints")
    config.addinivalue_line(
        "markers",
        "timing: asserts wall time; `make test` runs these alone, after the parallel run",
    )


@pytest.fixture(autouse=True, scope="session")
def _private_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads or writes the user's data folder, nor obeys the caller's KIEMTRA_DB /
    KIEMTRA_ACTOR: each process (each xdist worker) gets its own empty folders."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("KIEMTRA_DB", "KIEMTRA_ACTOR"):
            patch.delenv(name, raising=False)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            patch.setenv(name, str(home / name.lower()))
        yield


@pytest.fixture(autouse=True)
def _no_log_handler_left() -> Iterator[None]:
    """A test that sets up the program's log (desktop.services.applog) does not leave it
    writing into its tmp_path for the tests after it."""
    yield
    from desktop.services import applog

    applog.stop_logging()


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


# The `kiemtra` command as a separate process (what a user runs; killable, limitable).
KIEMTRA_COMMAND = [sys.executable, "-m", "desktop"]


def run_kiemtra(
    db_path: Path, *args: str, fsize: int | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`kiemtra --db DB ARGS` in its own process; `fsize`: writes past that many bytes fail
    with EFBIG in the child (a full disk without a full disk)."""

    def limit() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        assert fsize is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [*KIEMTRA_COMMAND, "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        preexec_fn=limit if fsize is not None else None,  # noqa: PLW1509 - no threads here
    )


def invoke(db_path: Path, *args: str) -> tuple[int, str]:
    """`kiemtra --db DB ARGS` in process: (exit code, stdout and stderr together)."""
    result = CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)
    return result.exit_code, result.output


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
