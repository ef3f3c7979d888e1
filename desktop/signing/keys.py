"""Where the signing key is: a PKCS#12 file or a PKCS#11 token (a USB token of Ban Cơ yếu
Chính phủ, VNPT-CA, Viettel-CA…). Each becomes a pyHanko signer whose certificate has been
checked (in date, allowed to sign) before any document is touched.

The token library (python-pkcs11) is imported only here, only when a token is used: it never
runs at start-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.services.errors import UserError

if TYPE_CHECKING:
    from asn1crypto import x509
    from pyhanko.sign.signers import Signer


class SigningError(UserError):
    """A document cannot be signed (bad key, certificate, file): one Vietnamese line."""


@dataclass(frozen=True)
class Pkcs12Key:
    """A PKCS#12 file (.p12/.pfx) and its passphrase."""

    path: Path
    passphrase: str


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token: the vendor's library, the token's label, the PIN (None: the
    token asks for it itself, on its own PIN pad or dialog), optionally the key's label."""

    library: Path
    token_label: str
    pin: str | None
    key_label: str | None = None


KeySource = Pkcs12Key | Pkcs11Key


def read_secret(path: Path, what: str) -> str:
    """The passphrase or PIN in a file: its first line (a trailing newline is not part of it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SigningError(f"Không đọc được tệp {what} {path}") from exc
    lines = text.splitlines()
    return lines[0] if lines else ""


def subject_name(cert: x509.Certificate) -> str:
    """The certificate holder's name: its common name, else the whole subject."""
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def check_certificate(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse a certificate that may not sign now: not yet valid, expired, or without the
    digital-signature key usage (when it lists key usages at all)."""
    now = now or dt.datetime.now(dt.UTC)
    name = subject_name(cert)
    if cert.not_valid_after < now:
        when = cert.not_valid_after.strftime("%d/%m/%Y")
        raise SigningError(f"Chứng thư số của {name} đã hết hạn ngày {when}: không ký được")
    if cert.not_valid_before > now:
        when = cert.not_valid_before.strftime("%d/%m/%Y")
        raise SigningError(f"Chứng thư số của {name} chỉ có hiệu lực từ ngày {when}")
    usage = cert.key_usage_value
    if usage is not None and "digital_signature" not in usage.native:
        raise SigningError(
            f"Chứng thư số của {name} không được dùng để ký số "
            "(thiếu mục đích sử dụng “digital signature”)"
        )


def _pkcs12_signer(source: Pkcs12Key) -> Signer:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        data = source.path.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp khóa {source.path}") from exc
    try:
        key, cert, others = pkcs12.load_key_and_certificates(
            data, source.passphrase.encode("utf-8")
        )
    except ValueError as exc:
        # cryptography says "Invalid password or PKCS12 data" for both: tell the likelier one.
        raise SigningError(
            f"Mật khẩu của tệp khóa {source.path.name} không đúng (hoặc tệp không phải PKCS#12)"
        ) from exc
    if key is None or cert is None:
        raise SigningError(f"Tệp {source.path.name} không chứa khóa ký và chứng thư số")
    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in others]
    return SimpleSigner(
        signing_cert=asn1_cert,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        # pyHanko's registry has no annotations: no-untyped-call
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert, *chain]),  # type: ignore[no-untyped-call]
    )


class PinNeeded(SigningError):
    """The token cannot ask for its PIN itself (no PIN pad or dialog of its own): the caller
    asks the user and tries again with the PIN."""


class TokenSigner:
    """A PKCS#11 signer with its open session; close() logs out of the token."""

    def __init__(self, source: Pkcs11Key) -> None:
        import pkcs11
        from pkcs11.constants import TokenFlag
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11

        label = source.token_label
        try:
            slots = pkcs11.lib(str(source.library)).get_slots(token_present=True)
            token = p11.find_token(slots, token_criteria=TokenCriteria(label=label))
        except (OSError, RuntimeError, pkcs11.exceptions.PKCS11Error) as exc:
            raise SigningError(f"Không dùng được thư viện PKCS#11 {source.library}: {exc}") from exc
        if token is None:
            raise SigningError(
                f"Không tìm thấy thiết bị ký số có nhãn “{label}”: "
                "hãy cắm thiết bị và kiểm tra nhãn"
            )
        user_pin: Any = source.pin
        if user_pin is None:
            if not token.flags & TokenFlag.PROTECTED_AUTHENTICATION_PATH:
                raise PinNeeded(f"Thiết bị ký số “{label}” cần mã PIN")
            user_pin = pkcs11.PROTECTED_AUTH  # the token asks on its own pad or dialog
        try:
            self.session = token.open(user_pin=user_pin)
        except pkcs11.exceptions.PinIncorrect as exc:
            raise SigningError(f"Mã PIN của thiết bị ký số “{label}” không đúng") from exc
        except pkcs11.exceptions.PinLocked as exc:
            raise SigningError(
                f"Thiết bị ký số “{label}” đã bị khóa do nhập sai PIN nhiều lần"
            ) from exc
        except pkcs11.exceptions.PKCS11Error as exc:
            raise SigningError(f"Thiết bị ký số “{label}” báo lỗi: {type(exc).__name__}") from exc
        try:
            self.signer = self._signer(source)
        except BaseException:
            self.close()
            raise

    def _signer(self, source: Pkcs11Key) -> Signer:
        from pkcs11 import Attribute, ObjectClass
        from pyhanko.sign import pkcs11 as p11

        if source.key_label is not None:
            return p11.PKCS11Signer(self.session, key_label=source.key_label)
        # No label given: the token's certificate that has a private key beside it (a
        # government token holds one).
        key_ids = {
            k[Attribute.ID]
            for k in self.session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})
        }
        for cert in self.session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            if cert[Attribute.ID] in key_ids:
                cert_id = bytes(cert[Attribute.ID])
                return p11.PKCS11Signer(self.session, cert_id=cert_id, key_id=cert_id)
        raise SigningError(
            f"Thiết bị ký số “{source.token_label}” không có khóa ký kèm chứng thư số"
        )

    def close(self) -> None:
        try:
            self.session.close()
        except Exception:  # noqa: BLE001  # the token may be gone already; nothing to keep
            pass


def open_signer(source: KeySource) -> tuple[Signer, TokenSigner | None]:
    """The pyHanko signer for `source`, its certificate checked; with the token session to
    close afterwards (None for a PKCS#12 file)."""
    token: TokenSigner | None = None
    if isinstance(source, Pkcs12Key):
        signer = _pkcs12_signer(source)
    else:
        token = TokenSigner(source)
        signer = token.signer
    try:
        cert = signer.signing_cert
        if cert is None:
            raise SigningError("Không tìm thấy chứng thư số của khóa ký")
        check_certificate(cert)
    except BaseException:
        if token is not None:
            token.close()
        raise
    return signer, token
