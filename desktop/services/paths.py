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


def unprotected_note(
    db_path: Path, *, platform: str = sys.platform, home: Path | None = None
) -> str | None:
    """One Vietnamese line when the database lies outside the user's profile on Windows, else
    None. There chmod 0600 only sets read-only: the database, its keys and attachments are
    private only through the folder's access list (ACL), which a profile has and C:\\Dữ liệu
    or a USB stick usually does not."""
    if platform != "win32":
        return None
    folder = os.path.normcase(os.path.abspath(Path(db_path).parent))
    profile = os.path.normcase(os.path.abspath(home if home is not None else Path.home()))
    try:
        inside = os.path.commonpath([folder, profile]) == profile
    except ValueError:  # another drive
        inside = False
    if inside:
        return None
    return (
        f"Lưu ý: {Path(db_path).parent} nằm ngoài thư mục người dùng; trên Windows quyền 0600 "
        "không bảo vệ cơ sở dữ liệu, khóa và tệp đính kèm — chỉ quyền truy cập của thư mục đó."
    )
