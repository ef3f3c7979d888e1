"""The database: migrations and the store. The only package that writes SQL; knows no Qt."""

from db.connection import DatabaseLockedError, StorageReadOnlyError, StoreError, open_database
from db.store import Store

__all__ = ["DatabaseLockedError", "StorageReadOnlyError", "Store", "StoreError", "open_database"]
