"""Make v1.sqlite: a database written by the first released schema (m001_initial only).

Run it with the code of that release, not today's (whose migrations would run too):

    git archive 483a4f7 db desktop resources | tar -x -C /tmp/kiemtra-v1
    PYTHONPATH=/tmp/kiemtra-v1 .venv/bin/python tests/data/schemas/make_v1.py \\
        tests/data/schemas/v1.sqlite

It holds the demo plan with its findings, plus evidence documents, conclusions,
recommendations and a remediation, so that an upgrade test can count every table.
"""

from __future__ import annotations

import sys
from pathlib import Path

from db import Store
from db.migrations import migrations
from desktop.services.demo import build_demo


def main(target: Path) -> None:
    assert [m.name for m in migrations._migrations] == ["m001_initial"], "run with v1 code"
    target.unlink(missing_ok=True)
    store = Store.open(target)
    build_demo(store)
    recorded = store.db.execute(
        "SELECT id, inspection_id, item_code FROM findings WHERE result IS NOT NULL "
        "ORDER BY item_code, inspection_id LIMIT 6"
    ).fetchall()
    for n, (finding_id, inspection_id, item_code) in enumerate(recorded, start=1):
        store.core.insert_row(
            "evidence_docs",
            {
                "id": f"00000000-0000-4000-8000-00000000000{n}",
                "finding_id": finding_id,
                "number": f"{n}/KH-SYT",
                "issued_on": "2021-01-15",
                "summary": f"Kế hoạch cải cách hành chính năm 2021 (tài liệu {n})",
                "position": n,
            },
        )
        rec = store.core.insert_row(
            "recommendations",
            {
                "inspection_id": inspection_id,
                "number": n,
                "area_code": item_code.split(".")[0],
                "item_code": item_code,
                "text": f"Khẩn trương khắc phục hạn chế tại nội dung {item_code}",
                "responsible": "Giám đốc Sở Y tế",
                "deadline": "2021-09-30",
            },
        )
        if n == 1:
            store.core.insert_row(
                "remediations",
                {
                    "recommendation_id": rec["id"],
                    "reported_on": "2021-08-20",
                    "doc_number": "125/BC-SYT",
                    "note": "Đã ban hành kế hoạch bổ sung",
                },
            )
    inspection_id = recorded[0][1]
    store.core.insert_row(
        "conclusions",
        {
            "inspection_id": inspection_id,
            "area_code": "A1",
            "strengths": "Ban hành kế hoạch CCHC kịp thời",
            "limitations": "Báo cáo quý còn chậm",
        },
    )
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.db.execute("PRAGMA journal_mode = DELETE")
    store.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
