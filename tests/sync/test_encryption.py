"""Encryption that says what went wrong, with passphrases and a KDF cost for today (issue 15,
finding 10): "wrong key" is not said of a corrupt payload, nor "wrong passphrase" of tampered
scrypt parameters; new passphrases have at least 12 characters and scrypt runs at N = 2^17,
while packages made before (N = 2^15, short passphrases) still open."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop.services.demo import build_demo
from desktop.sync import crypto
from desktop.sync import package as pkg
from tests.sync.helpers import Laptop, full_dump, read_members, rebuild


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("crypto")
    sender = Laptop(root, "may-1")
    build_demo(sender.store)
    receiver = Laptop(root, "thu-ky")
    receiver.cli("device", "trust", sender.info()["fingerprint"], "--name", "may-1")
    # The receiver's encryption key reaches the sender with one of its packages.
    hello = root / "hello.kiemtra"
    receiver.cli("sync", "export", "-o", str(hello), "--full")
    sender.cli("device", "trust", receiver.info()["fingerprint"], "--name", "thu-ky")
    sender.cli("sync", "import", str(hello))
    secret = root / "pass.txt"
    secret.write_text("mật khẩu của đoàn kiểm tra", encoding="utf-8")
    locked = root / "locked.kiemtra"
    sender.cli("sync", "export", "-o", str(locked), "--full", "--passphrase-file", str(secret))
    sealed = root / "sealed.kiemtra"
    recipient = receiver.info()["fingerprint"]
    sender.cli("sync", "export", "-o", str(sealed), "--full", "--for", recipient)
    yield {
        "root": root,
        "sender": sender,
        "receiver": receiver,
        "secret": secret,
        "locked": locked,
        "sealed": sealed,
    }
    sender.close()
    receiver.close()


def _refused(world: dict[str, Any], path: Path, *extra: str) -> str:
    receiver: Laptop = world["receiver"]
    before = full_dump(receiver.db_path)
    result = receiver.cli("sync", "import", str(path), *extra, ok=False)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("Lỗi: "), result
    assert full_dump(receiver.db_path) == before
    return lines[0]


def _params(path: Path) -> dict[str, Any]:
    return dict(json.loads(read_members(path)[pkg.MANIFEST])["encryption_params"])


def test_new_passphrase_packages_use_scrypt_at_2_17(pair: dict[str, Any]) -> None:
    params = _params(pair["locked"])
    assert params["n"] >= 2**17 and (params["r"], params["p"]) == (8, 1)


def test_a_short_passphrase_is_refused_for_a_new_export(
    pair: dict[str, Any], tmp_path: Path
) -> None:
    short = tmp_path / "short.txt"
    short.write_text("mười một kt", encoding="utf-8")  # 11 characters
    result = pair["sender"].cli(
        "sync", "export", "-o", str(tmp_path / "x.kiemtra"), "--passphrase-file", str(short),
        ok=False,
    )  # fmt: skip
    assert result.exit_code != 0 and "12 ký tự" in result.stderr
    assert not (tmp_path / "x.kiemtra").exists()


def test_packages_made_before_still_open(
    pair: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier version's package: N = 2^15, a 4-character passphrase, no key check."""
    from desktop.sync import export

    monkeypatch.setattr(crypto, "SCRYPT_N", 2**15)
    monkeypatch.setattr(crypto, "KEY_CHECK", False)
    monkeypatch.setattr(export, "MIN_PASSPHRASE", 1)
    old = tmp_path / "old.kiemtra"
    short = tmp_path / "short.txt"
    short.write_text("đúng", encoding="utf-8")
    pair["sender"].cli("sync", "export", "-o", str(old), "--full", "--passphrase-file", str(short))
    monkeypatch.undo()
    assert _params(old)["n"] == 2**15 and "key_check" not in _params(old)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("sai", encoding="utf-8")
    assert "mật khẩu" in _refused(pair, old, "--passphrase-file", str(wrong))
    other = Laptop(tmp_path, "khac")
    other.cli("device", "trust", pair["sender"].info()["fingerprint"], "--name", "may-1")
    result = other.cli.json("sync", "import", str(old), "--passphrase-file", str(short))
    assert result["inserted"] > 100
    other.close()


def test_wrong_passphrase_and_tampered_scrypt_parameters_differ(
    pair: dict[str, Any],
) -> None:
    wrong = pair["root"] / "wrong.txt"
    wrong.write_text("một mật khẩu khác hẳn", encoding="utf-8")
    message = _refused(pair, pair["locked"], "--passphrase-file", str(wrong))
    assert "mật khẩu không đúng" in message
    secret = ("--passphrase-file", str(pair["secret"]))
    # A key holder re-signs a cost this laptop refuses (N = 2^30 would take 128 GB).
    for n, r, p in ((2**30, 8, 1), (2**17, 1024, 1), (2**17, 8, 64), (3, 8, 1)):

        def cost(
            manifest: dict[str, Any], members: dict[str, bytes], n: int = n, r: int = r, p: int = p
        ) -> None:
            manifest["encryption_params"].update(n=n, r=r, p=p)

        path = rebuild(pair["locked"], pair["root"] / "cost.kiemtra", pair["sender"], cost)
        message = _refused(pair, path, *secret)
        assert "tham số mã hóa" in message and "mật khẩu không đúng" not in message


def _corrupt_payload(world: dict[str, Any], source: Path, name: str) -> Path:
    """The payload's ciphertext changed and re-declared and re-signed by the sender."""

    def mutate(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        payload = bytearray(members[pkg.PAYLOAD])
        payload[len(payload) // 2] ^= 0x55
        members[pkg.PAYLOAD] = bytes(payload)

    return rebuild(source, world["root"] / f"{name}.kiemtra", world["sender"], mutate)


def test_a_corrupt_payload_is_not_called_a_wrong_key(pair: dict[str, Any]) -> None:
    message = _refused(pair, _corrupt_payload(pair, pair["sealed"], "sealed-bad"))
    assert "bị hỏng" in message and "khóa của máy này" not in message
    path = _corrupt_payload(pair, pair["locked"], "locked-bad")
    message = _refused(pair, path, "--passphrase-file", str(pair["secret"]))
    assert "bị hỏng" in message and "mật khẩu không đúng" not in message


def test_a_wrong_key_is_called_a_wrong_key(pair: dict[str, Any], tmp_path: Path) -> None:
    """Sealed for this laptop's fingerprint, but with another key's exchange (a key replaced)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from desktop.sync.keys import b64

    stranger = X25519PrivateKey.generate().public_key()
    raw = stranger.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    def reseal(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        aad = manifest["package_id"].encode("ascii")
        params, payload = crypto.encrypt_for_recipient(b"inner", b64(raw), aad)
        manifest["encryption_params"] = {
            **params,
            "recipient": pair["receiver"].info()["fingerprint"],
        }
        members[pkg.PAYLOAD] = payload

    path = rebuild(pair["sealed"], tmp_path / "other-key.kiemtra", pair["sender"], reseal)
    assert "khóa của máy này" in _refused(pair, path)


def test_an_unknown_kdf_or_cipher_is_refused_not_ignored(pair: dict[str, Any]) -> None:
    """Found by hand (attack session): a key holder re-signed "kdf": "pbkdf2" (or another
    cipher) and the package was opened with scrypt and AES-GCM anyway: the parameters it
    names must be the ones used, or the package is refused as unsupported."""
    secret = ("--passphrase-file", str(pair["secret"]))
    for field, value in (("kdf", "pbkdf2"), ("cipher", "ChaCha20"), ("kdf", None)):

        def name(
            manifest: dict[str, Any], members: dict[str, bytes], f: str = field, v: Any = value
        ) -> None:
            manifest["encryption_params"][f] = v

        path = rebuild(pair["locked"], pair["root"] / "kdf.kiemtra", pair["sender"], name)
        message = _refused(pair, path, *secret)
        assert "tham số mã hóa" in message, message

    def cipher(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        manifest["encryption_params"]["cipher"] = "AES-128-CBC"

    path = rebuild(pair["sealed"], pair["root"] / "cipher.kiemtra", pair["sender"], cipher)
    assert "tham số mã hóa" in _refused(pair, path)
