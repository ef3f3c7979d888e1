"""The package file: a zip with a signed manifest, rows as JSON lines, attachments by hash.

Layout (format "kiemtra-sync", version 1):

    manifest.json        format, format_version, package_id, source {id, name, public_key,
                         encryption_key}, app_version, created, scope, devices (the keys the
                         exporter trusts), encryption (none|recipient|passphrase),
                         encryption_params, parts [{name, sha256, rows, size}]
    manifest.sig         Ed25519 signature over the exact bytes of manifest.json
    rows/<table>.jsonl   one row version per line
    versions.jsonl       [table, row_id, hlc, parent]: the edit history of those rows
    proofs.jsonl         {device, signature, digests}: who wrote each version (format 2,
                         desktop/sync/authorship.py)
    attachments/<sha256> file contents

Encrypted, the parts go into an inner zip (with `index.json` listing them the same way) whose
ciphertext is the single outer part `payload.bin`. Reading checks every name, size,
compression ratio and hash against what the signed manifest declares, in bounded chunks,
before anything is parsed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from db.files import atomic_path
from desktop.services.errors import UserError

FORMAT = "kiemtra-sync"
# 2: every version's author proven (proofs.jsonl, desktop/sync/authorship.py); 1 still reads.
FORMAT_VERSION = 2
SUFFIX = ".kiemtra"

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # everything unpacked
MAX_ENTRIES = 100_000
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
# Rows a package may carry (40× a province-year's 12,668) and the longest line: bounds on what
# a preview holds in memory, checked as the parts stream past their hash check.
MAX_ROWS = 500_000
MAX_LINE = 1024 * 1024
MAX_PROOF_LINE = MAX_ROWS * 16 * 4 // 3 + 64 * 1024  # base64 of MAX_ROWS 16-byte digests
MAX_JSON_DEPTH = 32  # a manifest nests 4 deep; json's recursion must never be reached
MAX_RATIO = 1000  # uncompressed / compressed, checked for entries above RATIO_FLOOR
RATIO_FLOOR = 64 * 1024
CHUNK = 64 * 1024

MANIFEST, SIGNATURE, PAYLOAD, INDEX, VERSIONS, PROOFS = (
    "manifest.json",
    "manifest.sig",
    "payload.bin",
    "index.json",
    "versions.jsonl",
    "proofs.jsonl",
)
_PART_NAME = re.compile(
    r"^(rows/[a-z_]{1,40}\.jsonl|versions\.jsonl|proofs\.jsonl|attachments/[0-9a-f]{64})$"
)

MESSAGES = {
    "broken": "Gói đồng bộ bị hỏng: {reason}",
    "not_zip": "không phải tệp gói đồng bộ hoặc tệp đã bị cắt cụt",
    "missing_file": "Không tìm thấy tệp {path}",
    "no_manifest": "thiếu manifest.json",
    "no_signature": "thiếu chữ ký (manifest.sig)",
    "bad_signature": "chữ ký không hợp lệ",
    "bad_manifest": "manifest.json không hợp lệ ({detail})",
    "wrong_format": "không phải gói đồng bộ của Kiểm tra CCHC",
    "too_new": (
        "Gói đồng bộ được tạo bởi phiên bản mới hơn (định dạng {version}); "
        "hãy cập nhật chương trình"
    ),
    "bad_name": "đường dẫn không hợp lệ trong gói: {name}",
    "duplicate": "phần {name} xuất hiện hai lần",
    "undeclared": "phần {name} không được khai báo trong manifest",
    "missing_part": "thiếu phần {name}",
    "size": "phần {name} có kích thước khác với khai báo",
    "too_big": "gói quá lớn (vượt {limit} MB khi giải nén)",
    "too_many": "gói có quá nhiều phần",
    "ratio": "phần {name} có tỉ lệ nén bất thường (nghi ngờ bom nén)",
    "hash": "phần {name} bị sửa đổi (sai mã băm)",
    "corrupt": "dữ liệu phần {name} bị hỏng",
    "unimportable": (
        "Không xuất được gói đồng bộ ({size} MB): {reason}, máy nhận sẽ từ chối; hãy xuất "
        "theo từng kế hoạch (--plan) hoặc bớt các tệp đính kèm lớn"
    ),
    "more_lines": "phần {name} có nhiều dòng hơn {declared} dòng đã khai báo",
    "too_many_rows": "gói có quá nhiều bản ghi (vượt {limit}; phần {name} khai báo {rows} dòng)",
    "long_line": "phần {name} có dòng dài hơn {limit} MB",
}


class PackageError(UserError):
    """A package refused as damaged or forged; the message says what is wrong."""

    def __init__(self, key: str, **values: Any) -> None:
        safe = {k: shown(v) if isinstance(v, str) else v for k, v in values.items()}
        super().__init__(MESSAGES["broken"].format(reason=MESSAGES[key].format(**safe)))


def shown(text: str) -> str:
    """A name from the package as the message shows it: NFC, control characters escaped (a
    newline in a member name must not split the one-line error)."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)[:200]


class NotFinite(ValueError):
    """NaN, Infinity or a float that overflows: not a number a package may carry."""


def _no_constant(name: str) -> Any:
    raise NotFinite(name)


def finite_float(text: str) -> float:
    """json's parse_float that refuses what overflows to infinity (1e999)."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise NotFinite(text)
    return value


# json without NaN, Infinity and overflowing floats (json.loads takes them by default).
STRICT_JSON = json.JSONDecoder(parse_constant=_no_constant, parse_float=finite_float)
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def nesting_within(data: bytes | bytearray, limit: int) -> bool:
    """True when the JSON text `data` nests at most about `limit` deep (without parsing it).

    Strings are dropped, then the innermost bracket pairs are removed `limit` times; what is
    left is too deep (or unbalanced, which json would refuse anyway). Linear in the size.
    """
    skeleton = _NOT_BRACKET.sub(b"", _STRING.sub(b"", data))
    for _ in range(limit):
        if not skeleton:
            return True
        shorter = skeleton.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == skeleton:
            return False
        skeleton = shorter
    return not skeleton


def parse_document(data: bytes | bytearray, name: str) -> Any:
    """A JSON document read from a package (manifest, index), its size already bounded:
    nesting bounded before json sees it; huge integers, NaN and Infinity refused."""
    where = "" if name == MANIFEST else f"{name}: "
    if not nesting_within(data, MAX_JSON_DEPTH):
        raise PackageError("bad_manifest", detail=f"{where}JSON lồng nhau quá sâu")
    try:
        return STRICT_JSON.decode(data.decode("utf-8"))
    except NotFinite as exc:
        raise PackageError("bad_manifest", detail=f"{where}số không hữu hạn") from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise PackageError("bad_manifest", detail=f"{where}JSON") from exc
    except ValueError as exc:  # an integer beyond Python's 4,300 digits
        raise PackageError("bad_manifest", detail=f"{where}số quá lớn") from exc


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def jsonl(rows: list[Any]) -> bytes:
    return b"".join(canonical_json(r) + b"\n" for r in rows)


# -- writing -------------------------------------------------------------------------------
@dataclass
class Part:
    """One member of the content: bytes in memory, or a file on disk (attachments)."""

    name: str
    data: bytes | None = None
    path: Path | None = None
    rows: int = 0
    sha256: str = ""
    size: int = 0

    def finish(self) -> Part:
        digest = hashlib.sha256()
        size = 0
        for chunk in self.chunks():
            digest.update(chunk)
            size += len(chunk)
        self.sha256, self.size = digest.hexdigest(), size
        return self

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.path is not None
        with open(self.path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def declaration(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "rows": self.rows, "size": self.size}


def _compression(name: str) -> int:
    """Rows, history and manifests deflated (JSON lines shrink 7× or more); attachments and
    the encrypted payload stored as they are (photos and PDFs are compressed already, and
    ciphertext does not compress). Reading takes either: packages made before stored all."""
    if name.startswith("attachments/") or name == PAYLOAD:
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def needs_zip64(size: int) -> bool:
    """Whether a member of `size` bytes must carry zip64 sizes (zipfile refuses to grow a
    member past its limit once written without them)."""
    return size >= zipfile.ZIP64_LIMIT


def _write_parts(zf: zipfile.ZipFile, parts: list[Part]) -> None:
    for part in parts:
        info = zipfile.ZipInfo(part.name, date_time=(2020, 1, 1, 0, 0, 0))
        # Deflated or not, what is checked is the inflated content against the hash the
        # signed manifest declares; a deflate bit that changes nothing changes no content.
        info.compress_type = _compression(part.name)
        size = len(part.data) if part.data is not None else part.size
        with zf.open(info, "w", force_zip64=needs_zip64(size)) as out:
            for chunk in part.chunks():
                out.write(chunk)


def content_zip(parts: list[Part]) -> bytes:
    """The inner zip of an encrypted package: index.json then the parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        index = {"parts": [p.declaration() for p in parts]}
        _write_parts(zf, [Part(INDEX, data=canonical_json(index))])
        _write_parts(zf, parts)
    return buffer.getvalue()


def write_package(
    target: Path,
    manifest: dict[str, Any],
    signature: bytes,
    manifest_bytes: bytes,
    parts: list[Part],
) -> None:
    """Write the outer zip next to the target, then move it into place. An unencrypted
    package holds every row in clear: private (0600) like the database; an encrypted one is
    a document the user hands on (db.files' DOCUMENT mode, as the umask says)."""
    private = manifest.get("encryption", "none") == "none"
    with (
        atomic_path(target, private=private, managed_ok=False) as tmp,
        zipfile.ZipFile(tmp, "w") as zf,
    ):
        _write_parts(zf, [Part(MANIFEST, data=manifest_bytes), Part(SIGNATURE, data=signature)])
        _write_parts(zf, parts)


# -- reading -------------------------------------------------------------------------------
def over_limits(total_bytes: int, entries: int) -> str | None:
    """What a package of `entries` parts holding `total_bytes` unpacked breaks of the rules
    its import checks (the message key), or None: one rule, used by reading and writing."""
    if entries > MAX_ENTRIES:
        return "too_many"
    if total_bytes > MAX_TOTAL_BYTES:
        return "too_big"
    return None


def check_writable(parts: list[Part], manifest_bytes: bytes = b"") -> None:
    """Refuse (UserError, one line) to write a package its own import would refuse: too
    many parts, too many bytes, or a manifest larger than read_signed reads."""
    total = sum(p.size for p in parts)
    broken = over_limits(total, len(parts) + 2)  # + manifest and signature
    if broken is None and len(manifest_bytes) > MAX_MANIFEST_BYTES:
        broken = "too_many"
    if broken is not None:
        raise UserError(
            MESSAGES["unimportable"].format(
                reason=MESSAGES[broken].format(limit=MAX_TOTAL_BYTES // 2**20),
                size=f"{total / 2**20:.1f}".replace(".", ","),
            )
        )


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or name.startswith("/") or ":" in name or "\x00" in name:
        return False
    return all(piece not in ("", ".", "..") for piece in name.split("/"))


def _read_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, sink: Any) -> int:
    """Stream one member to `sink` (a callable), refusing more bytes than `limit`."""
    total = 0
    try:
        with zf.open(info) as handle:
            while chunk := handle.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise PackageError("size", name=info.filename)
                sink(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError) as exc:
        raise PackageError("corrupt", name=info.filename) from exc
    return total


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    buffer = bytearray()
    _read_bounded(zf, info, limit, buffer.extend)
    return bytes(buffer)


def open_zip(source: Path | bytes) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """Open a zip and check its member list: count, names, duplicates."""
    try:
        if isinstance(source, Path):
            if not source.is_file():
                raise UserError(MESSAGES["missing_file"].format(path=source))
            if source.stat().st_size > MAX_TOTAL_BYTES + MAX_MANIFEST_BYTES:
                raise PackageError("too_big", limit=MAX_TOTAL_BYTES // 2**20)
            zf = zipfile.ZipFile(source)
        else:
            zf = zipfile.ZipFile(io.BytesIO(source))
        infos = zf.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,  # a member "needing" a zip version beyond 6.3 (one byte flipped)
    ) as exc:
        raise PackageError("not_zip") from exc
    try:
        if over_limits(0, len(infos)):
            raise PackageError("too_many")
        members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not _safe_name(info.filename) or info.is_dir():
                raise PackageError("bad_name", name=info.filename)
            if info.filename in members:
                raise PackageError("duplicate", name=info.filename)
            members[info.filename] = info
    except BaseException:
        zf.close()  # refused: the file is not held open (Windows could not move or delete it)
        raise
    return zf, members


def _declared_parts(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise PackageError("bad_manifest", detail="parts")
    parts = []
    for entry in raw:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
            and type(entry.get("size")) is int
            and type(entry.get("rows")) is int
            and entry["size"] >= 0
            and entry["rows"] >= 0
        ):
            raise PackageError("bad_manifest", detail="parts")
        parts.append(entry)
    return parts


@dataclass
class Content:
    """Verified parts of a package: row/version parts in memory, attachments streamed."""

    zf: zipfile.ZipFile
    # The bytes of each row and history part (bytearray: held once, as read). Parsing
    # takes each out as it is done with it (desktop/sync/importer.py).
    texts: dict[str, bytearray] = field(default_factory=dict)
    attachments: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    rows_declared: dict[str, int] = field(default_factory=dict)

    def copy_attachment(self, sha256: str, out: IO[bytes]) -> None:
        self.stream_attachment(sha256, out.write)

    def stream_attachment(self, sha256: str, sink: Callable[[bytes], object]) -> None:
        """Each chunk of the attachment's bytes to `sink`, bounded by its declared size."""
        info = self.attachments[sha256]
        _read_bounded(self.zf, info, info.file_size, sink)


class _LineCounter:
    """Counts the lines of a JSON-lines part chunk by chunk; refuses more than declared, or
    a line longer than MAX_LINE."""

    def __init__(self, name: str, declared: int) -> None:
        self.name, self.declared = name, declared
        # A line of proofs.jsonl is one signed list of digests: up to MAX_ROWS of them.
        self.limit = MAX_PROOF_LINE if name == PROOFS else MAX_LINE
        self.lines = 0
        self.since = 0  # bytes since the last newline

    def feed(self, chunk: bytes) -> None:
        found = chunk.count(b"\n")
        if found:
            self.lines += found
            if self.lines > self.declared:
                raise PackageError("more_lines", name=self.name, declared=self.declared)
            # Within one chunk (64 KB) no line can pass the limit; across chunks it adds up.
            self.since = len(chunk) - chunk.rfind(b"\n") - 1
        else:
            self.since += len(chunk)
        if self.since > self.limit:
            raise PackageError("long_line", name=self.name, limit=self.limit // 2**20)


def verify_parts(
    zf: zipfile.ZipFile,
    members: dict[str, zipfile.ZipInfo],
    declared: list[dict[str, Any]],
    fixed: set[str],
    allowed: re.Pattern[str],
) -> Content:
    """Every member declared, every declared part present with its size and hash."""
    names = [d["name"] for d in declared]
    if len(set(names)) != len(names):
        raise PackageError("bad_manifest", detail="parts")
    for name in names:
        if not _safe_name(name) or not allowed.match(name):
            raise PackageError("bad_name", name=name)
    for name in members:
        if name not in fixed and name not in names:
            raise PackageError("undeclared", name=name)
    if over_limits(sum(d["size"] for d in declared), 0):
        raise PackageError("too_big", limit=MAX_TOTAL_BYTES // 2**20)
    content = Content(zf)
    for part in declared:
        info = members.get(part["name"])
        if info is None:
            raise PackageError("missing_part", name=part["name"])
        if info.file_size != part["size"]:
            raise PackageError("size", name=part["name"])
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageError("ratio", name=part["name"])
    lined = [d for d in declared if d["name"].endswith(".jsonl")]
    if (
        any(d["rows"] > MAX_ROWS for d in lined)
        or sum(d["rows"] for d in lined if d["name"].startswith("rows/")) > MAX_ROWS
    ):
        biggest = max(lined, key=lambda d: d["rows"])
        raise PackageError(
            "too_many_rows",
            limit=f"{MAX_ROWS:,}".replace(",", "."),
            name=biggest["name"],
            rows=biggest["rows"],
        )
    for part in declared:
        info = members[part["name"]]
        digest = hashlib.sha256()
        keep = not part["name"].startswith("attachments/")
        # Held once: filled in place up to the declared size (which _read_bounded enforces),
        # never grown nor copied.
        buffer = bytearray(part["size"] if keep else 0)
        view = memoryview(buffer)
        # Lines counted as they stream: more than declared (or one too long) is refused
        # before the part is held whole, split or parsed.
        lines = (
            _LineCounter(part["name"], part["rows"]) if part["name"].endswith(".jsonl") else None
        )
        filled = [0]

        def sink(
            chunk: bytes,
            keep: bool = keep,
            view: memoryview = view,
            filled: list[int] = filled,
            digest: Any = digest,
            lines: _LineCounter | None = lines,
        ) -> None:
            digest.update(chunk)
            if lines is not None:
                lines.feed(chunk)
            if keep:
                view[filled[0] : filled[0] + len(chunk)] = chunk
                filled[0] += len(chunk)

        size = _read_bounded(zf, info, part["size"], sink)
        view.release()
        if size != part["size"]:
            raise PackageError("size", name=part["name"])
        if digest.hexdigest() != part["sha256"]:
            raise PackageError("hash", name=part["name"])
        if keep:
            content.texts[part["name"]] = buffer
            content.rows_declared[part["name"]] = part["rows"]
        else:
            sha = part["name"].split("/", 1)[1]
            if sha != part["sha256"]:
                raise PackageError("hash", name=part["name"])
            content.attachments[sha] = info
    return content


@dataclass
class SignedPackage:
    """The outer zip, its manifest verified against the signature it carries."""

    zf: zipfile.ZipFile
    members: dict[str, zipfile.ZipInfo]
    manifest: dict[str, Any]

    def __enter__(self) -> SignedPackage:
        return self

    def __exit__(self, *_exc: object) -> None:
        # Closed whatever the verdict: a refused package must not stay open (on Windows the
        # user could not move or delete the file until the process let it go).
        self.zf.close()


def _check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict):
        raise PackageError("bad_manifest", detail="không phải đối tượng JSON")
    if manifest.get("format") != FORMAT:
        raise PackageError("wrong_format")
    version = manifest.get("format_version")
    if type(version) is not int or version < 1:
        raise PackageError("bad_manifest", detail="format_version")
    if version > FORMAT_VERSION:
        raise UserError(MESSAGES["too_new"].format(version=version))
    source = manifest.get("source")
    if not (
        isinstance(source, dict)
        and all(isinstance(source.get(k), str) and source[k] for k in ("id", "name", "public_key"))
        and isinstance(source.get("encryption_key"), str | None)
    ):
        raise PackageError("bad_manifest", detail="source")
    if not isinstance(manifest.get("package_id"), str) or not manifest["package_id"]:
        raise PackageError("bad_manifest", detail="package_id")
    if manifest.get("encryption") not in ("none", "recipient", "passphrase"):
        raise PackageError("bad_manifest", detail="encryption")
    if manifest["encryption"] != "none" and not isinstance(manifest.get("encryption_params"), dict):
        raise PackageError("bad_manifest", detail="encryption_params")
    devices = manifest.get("devices", [])
    if not isinstance(devices, list) or not all(
        isinstance(d, dict)
        and all(isinstance(d.get(k), str) for k in ("id", "name"))
        and isinstance(d.get("public_key"), str | None)
        and isinstance(d.get("fingerprint"), str | None)
        and isinstance(d.get("encryption_key"), str | None)
        for d in devices
    ):
        raise PackageError("bad_manifest", detail="devices")
    scope = manifest.get("scope", {})
    if not isinstance(scope, dict) or not isinstance(scope.get("plan_id"), str | None):
        raise PackageError("bad_manifest", detail="scope")
    return manifest


def read_signed(path: Path) -> SignedPackage:
    """Open the file, check the member list and verify the manifest's signature."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from desktop.sync.keys import unb64

    zf, members = open_zip(path)
    try:
        if MANIFEST not in members:
            raise PackageError("no_manifest")
        if SIGNATURE not in members:
            raise PackageError("no_signature")
        manifest_bytes = read_member(zf, members[MANIFEST], MAX_MANIFEST_BYTES)
        signature = read_member(zf, members[SIGNATURE], 1024)
        # Parsed before the signature can be checked (the key is inside): bounded first.
        manifest = _check_manifest(parse_document(manifest_bytes, MANIFEST))
        try:
            public_key = Ed25519PublicKey.from_public_bytes(
                unb64(manifest["source"]["public_key"], 32)
            )
            public_key.verify(signature, manifest_bytes)
        except (InvalidSignature, ValueError) as exc:
            raise PackageError("bad_signature") from exc
    except BaseException:
        zf.close()
        raise
    return SignedPackage(zf, members, manifest)


OUTER_PLAIN = _PART_NAME
OUTER_ENCRYPTED = re.compile(r"^payload\.bin$")


def read_content(signed: SignedPackage, decrypt: Any) -> Content:
    """Verify the parts; for an encrypted package `decrypt(ciphertext) -> inner zip bytes`."""
    declared = _declared_parts(signed.manifest.get("parts"))
    fixed = {MANIFEST, SIGNATURE}
    if signed.manifest["encryption"] == "none":
        return verify_parts(signed.zf, signed.members, declared, fixed, OUTER_PLAIN)
    outer = verify_parts(signed.zf, signed.members, declared, fixed, OUTER_ENCRYPTED)
    if PAYLOAD not in outer.texts:
        raise PackageError("missing_part", name=PAYLOAD)
    # The ciphertext is let go as soon as it is decrypted: the inner parts are read while
    # only the plaintext (the inner zip, whose attachments an import streams) is held.
    inner_bytes = decrypt(outer.texts.pop(PAYLOAD))
    zf, members = open_zip(inner_bytes)
    if INDEX not in members:
        raise PackageError("missing_part", name=INDEX)
    index = parse_document(read_member(zf, members[INDEX], MAX_MANIFEST_BYTES), INDEX)
    if not isinstance(index, dict):
        raise PackageError("bad_manifest", detail=INDEX)
    return verify_parts(zf, members, _declared_parts(index.get("parts")), {INDEX}, _PART_NAME)
