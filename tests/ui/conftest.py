"""Fixtures for the window tests: a demo database wrapped in an adapter and a shown window."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from db import Store


@pytest.fixture(autouse=True)
def vietnamese_locale() -> Iterator[None]:
    """The window tests run in the locale the app sets at start (numbers as "0,50")."""
    from PySide6.QtCore import QLocale

    from desktop.ui.app import use_vietnamese_locale

    before = QLocale()
    use_vietnamese_locale()
    yield
    QLocale.setDefault(before)


@pytest.fixture
def adapter(demo_store: Store) -> Iterator[Any]:
    from desktop.ui.store_adapter import StoreAdapter

    yield StoreAdapter(demo_store)


@pytest.fixture
def window(qtbot: Any, adapter: Any) -> Iterator[Any]:
    from desktop.ui.main_window import MainWindow

    w = MainWindow(adapter)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.editor.flush()


def inspection_id(store: Store, unit: str) -> str:
    return next(i["id"] for i in store.planning.inspections() if i["unit"] == unit)


def open_item(window: Any, unit: str, code: str) -> dict[str, Any]:
    """Select the visit of `unit` and the item `code` in it; the row dict shown."""
    window.select_inspection(inspection_id(window.adapter.store, unit))
    row = next(r for r in window.table_model.rows() if r["code"] == code)
    # Show every area so that the item is reachable whatever "my areas" says.
    window.area_view.setCurrentIndex(window.area_model.index(0))
    window.pane.my_areas_action.setChecked(False)
    assert window.select_item(row["item_id"])
    assert window.editor.current_row["code"] == code
    return row
