"""Small read queries the window needs that no other subject owns."""

from __future__ import annotations

from db.store.base import StoreBase


class UiQueriesMixin(StoreBase):
    """Reads for the recording screen."""

    def recommended_item_codes(self, inspection_id: str) -> set[str]:
        """Codes of the items that carry at least one live recommendation in this inspection."""
        return {
            str(r[0])
            for r in self.db.execute(
                "SELECT DISTINCT item_code FROM recommendations "
                "WHERE inspection_id = ? AND deleted = 0 AND item_code IS NOT NULL "
                "AND item_code != ''",
                [inspection_id],
            )
        }
