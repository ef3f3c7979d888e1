"""The costliest packages an import accepts (issue 15, finding 5): every bound in
desktop/sync/package.py met, every row valid and proven by its author, signed by the sender.

    rows      MAX_ROWS tiny units rows, an edge for each (versions.jsonl), one proof line
    notes     about MAX_TOTAL_BYTES of long Vietnamese text (findings' notes, units' names)
    edges     MAX_ROWS history edges of rows the package does not carry
    encrypted the `notes` package with incompressible notes, sealed with a passphrase

`scale` shrinks every count (the suite's cheap versions). Run as a script to measure a dry
run and an import of each in its own process:

    python -m tests.sync.worst_packages [KIND ...] [--scale S]
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.sync import package as pkg
from tests.sync.helpers import Laptop, read_members, rebuild

KINDS = ("rows", "notes", "edges", "encrypted")
PASSPHRASE = "mật khẩu đủ dài cho gói thử"
# Below the 1 MB line bound, with room for the rest of the row.
LONG = pkg.MAX_LINE - 4096

_WORDS = (
    "kế hoạch cải cách hành chính năm ban hành đúng thời hạn chậm so với nhiệm vụ cơ quan chủ "
    "trì hoàn thành tỷ lệ hồ sơ giải quyết trước hạn đúng hạn quá hạn thủ tục trực tuyến toàn "
    "trình một phần tiếp nhận trả kết quả đánh giá mức độ hài lòng của người dân doanh nghiệp "
    "đơn vị sự nghiệp công lập ủy ban nhân dân huyện xã phường thị trấn sở ngành tỉnh"
).split()


def _text(size: int, rng: random.Random, incompressible: bool) -> str:
    """About `size` bytes of UTF-8: Vietnamese words (2 bytes a character in Python, the most
    a str of them costs), or base64 of random bytes (does not deflate)."""
    if incompressible:
        return base64.b64encode(rng.randbytes(size * 3 // 4)).decode("ascii")
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(_WORDS)
        out.append(word)
        length += len(word.encode("utf-8")) + 1
    return " ".join(out)[:size]


def _uuid(i: int, kind: int) -> str:
    return f"{i:08x}-{kind:04x}-4000-8000-{i:012x}"


def _stamp(wall: int, i: int, device: str) -> str:
    return f"{wall + i // 100_000:013d}.{i % 100_000:05d}.{device}"


def _device_and_wall(members: dict[str, bytes]) -> tuple[str, int]:
    first = json.loads(members["rows/units.jsonl"].split(b"\n", 1)[0])
    return first["origin"], int(first["hlc"].split(".")[0]) + 1000


def _tiny_rows(count: int) -> Callable[[dict[str, Any], dict[str, bytes]], None]:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        device, wall = _device_and_wall(members)
        carried = sum(
            data.count(b"\n") for name, data in members.items() if name.startswith("rows/")
        )
        rows, edges = [], []
        for i in range(count - carried):
            row_id, stamp = _uuid(i, 1), _stamp(wall, i, device)
            row = {"deleted": 0, "hlc": stamp, "id": row_id, "level": "so", "name": "x"}
            rows.append(pkg.canonical_json({**row, "origin": device}) + b"\n")
            edges.append(pkg.canonical_json(["units", row_id, stamp, ""]) + b"\n")
        members["rows/units.jsonl"] += b"".join(rows)
        have = members[pkg.VERSIONS].count(b"\n")
        members[pkg.VERSIONS] += b"".join(edges[: max(0, count - have)])

    return mutate


def _long_text(
    total: int, incompressible: bool
) -> Callable[[dict[str, Any], dict[str, bytes]], None]:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rng = random.Random(5)
        device, wall = _device_and_wall(members)
        room = total - sum(len(v) for k, v in members.items() if k.startswith(("rows/", "v")))
        room -= 2 * 2**20  # the proofs, the manifest and what the lines add
        findings = [json.loads(line) for line in members["rows/findings.jsonl"].splitlines()]
        each = min(LONG, room // (len(findings) + 1))
        lines = []
        for row in findings:
            row["note"] = _text(each, rng, incompressible)
            lines.append(pkg.canonical_json(row) + b"\n")
            room -= each
        members["rows/findings.jsonl"] = b"".join(lines)
        units, edges, i = [], [], 0
        while room > 4096:
            name = _text(min(each, room - 2048), rng, incompressible)
            row_id, stamp = _uuid(i, 2), _stamp(wall, i, device)
            units.append(
                pkg.canonical_json(
                    {"deleted": 0, "hlc": stamp, "id": row_id, "level": "so", "name": name}
                    | {"origin": device}
                )
                + b"\n"
            )
            edges.append(pkg.canonical_json(["units", row_id, stamp, ""]) + b"\n")
            room -= len(units[-1]) + len(edges[-1])
            i += 1
        members["rows/units.jsonl"] += b"".join(units)
        members[pkg.VERSIONS] += b"".join(edges)

    return mutate


def _edges(count: int) -> Callable[[dict[str, Any], dict[str, bytes]], None]:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        device, wall = _device_and_wall(members)
        have = members[pkg.VERSIONS].count(b"\n")
        members[pkg.VERSIONS] += b"".join(
            pkg.canonical_json(["units", _uuid(i, 3), _stamp(wall, i, device), ""]) + b"\n"
            for i in range(count - have)
        )

    return mutate


def _encrypt(path: Path, sender: Laptop) -> Path:
    """The package at `path` sealed with PASSPHRASE (its parts in the inner zip), re-signed."""
    from desktop.sync import crypto
    from desktop.sync.keys import load_keys

    members = read_members(path)
    manifest = json.loads(members.pop(pkg.MANIFEST))
    members.pop(pkg.SIGNATURE)
    parts = [
        pkg.Part(name, data=data, rows=data.count(b"\n") if name.endswith(".jsonl") else 0)
        for name, data in members.items()
    ]
    inner = pkg.content_zip([p.finish() for p in parts])
    del members, parts
    aad = manifest["package_id"].encode("ascii")
    params, payload = crypto.encrypt_with_passphrase(inner, PASSPHRASE, aad)
    del inner
    outer = pkg.Part(pkg.PAYLOAD, data=payload, rows=0).finish()
    manifest.update(encryption="passphrase", encryption_params=params)
    manifest["parts"] = [outer.declaration()]
    manifest_bytes = pkg.canonical_json(manifest)
    keys = load_keys(sender.data_dir, sender.store.device_id)
    assert keys is not None
    pkg.write_package(path, manifest, keys.signing.sign(manifest_bytes), manifest_bytes, [outer])
    return path


def build(kind: str, root: Path, scale: float = 1.0) -> tuple[Path, Laptop, Laptop]:
    """The worst package of `kind` (at `scale` of the bounds), its sender and a receiver that
    has never seen the sender (an unknown key)."""
    sender = Laptop(root, "gui")
    sender.cli("demo")
    receiver = Laptop(root, "nhan")
    good = root / "good.kiemtra"
    sender.cli("sync", "export", "-o", str(good), "--full")
    rows, total = int(pkg.MAX_ROWS * scale), int(pkg.MAX_TOTAL_BYTES * scale)
    mutate = {
        "rows": _tiny_rows(rows),
        "notes": _long_text(total, incompressible=False),
        "edges": _edges(rows),
        "encrypted": _long_text(total, incompressible=True),
    }[kind]
    path = rebuild(good, root / f"{kind}.kiemtra", sender, mutate)
    if kind == "encrypted":
        _encrypt(path, sender)
    return path, sender, receiver


CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    limit = int(sys.argv[1])  # bytes of address space (0: none)
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from desktop.launcher import main
    sys.argv = ["kiemtra", *sys.argv[2:]]
    started = time.perf_counter()
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    # VmHWM: this process's own peak (ru_maxrss would count the parent's at the fork).
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    print(json.dumps({"code": code, "seconds": time.perf_counter() - started,
                      "rss": peak * 1024}), file=sys.stderr)
    """
)


def measure(db: Path, *args: str, address_space: int = 0) -> dict[str, Any]:
    """Run `kiemtra --db DB ARGS` in its own process (Linux: its peak RSS is read from
    /proc), within `address_space` bytes when given: exit code, wall seconds, peak RSS and
    the JSON it printed."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(address_space), "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    stats = json.loads(done.stderr.strip().splitlines()[-1])
    try:
        stats["output"] = json.loads(done.stdout)
    except ValueError:
        stats["output"] = done.stdout[-500:] + done.stderr[-500:]
    return stats


def main(argv: list[str]) -> None:
    scale = 1.0
    if "--scale" in argv:
        at = argv.index("--scale")
        scale = float(argv[at + 1])
        del argv[at : at + 2]
    for kind in argv or KINDS:
        with tempfile.TemporaryDirectory(prefix=f"worst-{kind}-") as tmp:
            started = time.perf_counter()
            path, sender, receiver = build(kind, Path(tmp), scale)
            sender.close()
            receiver.close()
            unpacked = sum(i.file_size for i in __import__("zipfile").ZipFile(path).infolist())
            print(
                f"{kind}: {path.stat().st_size / 2**20:.1f} MB file, "
                f"{unpacked / 2**20:.1f} MB unpacked (built in "
                f"{time.perf_counter() - started:.0f} s)",
                flush=True,
            )
            extra = []
            if kind == "encrypted":
                secret = Path(tmp) / "pass.txt"
                secret.write_text(PASSPHRASE, encoding="utf-8")
                extra = ["--passphrase-file", str(secret)]
            for label, flags in (("dry-run", ["--dry-run"]), ("import", ["--trust-new"])):
                stats = measure(
                    receiver.db_path, "sync", "import", str(path), *flags, *extra, "--json"
                )
                out = stats["output"]
                summary = (
                    {k: out.get(k) for k in ("inserted", "updated", "refused") if k in out}
                    if isinstance(out, dict)
                    else out
                )
                print(
                    f"  {label}: exit {stats['code']}, {stats['seconds']:.1f} s, "
                    f"peak RSS {stats['rss'] / 2**20:.0f} MB; {summary}",
                    flush=True,
                )


if __name__ == "__main__":
    main(sys.argv[1:])
