"""The conflicts view names every travelling table in Vietnamese, never by its SQL name."""

from __future__ import annotations

import unicodedata

import pytest

from db.migrations import SYNCED_TABLES
from desktop.ui.sync.conflicts_view import TABLE_LABELS, table_label

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_every_synced_table_has_a_vietnamese_label(table: str) -> None:
    assert table in TABLE_LABELS, f"no label for {table}"
    label = table_label(table)
    assert label != table and "_" not in label
    assert unicodedata.normalize("NFC", label) == label


def test_labels_are_distinct_and_name_remediation_attachments() -> None:
    labels = [table_label(t) for t in SYNCED_TABLES]
    assert len(set(labels)) == len(labels)
    assert table_label("remediation_attachments") == "Tệp đính kèm báo cáo khắc phục"
