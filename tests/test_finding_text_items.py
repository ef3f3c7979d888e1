"""`kiemtra finding set` keeps the judging rule of the window: a TEXT item takes no result."""

from __future__ import annotations

from db import Store
from tests.conftest import Kiemtra


def _text_item(store: Store) -> tuple[str, str]:
    """An inspection and the code of a TEXT item that applies to it."""
    for insp in store.planning.inspections():
        for item in store.findings.inspection_items(insp["id"]):
            if item["type"] == "TEXT":
                return insp["id"], item["code"]
    raise AssertionError("the demo has no TEXT item")


def test_result_on_a_text_item_is_refused(kiemtra: Kiemtra, demo_store: Store) -> None:
    inspection_id, code = _text_item(demo_store)
    refused = kiemtra("finding", "set", inspection_id, code, "--result", "dat", ok=False)
    assert refused.exit_code == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi:")
    assert "chỉ ghi nhận xét" in lines[0] and code in lines[0]
    assert "Traceback" not in refused.output
    row = next(r for r in kiemtra.json("findings", inspection_id) if r["code"] == code)
    assert row["result"] is None
    # An observation on the same item is still welcome.
    kiemtra("finding", "set", inspection_id, code, "--note", "Đã phối hợp với Công an xã")
    row = next(r for r in kiemtra.json("findings", inspection_id) if r["code"] == code)
    assert row["note"] == "Đã phối hợp với Công an xã" and row["result"] is None
