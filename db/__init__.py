"""The database: migrations and the store. The only package that writes SQL; knows no Qt."""

from db.connection import open_database
from db.errors import DatabaseLockedError, StorageReadOnlyError, StoreError
from db.store import Store

__all__ = ["DatabaseLockedError", "StorageReadOnlyError", "Store", "StoreError", "open_database"]
