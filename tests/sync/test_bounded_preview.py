"""A preview stays bounded in memory whatever the package holds (issue 15, finding 5): a
31.8 MB package of 50 M short lines from an unknown key cost 8.8 GB to preview. The lines
are counted as the part streams past its hash check, against the rows the signed manifest
declares and a ceiling, before any line is split or parsed."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from desktop.sync import package as pkg
from desktop.sync.importer import dry_run_verdict
from tests.sync import worst_packages as worst
from tests.sync.helpers import Laptop, full_dump, rebuild

LINES = 1_500_000  # 12 MB of short numbers: a small bomb of the same shape
BOUND = 40 * 2**20  # bytes of Python allocations while judging it


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Laptop, Laptop, Path]:
    sender = Laptop(tmp_path, "la")
    receiver = Laptop(tmp_path, "thu-ky")
    good = tmp_path / "good.kiemtra"
    sender.cli("sync", "export", "-o", str(good), "--full")
    return sender, receiver, good


def _bomb(pair: tuple[Laptop, Laptop, Path], declared: int | None) -> Path:
    sender, _receiver, good = pair

    def stuff(manifest: dict[str, object], members: dict[str, bytes]) -> None:
        # Short lines that deflate about as well as real rows (below the bomb ratio).
        members["rows/units.jsonl"] = b"".join(b"%d\n" % (i * 7919) for i in range(LINES))

    path = rebuild(good, good.with_name("bomb.kiemtra"), sender, stuff)
    if declared is not None:

        def lie(manifest: dict[str, object], members: dict[str, bytes]) -> None:
            for part in manifest["parts"]:  # type: ignore[attr-defined]
                if part["name"] == "rows/units.jsonl":
                    part["rows"] = declared

        path = rebuild(path, good.with_name("bomb2.kiemtra"), sender, lie, redeclare=False)
    return path


@pytest.mark.parametrize("declared", [None, 10], ids=["declared-honestly", "declared-10"])
def test_a_bomb_of_short_lines_is_refused_within_a_memory_bound(
    pair: tuple[Laptop, Laptop, Path], declared: int | None
) -> None:
    _sender, receiver, _good = pair
    path = _bomb(pair, declared)
    before = full_dump(receiver.db_path)
    tracemalloc.start()
    try:
        verdict = dry_run_verdict(receiver.store, path, trust_new=True)  # as the window
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict["refused"] and "rows/units.jsonl" in verdict["refused"]
    assert peak < BOUND, peak
    assert full_dump(receiver.db_path) == before
    assert pkg.MAX_ROWS < LINES


def test_a_proof_line_for_every_row_a_package_may_carry_is_not_too_long() -> None:
    """Found by the bench: one export of 110,479 versions signs them in one list (a 2.4 MB
    line of proofs.jsonl), which the 1 MB line bound of row parts refused."""
    from desktop.sync.package import _LineCounter

    counter = _LineCounter(pkg.PROOFS, 1)
    line = b"A" * (pkg.MAX_ROWS * 16 * 4 // 3)
    for start in range(0, len(line), pkg.CHUNK):
        counter.feed(line[start : start + pkg.CHUNK])
    counter.feed(b"\n")
    rows = _LineCounter("rows/findings.jsonl", 1)
    with pytest.raises(pkg.PackageError, match="dài hơn"):
        rows.feed(b"A" * (pkg.MAX_LINE + 1))


# Peak Python allocations of a dry run over the package's unpacked bytes, for the costliest
# packages of each shape at 3% of the bounds (tests/sync/worst_packages.py). Measured: 5.96×,
# 4.33×, 5.97× and 5.39× when each part was copied, split into a list of lines and kept whole
# beside its parsed rows; 3.30×, 3.25×, 3.27× and 3.90× parsed line by line from the bytes as
# read, each part let go once parsed. (The full-size packages: tests/fuzz, `make fuzz`.)
WORST_SCALE = 0.03
WORST_FACTOR = {"rows": 3.75, "notes": 3.75, "edges": 3.75, "encrypted": 4.5}


@pytest.mark.parametrize("kind", worst.KINDS)
def test_the_costliest_accepted_package_costs_a_bounded_multiple_of_its_bytes(
    tmp_path: Path, kind: str
) -> None:
    path, _sender, receiver = worst.build(kind, tmp_path, WORST_SCALE)
    with zipfile.ZipFile(path) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    passphrase = worst.PASSPHRASE if kind == "encrypted" else None
    tracemalloc.start()
    try:
        verdict = dry_run_verdict(receiver.store, path, trust_new=True, passphrase=passphrase)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert verdict["refused"] is None, verdict["refused"]
    assert verdict["inserted"] >= (pkg.MAX_ROWS * WORST_SCALE if kind == "rows" else 300)
    assert peak < WORST_FACTOR[kind] * unpacked, (peak / unpacked, unpacked)


def test_a_member_needing_an_unknown_zip_version_is_refused_in_one_line(
    pair: tuple[Laptop, Laptop, Path],
) -> None:
    """Found by tests/fuzz (a byte flipped in the central directory): zipfile raised
    NotImplementedError("zip file version 8.4") out of the preview, before any signature."""
    _sender, receiver, good = pair
    data = bytearray(good.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (84).to_bytes(2, "little")  # version needed: 8.4
    path = good.with_name("version.kiemtra")
    path.write_bytes(bytes(data))
    before = full_dump(receiver.db_path)
    verdict = dry_run_verdict(receiver.store, path, trust_new=True)
    assert verdict["refused"] == pkg.PackageError("not_zip").args[0]
    assert receiver.cli("sync", "import", str(path), "--trust-new", ok=False).exit_code == 1
    assert full_dump(receiver.db_path) == before
