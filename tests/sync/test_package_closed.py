"""A package file is let go once judged, refused or not: on Windows a file left open cannot be
moved or deleted (found under Wine: the property test's temporary folder could not be removed
after a laptop refused a package, because the refusal left the zip open until the garbage
collector ran)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from desktop.services.demo import build_demo
from desktop.services.errors import UserError
from desktop.sync.importer import dry_run_verdict, import_package
from desktop.sync.preview import preview_package
from tests.sync.helpers import Laptop

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="open files are read from /proc (Linux)"
)


def _held(path: Path) -> bool:
    target = os.path.realpath(path)
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False


@pytest.fixture
def package(tmp_path: Path) -> tuple[Laptop, Laptop, Path]:
    sender, receiver = Laptop(tmp_path, "may-a"), Laptop(tmp_path, "may-b")
    build_demo(sender.store)
    out = tmp_path / "goi.kiemtra"
    sender.cli("sync", "export", "-o", str(out), "--full")
    yield sender, receiver, out
    sender.close()
    receiver.close()


def test_a_refused_import_lets_the_file_go(package: tuple[Laptop, Laptop, Path]) -> None:
    sender, receiver, out = package
    gc.disable()  # the garbage collector must not be what closes it
    try:
        with pytest.raises(UserError) as refused:
            import_package(receiver.store, out)  # an unknown sender: refused
        # The refusal kept (as a caller showing it does): its traceback must not hold the file.
        assert refused.value and not _held(out)
        verdict = dry_run_verdict(receiver.store, out)
        assert verdict["refused"] and not _held(out)
        preview_package(receiver.store, out)
        assert not _held(out)
        receiver.cli("device", "revoke", sender.info()["fingerprint"])
        with pytest.raises(UserError) as revoked:
            preview_package(receiver.store, out)
        assert revoked.value and not _held(out)
        receiver.cli("device", "trust", sender.info()["fingerprint"], "--name", "may-a")
        assert import_package(receiver.store, out, trust_new=True)["inserted"] > 0
        assert not _held(out)
    finally:
        gc.enable()


def test_a_broken_package_is_let_go_too(package: tuple[Laptop, Laptop, Path]) -> None:
    _sender, receiver, out = package
    data = bytearray(out.read_bytes())
    data[-30] ^= 0xFF  # the central directory's end: no zip, or a bad one
    out.write_bytes(bytes(data))
    gc.disable()
    try:
        with pytest.raises(UserError) as refused:
            import_package(receiver.store, out, trust_new=True)
        assert refused.value and not _held(out)
    finally:
        gc.enable()
