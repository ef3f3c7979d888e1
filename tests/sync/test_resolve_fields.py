"""Conflicts settled field by field; who and when per differing field; device rename."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.recording_helpers import small_plan
from tests.sync.helpers import Laptop, dump


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two laptops holding the same plan; each trusts the other."""
    a, b = Laptop(tmp_path, "may-a"), Laptop(tmp_path, "may-b")
    so, _ = small_plan(a.store)
    a.store.close()
    for x, y in ((a, b), (b, a)):
        x.cli("device", "trust", y.info()["fingerprint"], "--name", y.name)
    plan_file = tmp_path / "plan.kiemtra"
    a.cli("sync", "export", "-o", str(plan_file), "--full")
    b.cli.json("sync", "import", str(plan_file))
    a.reopen()
    b.reopen()
    yield {"a": a, "b": b, "so": so, "tmp": tmp_path}
    a.close()
    b.close()


def make_conflict(pair: dict[str, Any]) -> dict[str, Any]:
    a, b, so, tmp = pair["a"], pair["b"], pair["so"], pair["tmp"]
    a.cli("--as", "Nguyễn Văn An", "finding", "set", so, "A1.1.1", "--result", "dat")
    a.cli("sync", "export", "-o", str(tmp / "base.kiemtra"))
    b.cli.json("sync", "import", str(tmp / "base.kiemtra"))
    a.cli("--as", "Nguyễn Văn An", "finding", "set", so, "A1.1.1", "--note", "Ghi của An",
          "--score", "1")  # fmt: skip
    b.cli("--as", "Trần Thị Bình", "finding", "set", so, "A1.1.1", "--result", "khong-dat",
          "--note", "Ghi của Bình")  # fmt: skip
    b.cli("sync", "export", "-o", str(tmp / "b.kiemtra"))
    assert a.cli.json("sync", "import", str(tmp / "b.kiemtra"))["conflicts"] == 1
    (conflict,) = a.cli.json("sync", "conflicts")
    return conflict  # type: ignore[no-any-return]


def test_conflicts_show_who_and_when_per_field(pair: dict[str, Any]) -> None:
    conflict = make_conflict(pair)
    fields = {d["field"]: d for d in conflict["differences"]}
    assert {"result", "note", "score", "recorded_by"} <= set(fields)
    note = fields["note"]
    assert (note["local"], note["remote"]) == ("Ghi của An", "Ghi của Bình")
    assert (note["local_who"], note["remote_who"]) == ("Nguyễn Văn An", "Trần Thị Bình")
    assert note["local_when"] and note["remote_when"]
    assert conflict["local"]["who"] == "Nguyễn Văn An"
    assert conflict["remote"]["who"] == "Trần Thị Bình"


def test_resolve_field_by_field_travels(pair: dict[str, Any]) -> None:
    a, b, tmp = pair["a"], pair["b"], pair["tmp"]
    conflict = make_conflict(pair)
    bad = a.cli("sync", "resolve", conflict["id"], "--field", "ghi_chu=theirs", ok=False)
    assert bad.exit_code != 0 and "ghi_chu" in bad.stderr and bad.stderr.count("\n") == 1
    bad = a.cli("sync", "resolve", conflict["id"], "--field", "note", ok=False)
    assert bad.exit_code != 0 and "--field" in bad.stderr
    assert a.cli("sync", "resolve", conflict["id"], ok=False).exit_code != 0
    # Bình's result, An's note and score (fields not named follow --keep, default mine).
    a.cli("sync", "resolve", conflict["id"], "--field", "result=theirs")
    a.reopen()
    row = a.store.core.get_row("findings", conflict["row_id"])
    assert (row["result"], row["note"], row["score"]) == ("khong-dat", "Ghi của An", 1.0)
    assert a.cli.json("sync", "conflicts") == []
    (done,) = a.cli.json("sync", "conflicts", "--all")
    assert done["resolution"] == "mine;result=theirs"
    # The choice is a new change: it reaches the other laptop and settles it there too.
    a.cli("sync", "export", "-o", str(tmp / "settled.kiemtra"))
    b.cli.json("sync", "import", str(tmp / "settled.kiemtra"))
    b.reopen()
    assert b.store.core.get_row("findings", conflict["row_id"]) == row
    assert b.cli.json("sync", "conflicts") == []
    assert dump(a.store)["findings"] == dump(b.store)["findings"]


def test_keep_theirs_with_one_field_mine(pair: dict[str, Any]) -> None:
    a = pair["a"]
    conflict = make_conflict(pair)
    a.cli("sync", "resolve", conflict["id"], "--keep", "theirs", "--field", "note=mine")
    a.reopen()
    row = a.store.core.get_row("findings", conflict["row_id"])
    assert (row["result"], row["note"]) == ("khong-dat", "Ghi của An")
    assert row["recorded_by"] == "Trần Thị Bình"


def test_device_rename(pair: dict[str, Any]) -> None:
    a, b, tmp = pair["a"], pair["b"], pair["tmp"]
    assert a.cli("device", "rename", "  ", ok=False).exit_code != 0
    a.cli("device", "rename", "Máy  của Thư ký")
    assert a.info()["name"] == "Máy của Thư ký"
    a.cli("sync", "export", "-o", str(tmp / "named.kiemtra"))
    result = b.cli.json("sync", "import", str(tmp / "named.kiemtra"))
    assert result["from"]["name"] == "Máy của Thư ký"
