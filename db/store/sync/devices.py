"""Sync: the laptops this one knows, their keys and whether they are trusted."""

from __future__ import annotations

from typing import Any

from db.store.core import Core, now_iso


class Devices:
    """This laptop's identity and keys, and the devices packages came from."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.db = core.db

    # -- devices --------------------------------------------------------------------------
    def self_device(self) -> dict[str, Any]:
        return self._device_where("is_self = 1", []) or {}

    def _device_where(self, where: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM devices WHERE {where}", params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cursor.description], row, strict=True))

    def device_by_fingerprint(self, fingerprint: str) -> dict[str, Any] | None:
        return self._device_where("fingerprint = ? ORDER BY is_self DESC", [fingerprint])

    def device_by_id(self, device_id: str) -> dict[str, Any] | None:
        return self._device_where("id = ?", [device_id])

    def devices(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self.db.query("SELECT * FROM devices ORDER BY is_self DESC, name, id")
        ]

    def set_self_keys(self, public_key: str, fingerprint: str, encryption_key: str) -> None:
        with self.core.transaction():
            self.db.execute(
                "UPDATE devices SET public_key = ?, fingerprint = ?, encryption_key = ? "
                "WHERE is_self = 1",
                [public_key, fingerprint, encryption_key],
            )

    def retire_self(
        self,
        old_id: str,
        new_id: str,
        public_key: str,
        fingerprint: str,
        encryption_key: str,
        created_at: str,
    ) -> None:
        """This laptop becomes device `new_id` with these keys; `old_id` stays known as a
        device trusted directly, with the key it published (its versions keep verifying)."""
        with self.core.transaction():
            old = self.self_device()
            self.db.execute(
                "UPDATE devices SET id = ?, public_key = ?, fingerprint = ?, encryption_key = ?, "
                "created_at = ? WHERE is_self = 1",
                [new_id, public_key, fingerprint, encryption_key, created_at],
            )
            self.db.execute(
                "INSERT INTO devices (id, name, public_key, fingerprint, encryption_key, "
                "is_self, trusted, revoked, created_at, trusted_directly) "
                "VALUES (?, ?, ?, ?, ?, 0, 1, 0, ?, 1)",
                [
                    old_id,
                    old.get("name") or "",
                    old.get("public_key"),
                    old.get("fingerprint"),
                    old.get("encryption_key"),
                    old.get("created_at") or created_at,
                ],
            )

    def rename_self_device(self, name: str) -> None:
        """Give this laptop another name (travels with the next package it makes)."""
        with self.core.transaction():
            self.db.execute("UPDATE devices SET name = ? WHERE is_self = 1", [name])
        self.core.device_name = name

    def set_device_trust(
        self, fingerprint: str, *, trusted: bool, name: str | None
    ) -> list[dict[str, Any]]:
        """Trust (or revoke) a key by fingerprint, recording it if never seen.

        Trusted here is trusted directly (revoking whoever introduced it leaves it trusted).
        Revoking also withdraws the trust the key introduced, and what those keys introduced
        in turn, unless trusted directly; returns the devices whose trust was withdrawn.
        """
        with self.core.transaction():
            row = self.device_by_fingerprint(fingerprint)
            if row is None:
                self.db.execute(
                    "INSERT INTO devices (id, name, fingerprint, trusted, revoked, created_at, "
                    "trusted_directly) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        f"fp:{fingerprint}",
                        name or "",
                        fingerprint,
                        int(trusted),
                        int(not trusted),
                        now_iso(),
                        int(trusted),
                    ],
                )
                return []
            self.db.execute(
                "UPDATE devices SET trusted = ?, revoked = ?, name = coalesce(?, name), "
                "trusted_directly = ? WHERE fingerprint = ? AND is_self = 0",
                [int(trusted), int(not trusted), name, int(trusted), fingerprint],
            )
            return [] if trusted else self._withdraw([str(row["id"])])

    def _withdraw(self, introducers: list[str]) -> list[dict[str, Any]]:
        """Untrust what these devices introduced (not trusted directly), transitively."""
        withdrawn: list[dict[str, Any]] = []
        todo, seen = list(introducers), set(introducers)
        while todo:
            by = todo.pop()
            for row in self.db.query(
                "SELECT * FROM devices WHERE introduced_by = ? AND trusted = 1 "
                "AND trusted_directly = 0 AND is_self = 0",
                [by],
            ):
                self.db.execute("UPDATE devices SET trusted = 0 WHERE id = ?", [row["id"]])
                withdrawn.append(dict(row))
                if row["id"] not in seen:
                    seen.add(row["id"])
                    todo.append(row["id"])
        return withdrawn

    def record_device(
        self,
        device_id: str,
        name: str,
        public_key: str | None,
        fingerprint: str,
        encryption_key: str | None,
        *,
        trust: bool = False,
        introduced_by: str | None = None,
        directly: bool = False,
    ) -> None:
        """Remember a device seen in a package (its name shows who made a change).

        Never lowers trust and never lifts a revocation; a placeholder recorded by
        `set_device_trust` before the key was known takes the real id. Trust given here
        records `introduced_by` (the sender whose package brought the key) or, `directly`,
        that the user chose it (--trust-new for the sender itself).
        """
        direct = int(trust and directly)
        by_fp = self.device_by_fingerprint(fingerprint)
        if by_fp is not None:
            if by_fp["is_self"]:
                return
            placeholder = str(by_fp["id"]).startswith("fp:")
            if (
                placeholder
                and public_key is not None
                and not device_id.startswith("fp:")
                and self.device_by_id(device_id) is None
            ):
                self.db.execute("UPDATE devices SET id = ? WHERE id = ?", [device_id, by_fp["id"]])
            # Every right-hand side reads the row as it was (SQLite's UPDATE semantics).
            self.db.execute(
                "UPDATE devices SET name = CASE WHEN name = '' THEN ? ELSE name END, "
                "public_key = coalesce(?, public_key), "
                "encryption_key = coalesce(?, encryption_key), "
                "introduced_by = CASE WHEN revoked = 0 AND trusted = 0 AND ? = 1 THEN ? "
                "ELSE introduced_by END, "
                "trusted_directly = CASE WHEN revoked = 1 THEN trusted_directly "
                "ELSE max(trusted_directly, ?) END, "
                "trusted = CASE WHEN revoked = 1 THEN 0 ELSE max(trusted, ?) END "
                "WHERE fingerprint = ?",
                [
                    name,
                    public_key,
                    encryption_key,
                    int(trust),
                    introduced_by,
                    direct,
                    int(trust),
                    fingerprint,
                ],
            )
            return
        if public_key is None:
            device_id = f"fp:{fingerprint}"  # known by fingerprint only, like `device trust`
        if self.device_by_id(device_id) is not None:
            return  # same id with another key: keep what we have, trust goes by key
        self.db.execute(
            "INSERT INTO devices (id, name, public_key, fingerprint, encryption_key, trusted, "
            "created_at, introduced_by, trusted_directly) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                device_id,
                name,
                public_key,
                fingerprint,
                encryption_key,
                int(trust),
                now_iso(),
                introduced_by if trust else None,
                direct,
            ],
        )

    def device_names(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT id, name FROM devices")}
