"""Importing a package: verify everything, then apply it whole in one transaction."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from db import Store
from db.files import atomic_open, private_folder
from db.hlc import DAY_MS, STAMP
from db.migrations import ATTACHMENT_TABLES, SYNCED_TABLES
from desktop.domain import nfc
from desktop.services.audit import HISTORY_FIELDS
from desktop.services.errors import UserError
from desktop.sync import authorship
from desktop.sync import package as pkg
from desktop.sync.attachments_path import attachment_path
from desktop.sync.keys import (
    current_keys,
    data_dir_of,
    fingerprint_of,
    normalize_fingerprint,
    unb64,
)
from desktop.sync.merge import COUNT_KEYS, tally

# Exactly the fixed widths (db.hlc): a wider counter would sort below a narrower one as text.
HLC = STAMP
SYNC_REQUIRED = ("id", "hlc", "origin", "deleted")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Every travelling row is named by a UUID (random, or uuid5 for stable ids such as the shipped
# default checklist's); so is every reference to one.
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _is_id_column(column: str) -> bool:
    return column == "id" or column.endswith("_id")


MESSAGES = {
    "revoked": "Gói đồng bộ bị từ chối: khóa của thiết bị “{name}” ({fingerprint}) đã bị thu hồi",
    "untrusted": (
        "Gói đồng bộ bị từ chối: thiết bị “{name}” ({fingerprint}) chưa được tin cậy; "
        "dùng --trust-new hoặc “kiemtra device trust”"
    ),
    "id_taken": "Gói đồng bộ bị từ chối: mã thiết bị {id} đã thuộc về một khóa khác{by}",
    "id_taken_by": (
        " (vân tay {fingerprint}, do “{name}” giới thiệu; nếu khóa đó không phải của thiết bị "
        "này, hãy thu hồi nó và thiết bị đã giới thiệu nó)"
    ),
    "need_passphrase": "Gói đồng bộ được mã hóa bằng mật khẩu: hãy dùng --passphrase-file",
    "wrong_passphrase": "Gói đồng bộ không mở được: mật khẩu không đúng",
    "not_for_us": "Gói đồng bộ được mã hóa cho thiết bị khác ({fingerprint})",
    "bad_key": "Gói đồng bộ không giải mã được bằng khóa của máy này",
    "bad_key_or_corrupt": (
        "Gói đồng bộ không giải mã được bằng khóa của máy này, hoặc dữ liệu mã hóa bị hỏng"
    ),
    "future": (
        "Gói đồng bộ bị từ chối: thiết bị “{name}” ghi dữ liệu lúc {date}, đi trước đồng hồ "
        "máy này hơn một ngày; hãy kiểm tra ngày giờ của thiết bị đó (và của máy này)"
    ),
    # reasons after "Gói đồng bộ bị hỏng: "
    "unknown_table": "bảng không xác định “{table}”",
    "row_count": "{name} có {found} dòng, khai báo {declared}",
    "not_json": "{name} dòng {line}: không phải JSON hợp lệ",
    "too_large": "{name} dòng {line}: số quá lớn",
    "not_finite": "{name} dòng {line}: số không hữu hạn (NaN, Infinity hoặc quá lớn)",
    "not_object": "{name} dòng {line}: không phải một bản ghi",
    "unknown_column": "{name} dòng {line}: cột không xác định “{column}”",
    "missing_field": "{name} dòng {line}: thiếu trường bắt buộc “{column}”",
    "wrong_type": "{name} dòng {line}: cột “{column}” sai kiểu dữ liệu",
    "bad_stamp": "{name} dòng {line}: dấu thời gian “{column}” không hợp lệ",
    "bad_id": "{name} dòng {line}: mã “{column}” không hợp lệ (cần dạng UUID)",
    "duplicate_row": "{name} dòng {line}: bản ghi trùng lặp",
    "bad_version": "{name} dòng {line}: lịch sử phiên bản không hợp lệ",
    "missing_parent": "{table} {id}: tham chiếu tới {parent} {parent_id} không có trong gói lẫn "
    "cơ sở dữ liệu",
    "missing_attachment": "thiếu tệp đính kèm {sha256}",
    "corrupt_payload": "dữ liệu mã hóa bị hỏng (khóa đúng nhưng nội dung không giải mã được)",
    "kdf_params": "tham số mã hóa không được hỗ trợ ({detail})",
    "cipher_params": "tham số mã hóa không được hỗ trợ ({detail})",
    "score_range": (
        "findings {id}: điểm “{column}” = {value:g} ngoài khoảng 0–{max:g} "
        "(điểm tối đa của nội dung)"
    ),
    "constraint": "dữ liệu vi phạm ràng buộc của cơ sở dữ liệu ({detail})",
}


def _broken(key: str, **values: Any) -> UserError:
    return UserError(pkg.MESSAGES["broken"].format(reason=MESSAGES[key].format(**values)))


def _type_ok(value: Any, column: dict[str, Any]) -> bool:
    if value is None:
        return not column["notnull"]
    kind = column["type"]
    if kind == "TEXT":
        return isinstance(value, str)
    if kind == "INTEGER":
        return type(value) is int
    if kind == "REAL":
        return type(value) in (int, float)
    return isinstance(value, str | int | float)


def _check_row(
    row: Any,
    where: dict[str, Any],
    table: str,
    columns: dict[str, dict[str, Any]],
    required: list[str],
) -> None:
    """One row against the schema (its strings made NFC); raises at the first fault."""
    if not isinstance(row, dict):
        raise _broken("not_object", **where)
    for column in row:
        if column not in columns:
            raise _broken("unknown_column", column=column, **where)
    for column in required:
        if row.get(column) is None:
            raise _broken("missing_field", column=column, **where)
    for column, value in row.items():
        if not _type_ok(value, columns[column]):
            raise _broken("wrong_type", column=column, **where)
        if isinstance(value, str):
            row[column] = nfc(value)
    if not row["id"] or row["deleted"] not in (0, 1):
        raise _broken("wrong_type", column="id" if not row["id"] else "deleted", **where)
    for column in ("hlc", "base_hlc"):
        if row.get(column) is not None and not HLC.match(row[column]):
            raise _broken("bad_stamp", column=column, **where)
    for column, value in row.items():
        if _is_id_column(column) and value is not None and not UUID.match(str(value)):
            raise _broken("bad_id", column=column, **where)
    # The hash names a file under the data folder: nothing but 64 hex digits.
    if table in ATTACHMENT_TABLES and not SHA256.match(str(row.get("sha256"))):
        raise _broken("wrong_type", column="sha256", **where)


def _accepted_types(column: dict[str, Any]) -> frozenset[type]:
    """The exact types of the non-null values _type_ok accepts for a column (from JSON)."""
    kind = column["type"]
    if kind == "TEXT":
        return frozenset((str,))
    if kind == "INTEGER":
        return frozenset((int,))
    if kind == "REAL":
        return frozenset((int, float))
    return frozenset((str, int, float, bool))


def _rows_checker(
    table: str, columns: dict[str, dict[str, Any]], required: list[str]
) -> Callable[[Any], dict[str, Any] | None]:
    """A quick check of a row that _check_row would pass: the row as _check_row leaves it
    (its strings NFC), or None for "not sure" (_check_row then decides, and names the fault).

    The row comes back as a new dict whose keys are the schema's own column names: json
    makes each row's keys anew, and half a small row's memory is its keys.
    """
    accepted = {name: (name, _accepted_types(c)) for name, c in columns.items()}
    notnull = frozenset(name for name, c in columns.items() if c["notnull"])
    id_columns = [name for name in columns if _is_id_column(name)]
    attachment = table in ATTACHMENT_TABLES
    hlc_match, uuid_match = HLC.match, UUID.match

    def quick(row: Any) -> dict[str, Any] | None:
        if type(row) is not dict:
            return None
        out: dict[str, Any] = {}
        for column, value in row.items():
            known = accepted.get(column)
            if known is None:
                return None
            if value is None:
                if column in notnull:
                    return None
            elif type(value) not in known[1]:
                return None
            elif type(value) is str:
                value = nfc(value)
            out[known[0]] = value
        get = out.get
        for column in required:
            if get(column) is None:
                return None
        if not out["id"] or out["deleted"] not in (0, 1):
            return None
        if not hlc_match(out["hlc"]):
            return None
        base = get("base_hlc")
        if base is not None and not hlc_match(base):
            return None
        for column in id_columns:
            value = get(column)
            if value is not None and not uuid_match(str(value)):
                return None
        if attachment and SHA256.match(str(get("sha256"))) is None:
            return None
        return out

    return quick


def _edge_ok(edge: Any) -> bool:
    return bool(
        isinstance(edge, list)
        and len(edge) == 4
        and all(isinstance(v, str) for v in edge)
        and edge[0] in SYNCED_TABLES
        and UUID.match(edge[1])
        and HLC.match(edge[2])
        and (edge[3] == "" or HLC.match(edge[3]))
    )


@dataclass
class Parsed:
    """The rows of a package, checked against the schema: versions by table, the digest of
    each (same order, desktop/sync/authorship.py), history edges, carried attestations."""

    versions: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    edges: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    digests: dict[str, list[bytes]] = field(default_factory=lambda: defaultdict(list))
    proofs: list[authorship.Carried] = field(default_factory=list)


def _line_count(data: bytes | bytearray) -> int:
    """How many lines a JSON-lines part holds: its pieces between \\n, a last empty one (the
    final newline) not counted."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _lines(data: bytes | bytearray) -> Iterator[bytes | bytearray]:
    """The lines of a JSON-lines part one at a time, split on \\n only (a JSON text holds no
    raw newline; a U+2028 inside a string is not a line break): only the line in hand is
    copied, never the part into a list of lines."""
    find, start, end = data.find, 0, len(data)
    while start < end:
        stop = find(b"\n", start)
        if stop < 0:
            stop = end
        yield data[start:stop]
        start = stop + 1


def parse_rows(store: Store, content: pkg.Content) -> Parsed:
    """Every row checked against the schema: known table and columns, types, required fields.

    Part by part, line by line from the verified bytes, each part let go of once parsed (the
    rows and their digests are what stays): a package costs its parsed rows, not its text
    three times over.
    """
    parsed_all = Parsed()
    versions, edges = parsed_all.versions, parsed_all.edges
    # json.loads for a str without its per-call checks, and without NaN or Infinity.
    decode = pkg.STRICT_JSON.decode
    hlc_match, uuid_match = HLC.match, UUID.match
    for name in list(content.texts):
        data = content.texts.pop(name)
        if name == pkg.PROOFS:
            parsed_all.proofs = authorship.parse_proofs(data)
            continue
        found = _line_count(data)
        if found != content.rows_declared[name]:
            raise _broken("row_count", name=name, found=found, declared=content.rows_declared[name])
        deferred: UserError | None = None
        if name == pkg.VERSIONS:
            kind = "versions"
        else:
            kind = "rows"
            table = name[len("rows/") : -len(".jsonl")]
            if table in SYNCED_TABLES:
                columns = {c["name"]: c for c in store.sync.versions.sync_columns(table)}
                required = sorted(
                    {c["name"] for c in columns.values() if c["notnull"] and c["default"] is None}
                    | set(SYNC_REQUIRED)
                )
                quick = _rows_checker(table, columns, required)
                seen: set[tuple[str, str]] = set()
                digest, prefix = hashlib.sha256, table.encode("ascii") + b"\n"
                table_digests = parsed_all.digests[table]
            else:
                deferred = _broken("unknown_table", table=table)
        for number, line in enumerate(_lines(data), start=1):
            try:
                value = decode(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise _broken("not_json", name=name, line=number) from exc
            except pkg.NotFinite as exc:
                raise _broken("not_finite", name=name, line=number) from exc
            except (json.JSONDecodeError, RecursionError) as exc:
                # RecursionError: nesting deeper than json's recursion (a line of "[[[[").
                raise _broken("not_json", name=name, line=number) from exc
            except ValueError as exc:  # an integer beyond Python's 4,300 digits
                raise _broken("too_large", name=name, line=number) from exc
            if deferred is not None:
                continue  # a fault found: only a line that is not JSON can come before it
            if kind == "versions":
                if (
                    type(value) is list
                    and len(value) == 4
                    and type(value[0]) is str
                    and type(value[1]) is str
                    and type(value[2]) is str
                    and type(value[3]) is str
                    and value[0] in SYNCED_TABLES
                    and uuid_match(value[1])
                    and hlc_match(value[2])
                    and (value[3] == "" or hlc_match(value[3]))
                ) or _edge_ok(value):
                    edges[value[0]].append((value[1], value[2], value[3]))
                else:
                    deferred = _broken("bad_version", name=name, line=number)
                continue
            row = quick(value)
            if row is None:
                try:
                    _check_row(value, {"name": name, "line": number}, table, columns, required)
                except UserError as exc:
                    deferred = exc
                    continue
                row = value
            value = row
            key = (value["id"], value["hlc"])
            if key in seen:
                deferred = _broken("duplicate_row", name=name, line=number)
                continue
            seen.add(key)
            versions[table].append(value)
            # The digest of the line as it came (authorship.digest, inlined for speed).
            table_digests.append(digest(prefix + line).digest()[:16])
        del data
        if deferred is not None:
            raise deferred
    return parsed_all


def check_parents(store: Store, versions: dict[str, list[dict[str, Any]]]) -> None:
    """Every reference points at a row in the package or already in the database."""
    carried = {table: {r["id"] for r in rows} for table, rows in versions.items()}
    for table in SYNCED_TABLES:
        wanted: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        for column, parent in store.sync.versions.sync_foreign_keys(table):
            for row in versions.get(table, []):
                value = row.get(column)
                if value is not None and value not in carried.get(parent, set()):
                    wanted[parent].setdefault(value, (row["id"], column))
        for parent, refs in wanted.items():
            present = store.sync.versions.existing_ids(parent, refs)
            for value, (row_id, _column) in refs.items():
                if value not in present:
                    raise _broken(
                        "missing_parent", table=table, id=row_id, parent=parent, parent_id=value
                    )


def check_stamps(
    store: Store,
    manifest: dict[str, Any],
    versions: dict[str, list[dict[str, Any]]],
    edges: dict[str, list[tuple[str, str, str]]],
) -> str | None:
    """Refuse a package with any stamp more than a day ahead of this laptop's clock.

    Such a stamp (a clock far ahead, or forged) would hold this laptop's clock there: every
    later edit anywhere would sort below it. Returns the greatest stamp carried (None if none).
    Fixed-width stamps (db.hlc) compare as text, so one max() per list finds it.
    """
    tops = [max(rows, key=lambda r: r["hlc"])["hlc"] for rows in versions.values() if rows]
    tops += [
        max(r["base_hlc"] for r in rows if r.get("base_hlc"))
        for rows in versions.values()
        if any(r.get("base_hlc") for r in rows)
    ]
    for table_edges in edges.values():
        if table_edges:
            tops.append(max(max(e[1], e[2]) for e in table_edges))
    if not tops:
        return None
    top: str = max(tops)
    wall, _counter, device = top.split(".", 2)
    if int(wall) <= store.clock.wall_ms() + DAY_MS:
        return top
    import datetime as dt

    names = {d["id"]: d["name"] for d in manifest.get("devices", [])}
    names[manifest["source"]["id"]] = manifest["source"]["name"]
    names.update(store.sync.devices.device_names())
    moment = dt.datetime.fromtimestamp(int(wall) / 1000, tz=dt.UTC).astimezone()
    raise UserError(
        MESSAGES["future"].format(
            name=pkg.shown(names.get(device) or device),
            date=moment.strftime("%d/%m/%Y %H:%M"),
        )
    )


SCORE_COLUMNS = ("score", "self_score")


def check_scores(store: Store, versions: dict[str, list[dict[str, Any]]]) -> None:
    """Every finding's scores lie between 0 and its item's maximum, as the service requires
    of a score typed here (the item from the package, else from the database)."""
    scored = [
        row
        for row in versions.get("findings", [])
        if any(row.get(c) is not None for c in SCORE_COLUMNS)
    ]
    if not scored:
        return
    maxima: dict[str, float] = {}
    for item in sorted(versions.get("checklist_items", []), key=lambda r: r["hlc"]):
        maxima[item["id"]] = float(item.get("max_score") or 0)
    missing = {r["item_id"] for r in scored} - maxima.keys()
    maxima.update(store.sync.versions.item_max_scores(missing))
    for row in scored:
        top = maxima.get(row["item_id"], 0.0)
        for column in SCORE_COLUMNS:
            value = row.get(column)
            if value is not None and not 0 <= value <= top + 1e-9:
                raise _broken("score_range", id=row["id"], column=column, value=value, max=top)


@dataclass
class Checked:
    """A package's content as the import would merge it, every check passed."""

    parsed: Parsed
    top_stamp: str | None
    attestations: list[dict[str, Any]]

    @property
    def versions(self) -> dict[str, list[dict[str, Any]]]:
        return self.parsed.versions


def check_content(
    store: Store, manifest: dict[str, Any], content: pkg.Content, *, adopt: bool
) -> Checked:
    """Every check an import makes of the rows, in one place: the preview and the import
    give the same verdict. `adopt`: the keys the package brings are trusted by this import
    (the user's --trust-new). Writes nothing."""
    parsed = parse_rows(store, content)
    top_stamp = check_stamps(store, manifest, parsed.versions, parsed.edges)
    check_parents(store, parsed.versions)
    check_scores(store, parsed.versions)
    keep = authorship.check_authorship(
        store, manifest, parsed.versions, parsed.digests, parsed.proofs, adopt=adopt
    )
    return Checked(parsed, top_stamp, keep)


def _trust_source(store: Store, manifest: dict[str, Any], trust_new: bool) -> dict[str, Any]:
    source = manifest["source"]
    fingerprint = fingerprint_of(unb64(source["public_key"], 32))
    known = store.sync.devices.device_by_fingerprint(fingerprint)
    shown = {"name": source["name"], "fingerprint": fingerprint}
    if known is not None and known["revoked"]:
        raise UserError(MESSAGES["revoked"].format(**shown))
    trusted = known is not None and bool(known["trusted"] or known["is_self"])
    if not trusted and not trust_new:
        raise UserError(MESSAGES["untrusted"].format(**shown))
    by_id = store.sync.devices.device_by_id(source["id"])
    if by_id is not None and by_id["fingerprint"] not in (None, fingerprint):
        by = ""
        if by_id.get("introduced_by"):
            # Another sender vouched for the key this id has here: name it (a squatted id).
            introducer = store.sync.devices.device_by_id(by_id["introduced_by"])
            by = MESSAGES["id_taken_by"].format(
                fingerprint=by_id["fingerprint"],
                name=pkg.shown(introducer["name"] if introducer else by_id["introduced_by"]),
            )
        raise UserError(MESSAGES["id_taken"].format(id=source["id"], by=by))
    return {"id": source["id"], "name": source["name"], "fingerprint": fingerprint}


def _decryptor(store: Store, manifest: dict[str, Any], passphrase: str | None) -> Any:
    from desktop.sync import crypto

    params = manifest.get("encryption_params") or {}
    aad = manifest["package_id"].encode("utf-8")

    def decrypt(payload: bytes) -> bytes:
        try:
            if manifest["encryption"] == "passphrase":
                if passphrase is None:
                    raise UserError(MESSAGES["need_passphrase"])
                try:
                    return crypto.decrypt_with_passphrase(payload, params, passphrase, aad)
                except crypto.UnsupportedParametersError as exc:
                    raise _broken("kdf_params", detail=str(exc)) from exc
                except crypto.CorruptPayloadError as exc:
                    raise _broken("corrupt_payload") from exc
                except crypto.DecryptionError as exc:
                    raise UserError(MESSAGES["wrong_passphrase"]) from exc
            keys = current_keys(store)
            if keys is None or params.get("recipient") != keys.fingerprint:
                raise UserError(MESSAGES["not_for_us"].format(fingerprint=params.get("recipient")))
            try:
                return crypto.decrypt_for_recipient(payload, params, keys.exchange, aad)
            except crypto.UnsupportedParametersError as exc:
                raise _broken("cipher_params", detail=str(exc)) from exc
            except crypto.CorruptPayloadError as exc:
                raise _broken("corrupt_payload") from exc
            except crypto.WrongKeyError as exc:
                raise UserError(MESSAGES["bad_key"]) from exc
            except crypto.DecryptionError as exc:
                # A package made before the key check: the two cannot be told apart.
                raise UserError(MESSAGES["bad_key_or_corrupt"]) from exc
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise pkg.PackageError("bad_manifest", detail="encryption_params") from exc

    return decrypt


def _check_attachments(store: Store, content: pkg.Content, needed: set[str]) -> None:
    """Refuse when a file a row names is neither carried nor already here."""
    data_dir = data_dir_of(store)
    for sha in sorted(needed):
        if sha not in content.attachments and not attachment_path(data_dir, sha).is_file():
            raise _broken("missing_attachment", sha256=sha)


def _store_attachments(store: Store, content: pkg.Content, needed: set[str]) -> list[Path]:
    """Copy carried files in by hash (skipping those present); refuse when one is missing.
    Returns the files it added (removed again when the import is refused after this); on a
    failure part-way, those already added are removed before the error goes on."""
    _check_attachments(store, content, needed)
    data_dir = data_dir_of(store)
    added: list[Path] = []
    try:
        for sha in sorted(content.attachments):
            target = attachment_path(data_dir, sha)
            if target.is_file():
                continue  # content-addressed: the same bytes are already here
            # Official records: private files in private folders (db.files), never half-written.
            private_folder(target.parent.parent)
            private_folder(target.parent)
            digest = hashlib.sha256()
            with atomic_open(target, private=True) as out:

                def write(chunk: bytes, out: IO[bytes] = out, digest: Any = digest) -> None:
                    digest.update(chunk)
                    out.write(chunk)

                # Hashed again while copied: the package file may have changed since it was
                # checked (a stick pulled out, a file being synced); never a blob unlike its name.
                content.stream_attachment(sha, write)
                if digest.hexdigest() != sha:
                    raise pkg.PackageError("hash", name=f"attachments/{sha}")
            added.append(target)
    except BaseException:
        _remove(added)
        raise
    return added


def _remove(paths: list[Path]) -> None:
    """Take back the files a refused import added (their folders stay: harmless, private)."""
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


PINNED_CHANGED = "Tệp gói đồng bộ đã thay đổi sau khi xem trước; hãy chọn và xem trước lại tệp này"


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in bounded chunks."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(pkg.CHUNK * 16):
                digest.update(chunk)
    except OSError as exc:
        raise UserError(pkg.MESSAGES["missing_file"].format(path=path)) from exc
    return digest.hexdigest()


def listed_devices(manifest: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The keys a package lists, each with its fingerprint computed here (never taken on
    trust from the listing)."""
    listed = []
    for device in manifest.get("devices", []):
        if device.get("public_key"):
            try:
                fingerprint = fingerprint_of(unb64(device["public_key"], 32))
            except ValueError:
                continue
        else:
            given = normalize_fingerprint(device.get("fingerprint") or "")
            if given is None:
                continue
            fingerprint = given
        listed.append((device, fingerprint))
    return listed


def _adopts(manifest: dict[str, Any]) -> bool:
    """A plan package from a trusted device brings the delegation's keys with it (README:
    "a plan package also passes on the keys its maker trusts"); any other package's listed
    keys are trusted only by the user's --trust-new, after the preview showed them."""
    return manifest.get("scope", {}).get("plan_id") is not None


def keys_to_trust(store: Store, manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every key importing this package with --trust-new would trust that is not trusted
    here yet: the sender (introduced_by None: the user's own choice) and the keys it lists
    (introduced_by: the sender's id), which prove their devices' versions only once trusted
    (a plan package's by trusting its sender, any other's by --trust-new).
    Revoked keys are never trusted again by an import; a key listed for a device id this
    laptop holds with another key is never taken (the id keeps its key)."""
    source = manifest["source"]
    out = []
    fingerprint = fingerprint_of(unb64(source["public_key"], 32))
    known = store.sync.devices.device_by_fingerprint(fingerprint)
    if known is None or not (known["trusted"] or known["is_self"] or known["revoked"]):
        out.append(
            {
                "id": source["id"],
                "name": pkg.shown(source["name"]),
                "fingerprint": fingerprint,
                "introduced_by": None,
            }
        )
    for device, fp in listed_devices(manifest):
        known = store.sync.devices.device_by_fingerprint(fp)
        if known is not None and (known["trusted"] or known["is_self"] or known["revoked"]):
            continue
        holder = store.sync.devices.device_by_id(device["id"])
        if holder is not None and holder["fingerprint"] not in (None, fp):
            continue
        if fp == fingerprint or any(k["fingerprint"] == fp for k in out):
            continue
        out.append(
            {
                "id": device["id"],
                "name": pkg.shown(device["name"]),
                "fingerprint": fp,
                "introduced_by": source["id"],
            }
        )
    return out


class _DryRun(Exception):
    """Raised inside the merge's transaction to roll it back (a dry run)."""


def _keep_audit_head(store: Store, manifest: dict[str, Any]) -> None:
    """Keep the sender's signed audit head (inside the signed manifest), the newest per
    device: what `audit verify` lists as heads seen (issue 15, finding 8)."""
    head = manifest.get("audit_head")
    if not isinstance(head, dict):
        return  # a package from before signed heads
    device, seq, digest, signature = (
        head.get(k) for k in ("device_id", "seq", "hash", "signature")
    )
    if not (
        isinstance(device, str)
        and type(seq) is int
        and seq > 0
        and isinstance(digest, str)
        and len(digest) == 64
        and isinstance(signature, str)
        and device != store.device_id
    ):
        return
    store.sync.export_scope.keep_head_seen(
        device, seq, digest, signature, str(manifest["package_id"])
    )


def _merge(
    store: Store,
    manifest: dict[str, Any],
    source: dict[str, Any],
    checked: Checked,
    *,
    newly_trusted: bool,
    adopt: bool,
    dry_run: bool,
) -> dict[str, int]:
    """Merge a checked package in one transaction (rolled back for a dry run)."""
    import sqlite3

    versions, edges = checked.versions, checked.parsed.edges
    counts = dict.fromkeys(COUNT_KEYS, 0)
    try:
        with store.transaction():
            store.sync.devices.record_device(
                source["id"],
                nfc(source["name"]),
                manifest["source"]["public_key"],
                source["fingerprint"],
                manifest["source"].get("encryption_key"),
                trust=True,
                directly=newly_trusted,
            )
            for device, fingerprint in listed_devices(manifest):
                store.sync.devices.record_device(
                    device["id"],
                    nfc(device["name"]),
                    device.get("public_key") or None,
                    fingerprint,
                    device.get("encryption_key"),
                    trust=adopt,
                    introduced_by=source["id"],
                )
            store.sync.proofs.add(checked.attestations)
            for table, table_edges in edges.items():
                store.sync.versions.add_sync_edges(table, table_edges)
            trace: list[dict[str, Any]] = []
            tables: dict[str, int] = {}
            for table in SYNCED_TABLES:
                ordered = sorted(versions.get(table, []), key=lambda v: v["hlc"])
                if not ordered:
                    continue
                traced = not dry_run and table in HISTORY_FIELDS
                before = (
                    store.sync.versions.rows_by_id(table, (v["id"] for v in ordered))
                    if traced
                    else {}
                )
                outcomes = store.sync.merge.merge_versions(table, ordered)
                changed: set[str] = set()
                for version, outcome in zip(ordered, outcomes, strict=True):
                    tally(counts, outcome)
                    if outcome != "unchanged":
                        changed.add(version["id"])
                if changed:
                    tables[table] = len(changed)
                if traced:
                    trace.extend(_row_trace(store, table, before, ordered, outcomes))
            store.sync.merge.record_import(manifest["package_id"], source["id"], counts)
            _keep_audit_head(store, manifest)
            if not dry_run:
                # One entry for the package (its counts, and the rows changed per table), then
                # one per row it changed of the tables a finding's history shows (issue 15,
                # finding 6): the rest is counted, not traced row by row.
                package = {"package": manifest["package_id"], "from": source["id"]}
                package.update(name=source["name"], **counts, tables=tables)
                store.core.append_audit_many(
                    [
                        {
                            "action": "sync-import",
                            "table": "sync_imports",
                            "row_id": manifest["package_id"],
                            "old": None,
                            "new": package,
                        },
                        *trace,
                    ]
                )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except sqlite3.IntegrityError as exc:
        raise _broken("constraint", detail=str(exc)) from exc
    return counts


# Columns of a travelling row that say how it travels, not what it holds.
_SYNC_COLUMNS = ("id", "hlc", "origin", "base_hlc")


def _row_trace(
    store: Store,
    table: str,
    before: dict[str, dict[str, Any]],
    ordered: list[dict[str, Any]],
    outcomes: list[str],
) -> list[dict[str, Any]]:
    """Audit entries for the rows a merge changed: the fields that differ, under the device
    that wrote the version now shown (its `origin`), action "sync".

    `before` holds the rows as they were before the merge. A row the merge inserted from a
    single version is that version (no read back): its entry holds the non-empty fields that
    the history shows (HISTORY_FIELDS).
    """
    shown = sorted(HISTORY_FIELDS[table])
    merged: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for version, outcome in zip(ordered, outcomes, strict=True):
        merged.setdefault(version["id"], []).append((version, outcome))
    changed = {i for i, runs in merged.items() if any(o != "unchanged" for _, o in runs)}
    # Only rows whose merge was more than one plain insert are read back as they are now.
    reread = {i for i in changed if len(merged[i]) > 1 or merged[i][0][1] != "inserted"}
    after = store.sync.versions.rows_by_id(table, reread) if reread else {}
    entries = []
    for row_id in sorted(changed):
        old_row = before.get(row_id)
        if row_id in reread:
            new_row = after.get(row_id)
            if new_row is None:
                continue
        else:
            new_row = merged[row_id][0][0]
        if old_row is None:
            # Nothing to compare: the fields the history reads that it holds (a missing one
            # reads as an empty one); the row itself is one lookup away by row_id.
            new = {k: new_row[k] for k in shown if new_row.get(k) is not None}
            old = None
        else:
            fields = [k for k in new_row if k not in _SYNC_COLUMNS and old_row.get(k) != new_row[k]]
            if not fields:
                continue  # the row shows what it showed (a conflict kept the local version)
            new = {k: new_row[k] for k in fields}
            old = {k: old_row.get(k) for k in fields}
            if "recorded_by" in new_row:
                new["recorded_by"] = new_row["recorded_by"]  # the member the history names
        entries.append(
            {
                "action": "sync",
                "table": table,
                "row_id": row_id,
                "old": old,
                "new": new,
                "device_id": new_row["origin"],
                "actor": "",
            }
        )
    return entries


def _needed(versions: dict[str, list[dict[str, Any]]]) -> set[str]:
    return {
        r["sha256"]
        for table in ATTACHMENT_TABLES
        for r in versions.get(table, [])
        if not r["deleted"]
    }


def import_package(
    store: Store,
    path: Path,
    *,
    passphrase: str | None = None,
    trust_new: bool = False,
    dry_run: bool = False,
    expected_sha256: str | None = None,
) -> dict[str, Any]:
    """Verify the whole package, then merge it in one transaction.

    Returns {"package", "from", "inserted", "updated", "unchanged", "conflicts"}.
    `expected_sha256`: the file must be exactly the bytes previewed (else refused).
    `dry_run`: nothing is written; the verdict (see `dry_run_verdict`) is returned instead.
    """
    if expected_sha256 is not None and file_sha256(Path(path)) != expected_sha256:
        raise UserError(PINNED_CHANGED)
    if dry_run:
        return dry_run_verdict(store, Path(path), passphrase=passphrase, trust_new=trust_new)
    with pkg.read_signed(Path(path)) as signed:
        return _import_signed(store, signed, passphrase=passphrase, trust_new=trust_new)


def _import_signed(
    store: Store, signed: pkg.SignedPackage, *, passphrase: str | None, trust_new: bool
) -> dict[str, Any]:
    """import_package's work on the opened package (closed by the caller, whatever happens)."""
    manifest = signed.manifest
    # The sender trusted now by the user's choice (--trust-new), not through another key.
    newly = any(k["introduced_by"] is None for k in keys_to_trust(store, manifest))
    source = _trust_source(store, manifest, trust_new)
    content = pkg.read_content(signed, _decryptor(store, manifest, passphrase))
    adopt = trust_new or _adopts(manifest)
    checked = check_content(store, manifest, content, adopt=adopt)
    added = _store_attachments(store, content, _needed(checked.versions))
    try:
        counts = _merge(
            store, manifest, source, checked, newly_trusted=newly, adopt=adopt, dry_run=False
        )
    except BaseException:
        # Refused (or failed) after the files came in: no row refers to them; take them back.
        _remove(added)
        raise
    if checked.top_stamp is not None:
        # Past every stamp carried (rows and history), all within a day of this clock.
        store.clock.observe(checked.top_stamp)
    return {"package": manifest["package_id"], "from": source, **counts}


def dry_run_verdict(
    store: Store,
    path: Path,
    *,
    passphrase: str | None = None,
    trust_new: bool = False,
    seen: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What importing `path` would do, writing nothing: {"package", "from", "fingerprint",
    "trust" (self|trusted|unknown|revoked), "keys_to_trust" [{id, name, fingerprint,
    introduced_by}], "inserted", "updated", "unchanged", "conflicts", "refused" (None or the
    one line the import would say), "sha256" (of the file judged)}.

    The same checks as the import, in the same order, and the same merge, rolled back. An
    unknown sender without `trust_new` is refused as the import would refuse it (so is a
    version proven only by a key the package brings), but the rest is judged as if trusted,
    so the secretary sees what trusting it would bring.
    Also "tables" {table: rows} and "attachments" (files carried); `seen`, when given,
    receives the checked versions ("versions") for the preview's labels.
    """
    verdict: dict[str, Any] = {
        "package": None,
        "from": None,
        "fingerprint": None,
        "trust": None,
        "keys_to_trust": [],
        **dict.fromkeys(COUNT_KEYS, 0),
        "refused": None,
        "sha256": file_sha256(path) if path.is_file() else None,
    }
    signed: pkg.SignedPackage | None = None
    try:
        signed = pkg.read_signed(path)
        manifest = signed.manifest
        source_fp = fingerprint_of(unb64(manifest["source"]["public_key"], 32))
        verdict["package"] = manifest["package_id"]
        verdict["from"] = {
            "id": manifest["source"]["id"],
            "name": manifest["source"]["name"],
            "fingerprint": source_fp,
        }
        verdict["fingerprint"] = source_fp
        verdict["trust"] = trust_state(store, source_fp)
        verdict["keys_to_trust"] = keys_to_trust(store, manifest)
        try:
            source = _trust_source(store, manifest, trust_new)
        except UserError as exc:
            if verdict["trust"] != "unknown":
                raise
            verdict["refused"] = str(exc)
            source = _trust_source(store, manifest, True)
        newly = any(k["introduced_by"] is None for k in verdict["keys_to_trust"])
        content = pkg.read_content(signed, _decryptor(store, manifest, passphrase))
        # Judged as if the keys it brings were trusted (what trusting them would bring) ...
        checked = check_content(store, manifest, content, adopt=True)
        if not (trust_new or _adopts(manifest)) and verdict["refused"] is None:
            # ... and refused as the import without --trust-new would refuse it: a version
            # proven only by a key this laptop does not trust yet.
            parsed = checked.parsed
            try:
                authorship.check_authorship(
                    store, manifest, parsed.versions, parsed.digests, parsed.proofs, adopt=False
                )
            except UserError as exc:
                verdict["refused"] = str(exc)
        _check_attachments(store, content, _needed(checked.versions))
        counts = _merge(
            store, manifest, source, checked, newly_trusted=newly, adopt=True, dry_run=True
        )
        verdict.update(counts)
        verdict["tables"] = {t: len(rows) for t, rows in checked.versions.items() if rows}
        verdict["attachments"] = len(content.attachments)
        if seen is not None:
            seen["versions"] = checked.versions
    except UserError as exc:
        verdict["refused"] = verdict["refused"] or str(exc)
    finally:
        if signed is not None:
            signed.zf.close()  # a refused package is not held open (Windows)
    return verdict


def trust_state(store: Store, fingerprint: str) -> str:
    """self, trusted, revoked or unknown: how this laptop holds a key."""
    known = store.sync.devices.device_by_fingerprint(fingerprint)
    if known is None:
        return "unknown"
    if known["is_self"]:
        return "self"
    if known["revoked"]:
        return "revoked"
    return "trusted" if known["trusted"] else "unknown"
