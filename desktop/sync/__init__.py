"""Sync by files: signed (optionally encrypted) packages exchanged between laptops."""
