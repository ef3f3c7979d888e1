"""One write path, announced: every write from a widget goes through a StoreAdapter method that
emits `saved` once and its typed change signal; no module of desktop/ui writes to the store
itself, reaches the adapter's Store or emits the adapter's signals."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from db import Store
from desktop.reports.context import ReportOptions
from desktop.services import conclusions, evidence, followup
from desktop.services.selfassessment_workbook import FormChanges
from desktop.ui.read_only_store import ReadOnlyStore, StoreWriteRefused, write_methods
from desktop.ui.store_adapter import StoreAdapter
from tests.ui.conftest import inspection_id
from tests.ui.test_conflict_mark_ui import make_conflict

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
SO_KHCN = "Sở Khoa học và Công nghệ"
TODAY = dt.date(2026, 3, 2)


class Where:
    """A visit and two of its items, and a recommendation to report on."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.insp = inspection_id(store, SO_KHCN)
        item = store.findings.item_id_for_code(self.insp, "A1.1.2")
        other = store.findings.item_id_for_code(self.insp, "A1.1.3")
        assert item and other
        self.item, self.other = item, other

    def row(self) -> dict[str, Any]:
        return next(
            r for r in self.store.findings.inspection_items(self.insp) if r["item_id"] == self.item
        )

    def evidence_id(self) -> str:
        return evidence.add_evidence(self.store, self.insp, self.item, number="12/QĐ")["id"]

    def rec_id(self) -> str:
        return conclusions.add_recommendation(self.store, self.insp, "Niêm yết lại")["id"]

    def reported_rec(self) -> str:
        rec = self.rec_id()
        followup.record_report(self.store, [rec], TODAY, "5/BC", "Đã niêm yết", today=TODAY)
        return rec


def _attachment(a: StoreAdapter, w: Where, tmp_path: Path) -> Any:
    source = tmp_path / "anh.txt"
    source.write_text("ảnh chụp", encoding="utf-8")
    return a.add_attachment(w.insp, w.item, tmp_path / "data", source)


def _removed_attachment(a: StoreAdapter, w: Where, tmp_path: Path) -> Any:
    from desktop.services import attachments

    source = tmp_path / "anh.txt"
    source.write_text("ảnh chụp", encoding="utf-8")
    row = attachments.add_attachment(w.store, tmp_path / "data", w.insp, w.item, source)
    return a.remove_attachment(w.insp, w.item, row["id"])


def _resolved(a: StoreAdapter, w: Where, _tmp: Path) -> Any:
    make_conflict(w.store, w.insp, w.item)
    return a.resolve_conflict(a.conflicts()[0], "mine")


def _other_plan(tmp_path: Path) -> Path:
    from tests.test_plan_workbook import MEMBERS, PLAN_2021, UNITS_2021, write_plan

    plan = {**PLAN_2021, "Số kế hoạch": "99/KH-UBND"}
    return write_plan(tmp_path / "khac.xlsx", plan, UNITS_2021, MEMBERS)


# One call of every write method of the adapter, made before the signals are watched (the
# lambdas' own setup writes straight to the store, as another program would).
WRITES: dict[str, Callable[[StoreAdapter, Where, Path], Any]] = {
    "record": lambda a, w, _t: a.record(w.insp, w.row(), {"result": "dat"}),
    "inspection_step": lambda a, w, _t: a.inspection_step(w.insp, "visit", place="Phòng họp"),
    "set_setting": lambda a, _w, _t: a.set_setting("ui.test", "1"),
    "remember_report_options": lambda a, w, _t: a.remember_report_options(
        "bien-ban", ReportOptions("01/BB", TODAY, "Nguyễn Văn A"), w.insp, None
    ),
    "add_evidence": lambda a, w, _t: a.add_evidence(w.insp, w.item, number="15/QĐ"),
    "update_evidence": lambda a, w, _t: a.update_evidence(
        w.insp, w.item, w.evidence_id(), summary="Quyết định"
    ),
    "delete_evidence": lambda a, w, _t: a.delete_evidence(w.insp, w.item, w.evidence_id()),
    "add_attachment": _attachment,
    "remove_attachment": _removed_attachment,
    "save_conclusions": lambda a, w, _t: a.save_conclusions(
        w.insp, [("", {"causes": "Chưa quan tâm đúng mức"})]
    ),
    "add_recommendation": lambda a, w, _t: a.add_recommendation(w.insp, "Kiện toàn tổ"),
    "update_recommendation": lambda a, w, _t: a.update_recommendation(
        w.insp, w.rec_id(), text="Kiện toàn lại"
    ),
    "delete_recommendation": lambda a, w, _t: a.delete_recommendation(w.insp, w.rec_id()),
    "record_remediation": lambda a, w, _t: a.record_remediation(
        [w.rec_id()], TODAY, "7/BC", "Đã khắc phục", today=TODAY
    ),
    "verify_remediation": lambda a, w, _t: a.verify_remediation(
        w.reported_rec(), True, "", verified_on=TODAY
    ),
    "resolve_conflict": _resolved,
    "import_plan": lambda a, _w, t: a.import_plan(_other_plan(t)),
    "add_inspection": lambda a, w, _t: a.add_inspection(
        w.store.planning.inspection(w.insp)["plan_id"], "UBND phường 7", "Phường", "dot-xuat"
    ),
    "apply_form": lambda a, w, _t: a.apply_form(
        w.insp, FormChanges([(w.item, {"self_result": "dat"}), (w.other, {"self_score": 1.0})])
    ),
}


def announced_methods() -> dict[str, tuple[str, ...]]:
    """The adapter's write methods (marked with @announces) and the signals each emits."""
    return {
        name: member.__announces__
        for name, member in vars(StoreAdapter).items()
        if hasattr(member, "__announces__")
    }


def test_every_write_method_is_exercised_here() -> None:
    # A new write method of the adapter must come with its case above.
    assert set(announced_methods()) == set(WRITES)


@pytest.mark.parametrize("method", sorted(WRITES))
def test_every_write_announces_itself(method: str, adapter: StoreAdapter, tmp_path: Path) -> None:
    signals = announced_methods()[method]
    where = Where(adapter.store)
    seen: dict[str, int] = {name: 0 for name in (*signals, "saved")}
    for name in seen:
        getattr(adapter, name).connect(
            lambda *_a, name=name: seen.__setitem__(name, seen[name] + 1)
        )
    result = WRITES[method](adapter, where, tmp_path)
    assert result is not None or method.startswith(("delete", "remove", "set_", "save_"))
    settings_only = signals == ("settingChanged",)
    # Device-local settings are not the user's data: no "Đã lưu lúc" for them.
    assert seen["saved"] == (0 if settings_only else 1)
    for name in signals:
        assert seen[name] >= 1, f"{method} did not emit {name}"


def test_write_methods_come_from_the_store_source(demo_store: Store) -> None:
    writes = write_methods(demo_store)
    assert {
        "findings.set_finding",
        "core.insert_row",
        "core.delete_row",
        "outcomes.save_conclusion",
        "settings.set_setting",
        "sync.merge.merge_versions",
    } <= writes
    reads = {"findings.finding", "planning.inspection", "planning.plans", "core.history"}
    assert not (reads | {"settings.setting", "sync.conflicts.get"}) & writes


def test_the_read_only_view_refuses_writes(demo_store: Store) -> None:
    reads = ReadOnlyStore(demo_store)
    assert reads.planning.plans() == demo_store.planning.plans()
    for name in (
        "findings.set_finding",
        "core.insert_row",
        "core.transaction",
        "settings.set_setting",
        "sync.merge.merge_versions",
        "transaction",
    ):
        owner: object = reads
        *path, method = name.split(".")
        for part in path:
            owner = getattr(owner, part)
        with pytest.raises(StoreWriteRefused):
            getattr(owner, method)
    with pytest.raises(StoreWriteRefused):
        reads.db  # noqa: B018 — the raw database is no read-only view
    with pytest.raises(StoreWriteRefused):
        reads.actor = "ai đó"


def _ui_modules() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name != "store_adapter.py")


def _receiver(node: ast.expr) -> str:
    return ast.unparse(node)


def test_no_widget_writes_to_the_store_or_announces_for_the_adapter(demo_store: Store) -> None:
    # Closing a worker's own Store (common/workers.own_store) indexes what is pending: no
    # change of the user's data.
    writes = {name.rsplit(".", 1)[-1] for name in write_methods(demo_store)} - {"close"}
    signals = {
        name
        for name in dir(StoreAdapter)
        if type(getattr(StoreAdapter, name, None)).__name__ == "Signal"
    }
    assert {"saved", "findingChanged", "recommendationsChanged"} <= signals
    problems: list[str] = []
    for path in _ui_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(UI.parents[1])
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                owner = _receiver(node.value)
                # The adapter's Store itself (app.py only checks which store it holds).
                if node.attr == "store" and owner.endswith("adapter") and path.name != "app.py":
                    problems.append(f"{where}:{node.lineno} {owner}.store")
                # A store write method called on anything that is a store or its view.
                if node.attr in writes and ("store" in owner or "reads" in owner):
                    problems.append(f"{where}:{node.lineno} {owner}.{node.attr}")
                # The adapter's signals are emitted by the adapter only.
                if (
                    node.attr == "emit"
                    and isinstance(node.value, ast.Attribute)
                    and node.value.attr in signals
                    and _receiver(node.value.value).endswith("adapter")
                ):
                    problems.append(f"{where}:{node.lineno} {_receiver(node.value)}.emit")
    assert problems == []


def test_reads_that_may_write_go_through_the_adapter(tmp_path: Path) -> None:
    # A new database has no device keys yet: making them is a write the read-only view
    # refuses, so the window asks the adapter (as for the conflicts list).
    store = Store.open(tmp_path / "moi.sqlite")
    try:
        adapter = StoreAdapter(store)
        with pytest.raises(StoreWriteRefused):
            getattr(adapter.reads.sync.devices, "set_self_keys")  # noqa: B009 — the lookup is the test
        info = adapter.device_info()
        assert len(info["fingerprint"].replace("-", "")) == 64
        assert adapter.conflicts() == []
    finally:
        store.close()
