"""One file-mode policy (issue 16), checked at every writer through the command line: what
leaves the laptop on purpose (documents, encrypted packages) follows the umask; what holds
everything in clear (unencrypted packages, backups, keys, the database) is private, 0600."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from db import Store, files
from desktop.services.paths import data_dir_for
from tests.conftest import Kiemtra

PRIVATE = 0o600


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def world(demo_store: Store, db_path: Path, kiemtra: Kiemtra) -> dict[str, str]:
    from tests.test_followup import add_rec

    plan = demo_store.planning.plans()[0]["id"]
    inspection = demo_store.planning.inspections(plan)[0]["id"]
    import datetime as dt

    add_rec(demo_store, inspection, 99, "Quá hạn", dt.date(2021, 1, 1))
    return {"plan": plan, "inspection": inspection}


def test_documents_follow_the_umask(world: dict[str, str], kiemtra: Kiemtra, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    insp, plan = world["inspection"], world["plan"]
    made = {
        "bb.pdf": ["report", insp, "--kind", "bien-ban", "--format", "pdf"],
        "kl.docx": ["report", insp, "--kind", "ket-luan", "--format", "docx"],
        "bc.pdf": ["report-plan", plan, "--format", "pdf"],
        "th.xlsx": ["summary", plan],
        "ds.xlsx": ["checklist", "export"],
        "phieu.xlsx": ["findings", "template", insp],
        "kh.xlsx": ["plan", "template"],
        "dd.pdf": ["reminder", insp, "--format", "pdf", "--today", "01/06/2022"],
        "kn.xlsx": ["escalation", "--today", "01/06/2022"],
    }
    for name, args in made.items():
        kiemtra(*args, "-o", str(out / name))
        assert _mode(out / name) == files.DOCUMENT, name
    secret = tmp_path / "pass.txt"
    secret.write_text("mật khẩu đủ dài của đoàn", encoding="utf-8")
    kiemtra("sync", "export", "-o", str(out / "enc.kiemtra"), "--passphrase-file", str(secret))
    assert _mode(out / "enc.kiemtra") == files.DOCUMENT


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows: chmod only sets read-only; the profile folder's ACL protects (README)",
)
def test_what_holds_everything_in_clear_is_private(
    world: dict[str, str], kiemtra: Kiemtra, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    kiemtra("sync", "export", "-o", str(out / "plain.kiemtra"), "--full")
    assert _mode(out / "plain.kiemtra") == PRIVATE
    kiemtra("backup", "-o", str(out / "bk.sqlite"))
    assert _mode(out / "bk.sqlite") == PRIVATE
    kiemtra("backup")
    backups = list((db_path.parent / "backups").glob("*.sqlite"))
    assert backups and all(_mode(b) == PRIVATE for b in backups)
    # One folder per database identity (keys/<device id>/): every key file in it, and the folder.
    keys = [p for p in (data_dir_for(db_path) / "keys").rglob("*") if p.is_file()]
    assert keys and all(_mode(k) == PRIVATE for k in keys)
    assert _mode(db_path) == PRIVATE
    if os.path.exists(f"{db_path}-wal"):
        assert _mode(Path(f"{db_path}-wal")) == PRIVATE
