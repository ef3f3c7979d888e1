"""Sync by files, the store's part: devices, version history, merging, conflicts, export scope.

The model: every change of a travelling row is a *version* named by its hlc stamp;
`sync_versions` (filled by triggers, see m003_sync) records which version each one was edited
from. A laptop knows a set of versions; the row holds the newest of its *heads* (versions no
other known version descends from); two heads are a conflict, kept in `sync_conflicts` with both
full rows. Importing is a union of version sets, so it is idempotent and order-independent.
The services in desktop/sync/ drive these repositories.
"""

from __future__ import annotations

from db.store.core import Core
from db.store.search import Search
from db.store.sync.conflicts import Conflicts
from db.store.sync.devices import Devices
from db.store.sync.export_scope import PLAN_SCOPE, ExportScope
from db.store.sync.merge import Merge
from db.store.sync.proofs import Proofs
from db.store.sync.takeover import TakeOver
from db.store.sync.versions import Versions


class Sync:
    """The sync repositories of one store: `devices`, `versions`, `conflicts`, `merge`,
    `export_scope`, `proofs`, `takeover`."""

    def __init__(self, core: Core, search: Search) -> None:
        self.devices = Devices(core)
        self.versions = Versions(core)
        self.conflicts = Conflicts(core, self.versions, search)
        self.merge = Merge(core, self.versions, self.conflicts, search)
        self.export_scope = ExportScope(core, self.versions, self.conflicts)
        self.proofs = Proofs(core, self.versions, self.conflicts)
        self.takeover = TakeOver(core, self.versions, self.conflicts, search)


__all__ = ["PLAN_SCOPE", "Sync"]
