"""An audit chain that needs the key to forge (issue 15, finding 8): every export signs the
chain's head with the device key and carries it in the package; `audit verify` checks the
signed head, so deleting the tail and moving the stored head, or recomputing the chain with a
forged entry, is reported even though the chain itself links."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from db.store.core import GENESIS_HASH, entry_hash
from desktop.services.demo import build_demo
from desktop.sync import package as pkg
from tests.sync.helpers import Laptop


def _laptop(tmp_path: Path) -> tuple[Laptop, Path]:
    laptop = Laptop(tmp_path, "may-a")
    build_demo(laptop.store)
    out = tmp_path / "a.kiemtra"
    laptop.cli("sync", "export", "-o", str(out), "--full")
    laptop.close()
    return laptop, out


def _rewrite(path: Path, keep: int | None = None, forge: int | None = None) -> None:
    """Drop entries after `keep`, or change entry `forge`'s text, then relink the whole
    chain and move the stored head: what an editor without the key can do."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DROP TRIGGER audit_log_no_update")
    if keep is not None:
        conn.execute("DELETE FROM audit_log WHERE seq > ?", [keep])
    if forge is not None:
        conn.execute('UPDATE audit_log SET new = \'{"note": "giả"}\' WHERE seq = ?', [forge])
    prev = GENESIS_HASH
    names = ["at", "device_id", "actor", "action", "table_name", "row_id", "old", "new"]
    rows = conn.execute(f"SELECT seq, {', '.join(names)} FROM audit_log ORDER BY seq").fetchall()
    for seq, *values in rows:
        digest = entry_hash(prev, dict(zip(names, values, strict=True)))
        conn.execute(
            "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?", [prev, digest, seq]
        )
        prev = digest
    conn.execute(
        "UPDATE settings SET value = ? WHERE key = 'audit_head'", [f"{rows[-1][0]}:{prev}"]
    )
    conn.commit()
    conn.close()


def test_the_package_carries_the_signed_head(tmp_path: Path) -> None:
    laptop, out = _laptop(tmp_path)
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read(pkg.MANIFEST))
    head = manifest["audit_head"]
    assert head["seq"] > 0 and len(head["hash"]) == 64 and head["signature"]
    assert laptop.cli.json("audit", "verify", "--json")["ok"] is True


def test_a_truncated_chain_with_its_head_moved_is_reported(tmp_path: Path) -> None:
    laptop, _out = _laptop(tmp_path)
    count = laptop.cli.json("audit", "verify", "--json")["entries"]
    _rewrite(laptop.db_path, keep=count - 5)
    result = laptop.cli("audit", "verify", ok=False)
    assert result.exit_code == 1 and "đã ký" in result.stderr, result.output


def test_a_recomputed_chain_with_a_forged_entry_is_reported(tmp_path: Path) -> None:
    laptop, _out = _laptop(tmp_path)
    _rewrite(laptop.db_path, forge=3)
    result = laptop.cli("audit", "verify", "--json", ok=False)
    report = json.loads(result.stdout)
    assert report["ok"] is False and "đã ký" in report["message"]


def test_a_new_identity_keeps_the_log_intact_and_its_signed_head_checked(tmp_path: Path) -> None:
    """Found by hand (attack session): after `device new-identity` (or a restore on another
    laptop) the head signed at the last export was checked against the NEW key and `audit
    verify` said "Nhật ký bị sửa đổi" for an untouched log, until the next export."""
    laptop, _out = _laptop(tmp_path)
    count = laptop.cli.json("audit", "verify", "--json")["entries"]
    laptop.cli("device", "new-identity")
    report = laptop.cli.json("audit", "verify", "--json")
    assert report["ok"] is True, report
    # Still checked against the old device's published key: truncation is reported.
    _rewrite(laptop.db_path, keep=count - 5)


def test_a_new_identity_carries_the_signed_head_on(tmp_path: Path) -> None:
    """`device new-identity`: the head signed by the old key is signed again by the new one
    (the old key vouching for it), so verify still holds, and still catches a truncation."""
    laptop, _out = _laptop(tmp_path)
    old = laptop.info()["id"]
    laptop.cli("device", "new-identity")
    assert laptop.info()["id"] != old
    report = laptop.cli.json("audit", "verify", "--json")
    assert report["ok"] is True
    _rewrite(laptop.db_path, keep=report["entries"] - 5)
    result = laptop.cli("audit", "verify", ok=False)
    assert result.exit_code == 1 and "đã ký" in result.stderr, result.output


def test_a_database_copied_elsewhere_keeps_its_log_intact(tmp_path: Path) -> None:
    """The restore on a replacement laptop: the database alone, in another folder."""
    import shutil

    laptop, _out = _laptop(tmp_path)
    elsewhere = tmp_path / "thay-the" / "kiemtra.sqlite"
    elsewhere.parent.mkdir()
    shutil.copy(laptop.db_path, elsewhere)
    from tests.conftest import Kiemtra

    cli = Kiemtra(elsewhere)
    cli("device", "show")  # takes a new identity on first need
    report = cli.json("audit", "verify", "--json")
    assert report["ok"] is True, report


def test_a_new_identity_does_not_bless_a_broken_head(tmp_path: Path) -> None:
    """A signed head the old key does not vouch for is not signed again: still reported."""
    laptop, _out = _laptop(tmp_path)
    _rewrite(laptop.db_path, forge=3)
    conn = sqlite3.connect(laptop.db_path)
    (text,) = conn.execute("SELECT value FROM settings WHERE key = 'audit_head_signed'").fetchone()
    signed = json.loads(text)
    signed["signature"] = signed["signature"][::-1]
    conn.execute(
        "UPDATE settings SET value = ? WHERE key = 'audit_head_signed'", [json.dumps(signed)]
    )
    conn.commit()
    conn.close()
    laptop.cli("device", "new-identity")
    report = json.loads(laptop.cli("audit", "verify", "--json", ok=False).stdout)
    assert report["ok"] is False and "ký" in report["message"]
