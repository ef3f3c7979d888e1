"""Damaged, forged, oversized and escaping packages are refused; the database is untouched."""

from __future__ import annotations

import json
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import build_demo
from desktop.sync import package as pkg
from tests.sync.helpers import (
    Laptop,
    full_dump,
    read_members,
    rebuild,
    rows_of,
    set_rows,
    with_manifest,
    write_members,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A laptop with a plan and an attachment, its package, and a receiver that trusts it."""
    from desktop.services.attachments import add_attachment

    root = tmp_path_factory.mktemp("refusals")
    sender = Laptop(root, "may-1")
    plan_id = build_demo(sender.store)
    insp = sender.store.planning.inspections(plan_id)[0]["id"]
    item = sender.store.findings.item_id_for_code(insp, "A1.1.1")
    source = root / "anh.jpg"
    source.write_bytes(b"\xff\xd8 anh chup ho so " * 50)
    add_attachment(sender.store, sender.data_dir, insp, item, source)
    good = root / "good.kiemtra"
    sender.cli("sync", "export", "-o", str(good), "--full")
    secret = root / "pass.txt"
    secret.write_text("mật khẩu đúng của đoàn", encoding="utf-8")
    locked = root / "locked.kiemtra"
    sender.cli("sync", "export", "-o", str(locked), "--full", "--passphrase-file", str(secret))
    receiver = Laptop(root, "thu-ky")
    receiver.cli("device", "trust", sender.info()["fingerprint"], "--name", "may-1")
    yield {
        "root": root,
        "sender": sender,
        "receiver": receiver,
        "good": good,
        "locked": locked,
        "secret": secret,
    }
    sender.close()
    receiver.close()


def assert_refused(world: dict[str, Any], path: Path, *extra: str, says: str = "") -> str:
    receiver: Laptop = world["receiver"]
    before = full_dump(receiver.db_path)
    result = receiver.cli("sync", "import", str(path), "--json", *extra, ok=False)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: "), result.stderr
    assert says in lines[0], lines[0]
    assert full_dump(receiver.db_path) == before
    return lines[0]


def tampered(world: dict[str, Any], name: str, mutate: Callable[..., None], **kw: Any) -> Path:
    signer = kw.pop("signer", world["sender"])
    return rebuild(world["good"], world["root"] / f"{name}.kiemtra", signer, mutate, **kw)


def test_the_good_package_is_accepted_in_a_copy(world: dict[str, Any], tmp_path: Path) -> None:
    """The control: the untampered package imports (into a separate laptop)."""
    other = Laptop(tmp_path, "khac")
    result = other.cli.json("sync", "import", str(world["good"]), "--trust-new")
    assert result["inserted"] > 100
    other.close()


def test_not_a_zip_and_truncated(world: dict[str, Any]) -> None:
    junk = world["root"] / "junk.kiemtra"
    junk.write_bytes(b"this is not a package" * 20)
    assert_refused(world, junk, says="Gói đồng bộ bị hỏng")
    data = world["good"].read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 100):
        short = world["root"] / f"short{cut}.kiemtra"
        short.write_bytes(data[:cut])
        assert_refused(world, short, says="Gói đồng bộ bị hỏng")
    assert_refused(world, world["root"] / "absent.kiemtra", says="Không tìm thấy")


def test_a_flipped_byte_in_any_part(world: dict[str, Any]) -> None:
    data = world["good"].read_bytes()
    with zipfile.ZipFile(world["good"]) as zf:
        infos = zf.infolist()
    assert any(i.filename.startswith("attachments/") for i in infos)
    for info in infos:
        # Where the member's compressed bytes start: after its local header.
        name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
        start = info.header_offset + 30 + name_len + extra_len
        for offset in {start, start + info.compress_size // 2, start + info.compress_size - 1}:
            flipped = bytearray(data)
            flipped[offset] ^= 0x01
            path = world["root"] / "flipped.kiemtra"
            path.write_bytes(bytes(flipped))
            if info.compress_type == zipfile.ZIP_DEFLATED and _same_content(path, world["good"]):
                # A deflate bit that changes nothing (the padding of the last byte): the
                # content, which is what the hashes cover, is the good package's.
                continue
            assert_refused(world, path, says="Gói đồng bộ bị hỏng")


def _same_content(path: Path, good: Path) -> bool:
    try:
        return read_members(path) == read_members(good)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError):
        return False


def test_changed_content_keeps_no_valid_hash(world: dict[str, Any]) -> None:
    def edit(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, "findings")
        last = rows[0]["item_code"][-1]
        rows[0]["item_code"] = rows[0]["item_code"][:-1] + ("8" if last != "8" else "9")
        set_rows(members, "findings", rows)

    path = tampered(world, "edited", edit, redeclare=False)
    assert_refused(world, path, says="sai mã băm")


def test_signature_bad_missing_or_forged(world: dict[str, Any], tmp_path: Path) -> None:
    members = read_members(world["good"])
    manifest = json.loads(members["manifest.json"])
    manifest["created"] = "2000-01-01T00:00:00+07:00"
    members["manifest.json"] = pkg.canonical_json(manifest)
    forged = world["root"] / "forged.kiemtra"
    write_members(forged, members)
    assert_refused(world, forged, says="chữ ký không hợp lệ")
    del members["manifest.sig"]
    write_members(forged, members)
    assert_refused(world, forged, says="thiếu chữ ký")
    # Signed by a key nobody trusts (claiming to be the same device).
    stranger = Laptop(tmp_path, "la")
    stranger.info()

    def claim(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        from desktop.sync.keys import load_keys

        keys = load_keys(stranger.data_dir, stranger.store.device_id)
        assert keys is not None
        manifest["source"]["public_key"] = keys.public_key

    path = tampered(world, "stranger", claim, signer=stranger)
    assert_refused(world, path, says="chưa được tin cậy")
    stranger.close()


def test_revoked_key_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    other = Laptop(tmp_path, "khac")
    fingerprint = world["sender"].info()["fingerprint"]
    other.cli("device", "trust", fingerprint, "--name", "may-1")
    other.cli("device", "revoke", fingerprint)
    before = full_dump(other.db_path)
    result = other.cli("sync", "import", str(world["good"]), "--trust-new", ok=False)
    assert result.exit_code != 0 and "thu hồi" in result.stderr
    assert full_dump(other.db_path) == before
    other.close()


def test_newer_format_version(world: dict[str, Any]) -> None:
    def newer(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["format_version"] = pkg.FORMAT_VERSION + 1

    assert_refused(world, tampered(world, "newer", newer), says="phiên bản mới hơn")


@pytest.mark.parametrize(
    "name",
    [
        "../evil.txt",
        "/etc/evil",
        pytest.param(
            "rows\\findings.jsonl",
            marks=pytest.mark.skipif(
                sys.platform == "win32",
                reason="Windows' zipfile writes and reads \\ as /: no such name reaches the check",
            ),
        ),
        "a/../b",
    ],
)
def test_paths_that_escape(world: dict[str, Any], name: str) -> None:
    def escape(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members[name] = b"x"

    assert_refused(world, tampered(world, "escape", escape), says="đường dẫn không hợp lệ")


def test_more_or_larger_entries_than_declared(world: dict[str, Any]) -> None:
    def extra(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members["versions.jsonl.bak"] = b"x"

    assert_refused(world, tampered(world, "extra", extra, redeclare=False), says="Gói")

    def undeclared(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members["attachments/" + "0" * 64] = b"x"

    assert_refused(
        world, tampered(world, "undeclared", undeclared, redeclare=False), says="không được khai"
    )

    def bigger(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        for part in manifest["parts"]:
            if part["name"] == "rows/findings.jsonl":
                part["size"] -= 10

    assert_refused(world, tampered(world, "bigger", bigger, redeclare=False), says="kích thước")


def test_zip_bomb(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    def bomb(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members["rows/remediations.jsonl"] = b"\n" * (40 * 1024 * 1024)

    path = tampered(world, "bomb", bomb)
    assert_refused(world, path, says="bom nén")
    monkeypatch.setattr(pkg, "MAX_TOTAL_BYTES", 10_000)
    assert_refused(world, world["good"], says="quá lớn")


def _rows_edit(table: str, change: Callable[[list[dict[str, Any]]], None]) -> Callable[..., None]:
    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        rows = rows_of(members, table)
        change(rows)
        set_rows(members, table, rows)

    return mutate


@pytest.mark.parametrize(
    ("table", "change", "says"),
    [
        ("plans", lambda rows: rows[0].update(year="hai nghìn"), "sai kiểu"),
        ("findings", lambda rows: rows[0].update(score="10"), "sai kiểu"),
        ("units", lambda rows: rows[0].pop("name"), "thiếu trường bắt buộc"),
        ("units", lambda rows: rows[0].update(hlc=None), "thiếu trường bắt buộc"),
        ("units", lambda rows: rows[0].update(mat_khau="x"), "cột không xác định"),
        ("units", lambda rows: rows[0].update(hlc="hôm qua"), "dấu thời gian"),
        ("units", lambda rows: rows.append(dict(rows[0])), "trùng lặp"),
        (
            "findings",
            lambda rows: rows[0].update(inspection_id="00000000-0000-4000-8000-000000000000"),
            "không có trong gói",
        ),
        ("findings", lambda rows: rows[0].update(inspection_id="khong-co"), "“inspection_id”"),
        ("units", lambda rows: rows[0].update(id="../../etc"), "mã “id” không hợp lệ"),
        ("units", lambda rows: rows[0].update(parent_id="DROP TABLE"), "“parent_id”"),
        ("findings", lambda rows: rows[0].update(hlc="1700000000000.1.x y"), "dấu thời gian"),
    ],
)
def test_rows_that_do_not_fit_the_schema(
    world: dict[str, Any], table: str, change: Callable[..., None], says: str
) -> None:
    assert_refused(world, tampered(world, "schema", _rows_edit(table, change)), says=says)


def test_unknown_table(world: dict[str, Any]) -> None:
    def bogus(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        members["rows/mat_khau.jsonl"] = b'{"id": "x"}\n'

    assert_refused(world, tampered(world, "table", bogus), says="bảng không xác định")


def test_missing_parent_and_missing_attachment(world: dict[str, Any]) -> None:
    def orphan(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        del members["rows/inspections.jsonl"]

    assert_refused(world, tampered(world, "orphan", orphan), says="không có trong gói")

    def no_file(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        for name in [n for n in members if n.startswith("attachments/")]:
            del members[name]

    assert_refused(world, tampered(world, "nofile", no_file), says="thiếu tệp đính kèm")


def test_wrong_or_missing_passphrase(world: dict[str, Any]) -> None:
    wrong = world["root"] / "wrong.txt"
    wrong.write_text("sai", encoding="utf-8")
    assert_refused(world, world["locked"], "--passphrase-file", str(wrong), says="mật khẩu")
    assert_refused(world, world["locked"], says="--passphrase-file")


def test_nothing_written_before_a_refusal_even_attachments(world: dict[str, Any]) -> None:
    receiver: Laptop = world["receiver"]
    assert not (receiver.data_dir / "attachments").exists()


# -- bounded parsing before the signature (issue 15, finding 5) ----------------------------
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE = b"9" * 5_000


def _with_manifest(world: dict[str, Any], name: str, manifest: bytes, signed: bool) -> Path:
    """The good package with these exact manifest bytes (signed by the sender when asked)."""
    target = world["root"] / f"{name}.kiemtra"
    return with_manifest(world["good"], target, manifest, world["sender"] if signed else None)


@pytest.mark.parametrize("signed", [False, True])
def test_a_deeply_nested_manifest(world: dict[str, Any], signed: bool) -> None:
    path = _with_manifest(world, "deep", b'{"format":' + DEEP + b"}", signed)
    assert_refused(world, path, says="manifest.json không hợp lệ")
    path = _with_manifest(world, "deep-bare", DEEP, signed)
    assert_refused(world, path, says="manifest.json không hợp lệ")


@pytest.mark.parametrize("signed", [False, True])
def test_a_huge_integer_in_the_manifest(world: dict[str, Any], signed: bool) -> None:
    good = read_members(world["good"])[pkg.MANIFEST]
    current = b'"format_version":%d' % pkg.FORMAT_VERSION
    assert current in good
    manifest = good.replace(current, b'"format_version":' + HUGE)
    path = _with_manifest(world, "huge", manifest, signed)
    assert_refused(world, path, says="manifest.json không hợp lệ (số quá lớn)")


@pytest.mark.parametrize("value", [DEEP, HUGE, b"NaN", b"Infinity", b"-Infinity", b"1e999"])
def test_rows_with_huge_deep_or_non_finite_values(world: dict[str, Any], value: bytes) -> None:
    """A key holder writes them into a row: refused with one line, nothing written."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        lines = members["rows/findings.jsonl"].splitlines()
        row = json.loads(lines[0])
        row["score"] = 0.5
        text = pkg.canonical_json(row).replace(b'"score":0.5', b'"score":' + value)
        members["rows/findings.jsonl"] = b"\n".join([text, *lines[1:]]) + b"\n"

    message = assert_refused(world, tampered(world, "values", mutate), says="rows/findings")
    assert "dòng 1" in message


def test_a_score_above_the_items_maximum(world: dict[str, Any]) -> None:
    """The service refuses it when typed; a package must not bring it in either."""
    sender: Laptop = world["sender"]

    def above(rows: list[dict[str, Any]]) -> None:
        item = sender.store.core.get_row("checklist_items", rows[0]["item_id"]) or {}
        rows[0]["score"] = float(item["max_score"] or 0) + 0.5

    message = assert_refused(world, tampered(world, "above", _rows_edit("findings", above)))
    assert "điểm" in message and "tối đa" in message

    def negative(rows: list[dict[str, Any]]) -> None:
        rows[0]["self_score"] = -1

    assert_refused(
        world, tampered(world, "negative", _rows_edit("findings", negative)), says="điểm"
    )


@pytest.mark.parametrize("value", [b"Infinity", b"NaN", b"1e999"])
def test_scores_json_never_prints_infinity(
    world: dict[str, Any], tmp_path: Path, value: bytes
) -> None:
    """A newer version of a finding scored Infinity (or NaN) is refused; `scores --json` stays
    JSON (json.loads with NaN and Infinity refused reads it)."""
    import time

    other = Laptop(tmp_path, "khac")
    other.cli("device", "trust", world["sender"].info()["fingerprint"], "--name", "may-1")
    other.cli("sync", "import", str(world["good"]))
    sender: Laptop = world["sender"]

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        lines = members["rows/findings.jsonl"].splitlines()
        row = json.loads(lines[0])
        stamp = f"{int(time.time() * 1000):013d}.00000.{sender.store.device_id}"
        row.update(score=0.5, hlc=stamp, base_hlc=row["hlc"])
        text = pkg.canonical_json(row).replace(b'"score":0.5', b'"score":' + value)
        members["rows/findings.jsonl"] = b"\n".join([text, *lines[1:]]) + b"\n"

    path = tampered(world, "infinite", mutate)
    result = other.cli("sync", "import", str(path), ok=False)
    assert result.exit_code != 0 and "số không hữu hạn" in result.stderr
    plan_id = other.cli.json("plans")[0]["id"]
    out = other.cli("scores", plan_id, "--json").stdout

    def refuse(name: str) -> Any:
        raise AssertionError(f"scores --json printed {name}")

    json.loads(out, parse_constant=refuse)
    other.close()
