"""Trust seen before it is given, and taken back with the key that introduced it (issue 15,
findings 3 and 4): `sync import --dry-run --json` gives the import's verdict and every key it
would trust, writing nothing; revoking a sender withdraws the trust it introduced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import build_demo
from tests.sync.helpers import Laptop, full_dump, rebuild, rows_of, set_rows


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """C (a member) is trusted by S (the secretary); S makes a plan package."""
    c = Laptop(tmp_path, "may-c")
    s = Laptop(tmp_path, "thu-ky")
    plan_id = build_demo(s.store)
    c_pkg = tmp_path / "c.kiemtra"
    c.cli("sync", "export", "-o", str(c_pkg), "--full")
    s.cli("sync", "import", str(c_pkg), "--trust-new")
    plan_pkg = tmp_path / "plan.kiemtra"
    s.cli("sync", "export", "-o", str(plan_pkg), "--plan", plan_id, "--full")
    r = Laptop(tmp_path, "so-noi-vu")
    yield {"root": tmp_path, "c": c, "s": s, "r": r, "plan": plan_pkg}
    for laptop in (c, s, r):
        laptop.close()


def _by_name(keys: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k["name"]: k for k in keys}


def test_dry_run_shows_every_key_it_would_trust_and_writes_nothing(
    world: dict[str, Any],
) -> None:
    r, s, c = world["r"], world["s"], world["c"]
    before = full_dump(r.db_path)
    raw = r.db_path.read_bytes()
    verdict = r.cli.json("sync", "import", str(world["plan"]), "--dry-run", "--trust-new")
    assert full_dump(r.db_path) == before and r.db_path.read_bytes() == raw
    keys = _by_name(verdict["keys_to_trust"])
    assert set(keys) == {"thu-ky", "may-c"}
    assert keys["thu-ky"]["fingerprint"] == s.info()["fingerprint"]
    assert keys["thu-ky"]["introduced_by"] is None
    assert keys["may-c"]["fingerprint"] == c.info()["fingerprint"]
    assert keys["may-c"]["introduced_by"] == s.store.device_id
    assert keys["may-c"]["id"] == c.store.device_id
    assert verdict["from"]["name"] == "thu-ky" and verdict["trust"] == "unknown"
    assert verdict["fingerprint"] == s.info()["fingerprint"]
    assert verdict["refused"] is None and verdict["inserted"] > 100
    # In words: each key the sender passes on names the sender, not its id.
    text = r.cli("sync", "import", str(world["plan"]), "--dry-run", "--trust-new").stdout
    line = next(x for x in text.splitlines() if "may-c" in x)
    assert "“thu-ky” giới thiệu" in line and s.store.device_id not in line, line
    # The import then does exactly what was shown.
    result = r.cli.json("sync", "import", str(world["plan"]), "--trust-new")
    for key in ("inserted", "updated", "unchanged", "conflicts"):
        assert result[key] == verdict[key], key


def test_dry_run_of_an_untrusted_sender_says_it_would_be_refused(world: dict[str, Any]) -> None:
    r = world["r"]
    before = full_dump(r.db_path)
    result = r.cli("sync", "import", str(world["plan"]), "--dry-run", "--json", ok=False)
    assert result.exit_code != 0
    import json

    verdict = json.loads(result.stdout)
    assert "chưa được tin cậy" in verdict["refused"]
    assert {k["name"] for k in verdict["keys_to_trust"]} == {"thu-ky", "may-c"}
    assert full_dump(r.db_path) == before


def test_dry_run_gives_the_refusal_the_import_gives(world: dict[str, Any]) -> None:
    r, s = world["r"], world["s"]
    r.cli("device", "trust", s.info()["fingerprint"], "--name", "thu-ky")

    def orphan(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "findings")
        rows[0]["inspection_id"] = "00000000-0000-4000-8000-000000000000"
        set_rows(members, "findings", rows)

    bad = rebuild(world["plan"], world["root"] / "bad.kiemtra", s, orphan)
    before = full_dump(r.db_path)
    dry = r.cli("sync", "import", str(bad), "--dry-run", "--json", ok=False)
    real = r.cli("sync", "import", str(bad), ok=False)
    import json

    refused = json.loads(dry.stdout)["refused"]
    assert refused and real.stderr.strip() == f"Lỗi: {refused}"
    assert full_dump(r.db_path) == before


def test_revoking_the_sender_withdraws_the_trust_it_introduced(world: dict[str, Any]) -> None:
    r, s, c = world["r"], world["s"], world["c"]
    r.cli("sync", "import", str(world["plan"]), "--trust-new")
    listed = {d["name"]: d for d in r.cli.json("device", "list")}
    assert listed["may-c"]["trusted"] is True
    assert listed["may-c"]["introduced_by"] == s.store.device_id
    assert listed["thu-ky"]["introduced_by"] is None
    r.cli("device", "revoke", s.info()["fingerprint"])
    listed = {d["name"]: d for d in r.cli.json("device", "list")}
    assert listed["thu-ky"]["revoked"] is True
    assert listed["may-c"]["trusted"] is False and listed["may-c"]["revoked"] is False
    # C's own package now needs trust again.
    c_pkg = world["root"] / "c2.kiemtra"
    c.cli("sync", "export", "-o", str(c_pkg), "--full")
    refused = r.cli("sync", "import", str(c_pkg), ok=False)
    assert "chưa được tin cậy" in refused.stderr


def test_a_key_trusted_directly_stays_trusted(world: dict[str, Any]) -> None:
    r, s, c = world["r"], world["s"], world["c"]
    r.cli("device", "trust", c.info()["fingerprint"], "--name", "may-c")
    r.cli("sync", "import", str(world["plan"]), "--trust-new")
    r.cli("device", "revoke", s.info()["fingerprint"])
    listed = {d["fingerprint"]: d for d in r.cli.json("device", "list")}
    assert listed[c.info()["fingerprint"]]["trusted"] is True


def test_the_command_line_imports_only_the_bytes_its_dry_run_judged(
    world: dict[str, Any],
) -> None:
    """Found by hand (attack session): `--dry-run --json` printed the file's sha256 but the
    import had no way to hold the file to it; a plan package swapped in between was imported
    and its keys trusted, none of them seen. `--sha256` pins the previewed bytes."""
    r, c = world["r"], world["c"]
    chosen = world["root"] / "goi.kiemtra"
    c_pkg = world["root"] / "c-only.kiemtra"
    c.cli("sync", "export", "-o", str(c_pkg), "--full")
    chosen.write_bytes(c_pkg.read_bytes())
    verdict = r.cli.json("sync", "import", str(chosen), "--dry-run", "--trust-new")
    assert [k["name"] for k in verdict["keys_to_trust"]] == ["may-c"]
    chosen.write_bytes(world["plan"].read_bytes())  # swapped after the preview
    before = full_dump(r.db_path)
    result = r.cli(
        "sync", "import", str(chosen), "--trust-new", "--sha256", verdict["sha256"], ok=False
    )
    assert result.exit_code == 1 and "thay đổi sau khi xem trước" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert full_dump(r.db_path) == before
    # The same bytes as previewed: imported.
    chosen.write_bytes(c_pkg.read_bytes())
    done = r.cli.json("sync", "import", str(chosen), "--trust-new", "--sha256", verdict["sha256"])
    assert done["from"]["name"] == "may-c"
    assert not list((r.data_dir / "inbox").glob("*"))  # the private copy is gone
