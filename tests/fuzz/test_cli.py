"""The command line on broken, truncated and hostile files: one line "Lỗi: …", exit != 0,
the database unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.services import plan_workbook as pw
from desktop.services.demo import sample_plan
from tests.fuzz.hostile import billion_laughs, dump_file, read_members, write_zip

pytestmark = pytest.mark.fuzz


def _valid(kind: str, tmp_path: Path, kiemtra: Any, inspection: str) -> Path:
    path = tmp_path / f"valid-{kind}"
    if kind == "plan":
        return pw.write_template(path.with_suffix(".xlsx"), sample_plan())
    if kind == "checklist":
        kiemtra("checklist", "export", "-o", str(path.with_suffix(".xlsx")))
        return path.with_suffix(".xlsx")
    if kind == "findings":
        kiemtra("findings", "template", inspection, "-o", str(path.with_suffix(".xlsx")))
        return path.with_suffix(".xlsx")
    if kind == "sync":
        kiemtra("sync", "export", "-o", str(path.with_suffix(".kiemtra")), "--full")
        return path.with_suffix(".kiemtra")
    kiemtra("backup", "-o", str(path.with_suffix(".sqlite")))
    return path.with_suffix(".sqlite")


def _command(kind: str, path: Path, inspection: str) -> list[str]:
    return {
        "plan": ["plan", "import", str(path)],
        "checklist": ["checklist", "import", str(path)],
        "findings": ["findings", "import", inspection, str(path), "--as", "inspector"],
        "sync": ["sync", "import", str(path), "--trust-new"],
        "restore": ["restore", str(path)],
    }[kind]


def _broken(valid: Path, target: Path) -> Path:
    target.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return target


def _truncated(valid: Path, target: Path) -> Path:
    data = valid.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def _hostile(valid: Path, target: Path) -> Path:
    """A zip holding a billion-laughs XML part; for a backup, a zip at all."""
    members = read_members(valid) if valid.suffix != ".sqlite" else {"x.xml": b""}
    first = sorted(n for n in members if n.endswith(".xml") or n.endswith(".json"))[0]
    members[first] = billion_laughs() + b"<r>&lol9;</r>"
    return write_zip(target, members)


@pytest.mark.parametrize("kind", ["plan", "checklist", "findings", "sync", "restore"])
@pytest.mark.parametrize("damage", [_broken, _truncated, _hostile], ids=lambda f: f.__name__)
def test_cli_refuses_in_one_line(tmp_path: Path, kiemtra: Any, kind: str, damage: Any) -> None:
    kiemtra("demo")
    inspection = kiemtra.json("inspections")[0]["id"]
    valid = _valid(kind, tmp_path, kiemtra, inspection)
    bad = damage(valid, tmp_path / f"bad{valid.suffix}")
    before = dump_file(kiemtra.db_path)
    result = kiemtra(*_command(kind, bad, inspection), ok=False)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    assert "Traceback" not in result.output
    assert dump_file(kiemtra.db_path) == before
