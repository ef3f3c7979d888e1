"""The core command line: init, plans, inspections, findings, finding set, checklist show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import Kiemtra


def _inspection(kiemtra: Kiemtra, unit: str) -> dict:
    return next(i for i in kiemtra.json("inspections") if i["unit"] == unit)


def test_init_is_safe_to_run_again(kiemtra: Kiemtra) -> None:
    kiemtra("init")
    first = kiemtra.json("checklist", "show")
    kiemtra("init")
    assert kiemtra.json("checklist", "show") == first


def test_checklist_show_has_the_eight_areas_and_sixty_items(kiemtra: Kiemtra) -> None:
    data = kiemtra.json("checklist", "show")
    assert set(data) >= {"version", "areas"}
    assert [a["code"] for a in data["areas"]] == [f"A{n}" for n in range(1, 9)]
    items = [i for a in data["areas"] for i in a["items"]]
    assert len(items) >= 60
    for item in items:
        assert set(item) >= {"code", "text", "type", "max_score", "levels"}
    # points per area add up to the skeleton of DOMAIN.md
    sums = {a["code"]: sum(i["max_score"] for i in a["items"]) for a in data["areas"]}
    assert sums == {"A1": 12, "A2": 10, "A3": 22, "A4": 10, "A5": 14, "A6": 10, "A7": 22, "A8": 0}


def test_plans_and_inspections_json(kiemtra: Kiemtra) -> None:
    kiemtra("demo")
    plans = kiemtra.json("plans")
    assert len(plans) == 1
    assert set(plans[0]) == {"id", "number", "year", "issuer", "units"}
    assert plans[0]["number"] == "21/KH-UBND" and plans[0]["units"] == 15
    inspections = kiemtra.json("inspections")
    assert {"id", "unit", "level", "month", "kind", "status", "parent_id", "done", "total"} <= set(
        inspections[0]
    )
    district = _inspection(kiemtra, "UBND huyện Mỹ Tú")
    commune = _inspection(kiemtra, "UBND thị trấn Huỳnh Hữu Nghĩa")
    assert commune["parent_id"] == district["id"] and district["parent_id"] is None
    # a commune gets only the items that apply to communes
    assert commune["total"] < district["total"]


def test_commune_visit_lists_only_commune_items(kiemtra: Kiemtra) -> None:
    kiemtra("demo")
    checklist = kiemtra.json("checklist", "show")
    commune_codes = {
        i["code"] for a in checklist["areas"] for i in a["items"] if "X" in i["levels"]
    }
    commune = _inspection(kiemtra, "UBND xã Đại Ân 2")
    rows = kiemtra.json("findings", commune["id"])
    assert {r["code"] for r in rows} == commune_codes
    assert set(rows[0]) >= {"code", "area", "text", "result", "score", "max_score", "note"}


def test_finding_set_records_and_validates(kiemtra: Kiemtra) -> None:
    kiemtra("demo")
    target = _inspection(kiemtra, "Sở Khoa học và Công nghệ")
    before = kiemtra.json("findings", target["id"])
    assert all(r["result"] is None for r in before)
    kiemtra(
        "finding",
        "set",
        target["id"],
        "A1.1.2",
        "--result",
        "mot-phan",
        "--score",
        "0.5",
        "--note",
        "Kế hoạch thiếu kinh phí",
    )
    row = next(r for r in kiemtra.json("findings", target["id"]) if r["code"] == "A1.1.2")
    assert (row["result"], row["score"], row["note"]) == (
        "mot-phan",
        0.5,
        "Kế hoạch thiếu kinh phí",
    )
    assert _inspection(kiemtra, "Sở Khoa học và Công nghệ")["done"] == 1

    too_high = kiemtra("finding", "set", target["id"], "A1.1.2", "--score", "99", ok=False)
    assert too_high.exit_code != 0
    unknown = kiemtra("finding", "set", target["id"], "Z9.9.9", "--result", "dat", ok=False)
    assert unknown.exit_code != 0
    bad_result = kiemtra("finding", "set", target["id"], "A1.1.2", "--result", "tot", ok=False)
    assert bad_result.exit_code != 0
    # nothing changed by the refused commands
    row = next(r for r in kiemtra.json("findings", target["id"]) if r["code"] == "A1.1.2")
    assert row["score"] == 0.5


def test_findings_for_unknown_inspection_is_one_clear_error(kiemtra: Kiemtra) -> None:
    kiemtra("init")
    result = kiemtra("findings", "no-such-id", "--json", ok=False)
    assert result.exit_code == 1
    assert "Không có cuộc kiểm tra" in result.stderr


def test_real_process_error_is_one_line_on_stderr(tmp_path: Path) -> None:
    db = tmp_path / "k.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db), "findings", "nope", "--json"],
        capture_output=True,
        encoding="utf-8",  # the program writes UTF-8 to a pipe (Windows too)
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and done.stderr.startswith("Lỗi:")


def test_version_and_help(kiemtra: Kiemtra) -> None:
    from desktop import __version__

    assert kiemtra("--version").stdout.strip() == __version__
    assert "plans" in kiemtra("--help").stdout


def test_scale_demo_counts(kiemtra: Kiemtra) -> None:
    counts = kiemtra.json("demo", "--units", "12", "--years", "3")
    assert counts["plans"] == 3
    plans = kiemtra.json("plans")
    assert len(plans) == 3
    # the latest year falls after the 2025 reform: no district inspections
    latest = max(plans, key=lambda p: p["year"])
    levels = {i["level"] for i in kiemtra.json("inspections", "--plan", latest["id"])}
    assert "huyen" not in levels and "xa" in levels


def _run(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(db), *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def test_exit_code_from_a_command_reaches_the_shell(tmp_path: Path) -> None:
    """A command that ends with ctx.exit(1) (audit verify on a tampered log) exits 1."""
    import sqlite3

    db = tmp_path / "k.sqlite"
    assert _run(db, "demo").returncode == 0
    assert _run(db, "audit", "verify").returncode == 0
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET actor = 'giả mạo' WHERE seq = 3")
    con.commit()
    con.close()
    tampered = _run(db, "audit", "verify")
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr


def test_usage_error_is_one_vietnamese_line(tmp_path: Path) -> None:
    done = _run(tmp_path / "k.sqlite", "plans", "--no-such-flag")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi:")
    assert "kiemtra plans --help" in lines[0]
