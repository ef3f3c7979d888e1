"""Recommendation numbers stay unique per inspection after a merge (issue 15, item 10): two
laptops that both add the next recommendation ("số 6" on each) show distinct numbers after
they exchange packages, the same on both, in the lists, the register and the documents."""

from __future__ import annotations

from pathlib import Path

from desktop.services.conclusions import add_recommendation, list_recommendations
from desktop.services.demo import build_demo
from desktop.services.followup import register
from tests.sync.helpers import Laptop


def test_two_laptops_adding_the_same_number_get_distinct_numbers(tmp_path: Path) -> None:
    a = Laptop(tmp_path, "may-a")
    b = Laptop(tmp_path, "may-b")
    build_demo(a.store)
    start = tmp_path / "start.kiemtra"
    a.cli("sync", "export", "-o", str(start), "--full")
    b.cli("sync", "import", str(start), "--trust-new")
    b.reopen()
    insp = a.store.planning.inspections()[0]["id"]
    before = len(list_recommendations(a.store, insp))
    mine = add_recommendation(a.store, insp, "Kiến nghị của máy A")
    theirs = add_recommendation(b.store, insp, "Kiến nghị của máy B")
    assert mine["number"] == theirs["number"] == before + 1
    a_pkg, b_pkg = tmp_path / "a.kiemtra", tmp_path / "b.kiemtra"
    a.cli("sync", "export", "-o", str(a_pkg))
    b.cli("sync", "export", "-o", str(b_pkg))
    a.cli("sync", "import", str(b_pkg), "--trust-new")
    b.cli("sync", "import", str(a_pkg), "--trust-new")
    a.reopen()
    b.reopen()
    shown = {}
    for laptop in (a, b):
        rows = list_recommendations(laptop.store, insp)
        numbers = [r["number"] for r in rows]
        assert numbers == list(range(1, before + 3)), numbers
        shown[laptop.name] = [(r["number"], r["text"]) for r in rows]
        documents = laptop.store.reports.report_recommendations(insp)
        assert [r["number"] for r in documents] == numbers
        followed = [r for r in register(laptop.store) if r["inspection_id"] == insp]
        assert sorted(r["number"] for r in followed) == numbers
    assert shown["may-a"] == shown["may-b"]
    # The next one follows them.
    after = add_recommendation(a.store, insp, "Kiến nghị sau khi gộp")
    assert after["number"] == before + 3
    a.close()
    b.close()
