"""Values kept on this laptop only (never synced)."""

from __future__ import annotations

from db.store.core import Core


class Settings:
    """The settings table: last plan, report headings, keys."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    # -- settings -------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        """A value kept on this laptop only (never synced)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        """Keep `value` under `key`; nothing is written when it is already there (the window
        re-selects the last plan and visit at every start: no commit, no fsync for that)."""
        known = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if known is not None and known[0] == value:
            return
        with self.core.transaction():
            self.db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
