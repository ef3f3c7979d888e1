"""Where things are: the shipped resources and the user's data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "kiemtra-cchc"


def resources_root() -> Path:
    """resources/ from a source checkout, an installed package, or the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    """A file shipped in resources/, e.g. resource("fonts", "LiberationSerif-Regular.ttf")."""
    return resources_root().joinpath(*parts)


def default_data_dir() -> Path:
    """The user's own data folder (never used by the demo or the tests)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    env = os.environ.get("KIEMTRA_DB")
    if env:
        return Path(env)
    return default_data_dir() / "kiemtra.sqlite"


def data_dir_for(db_path: Path) -> Path:
    """Attachments and keys live beside the database they belong to."""
    return db_path.resolve().parent
