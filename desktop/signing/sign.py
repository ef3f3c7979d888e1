"""Sign a PDF: a PAdES baseline signature (pyHanko) with the visible appearance of Phụ lục I.

A step after rendering: the reports know nothing of it. The signed PDF is an incremental
update of the input (earlier signatures stay valid) written through db.files' atomic writer:
on any error no output file exists. Offline first: no timestamp, no revocation fetch unless
the user gives a TSA URL.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.signing.appearance import (
    MM,
    ORGANISATION_SIZE,
    PERSON_SIZE,
    VIETNAM,
    Appearance,
    iso_time,
    render,
)
from desktop.signing.keys import KeySource, SigningError, open_signer, subject_name

if TYPE_CHECKING:
    from pyhanko.pdf_utils.reader import PdfFileReader

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class SignRequest:
    """What to sign, with which key, and how the signature looks.

    `page` counts from 1 (None: the last page); `box` is (x1, y1, x2, y2) in millimetres from
    the page's lower-left corner (None: the signer's block in the lower right; for the body's
    signature, over the left third of the signature before it). When neither is given and the
    PDF records its printed signer blocks (our reports do, see `printed_blocks`), the signature
    goes into the blank space of the signer's own block (by name; else the document's
    signer's), the body's over the left third of it.
    """

    source: Path
    output: Path
    key: KeySource
    image: Path | None = None
    title_lines: tuple[str, ...] = ()
    name: str | None = None
    organisation: bool = False
    page: int | None = None
    box: Box | None = None
    reason: str | None = None
    location: str | None = None
    tsa_url: str | None = None
    when: dt.datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class SignResult:
    """The signed file, the field that holds the new signature, who signed and when."""

    output: Path
    field_name: str
    signer: str
    signed_at: str
    warning: str | None = None  # one Vietnamese line: signed all the same


@dataclass(frozen=True)
class PrintedBlock:
    """The blank space a report leaves in its signer block (desktop.reports.signature_space):
    `page` counted from 1, `box` in points, and the name printed under it."""

    page: int
    box: Box
    name: str


# The keys of the document information desktop.reports.signature_space writes (the reports
# are not imported here: signing is a step after rendering).
BOX_KEY = "/KiemtraSignatureBox"
NAME_KEY = "/KiemtraSignerName"


def printed_blocks(reader: PdfFileReader) -> list[PrintedBlock]:
    """The signer blocks the PDF records, left to right (the last: the one who signs for the
    document); none when it is not one of ours or the entry is damaged."""
    try:
        info = reader.trailer["/Info"]
        boxes = str(info[BOX_KEY]).split(";")
        names = str(info.get(NAME_KEY, "")).split(";")
        found = []
        for entry, name in zip(boxes, names, strict=True):
            page, *numbers = entry.split()
            x1, y1, x2, y2 = (float(v) for v in numbers)
            found.append(PrintedBlock(int(page), (x1, y1, x2, y2), name.strip()))
    except (KeyError, ValueError, TypeError, AttributeError):
        return []
    pages = _page_count(reader)
    if any(not 1 <= b.page <= pages or b.box[2] - b.box[0] < 10 for b in found):
        return []
    if any(b.box[3] - b.box[1] < 10 for b in found):
        return []
    return found


def _choose_block(
    blocks: list[PrintedBlock], organisation: bool, certificate_name: str, reader: PdfFileReader
) -> PrintedBlock:
    """The block a signature goes in: a person's own (by the printed name; else the document's
    signer, the last); the body's over the block signed last (else the document's signer)."""
    if organisation:
        rect = _last_signature_rect(reader)
        if rect is not None:
            cx, cy = (rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2
            for block in blocks:
                x1, y1, x2, y2 = block.box
                if x1 <= cx <= x2 and y1 <= cy <= y2:
                    return block
        return blocks[-1]
    for block in blocks:
        if _same_person(block.name, certificate_name):
            return block
    return blocks[-1]


def _same_person(a: str, b: str) -> bool:
    import unicodedata

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def name_warning(certificate_name: str, printed: str) -> str | None:
    """The warning when the certificate is not that of the person the document names (None
    when it is, or when the document names nobody: a dotted blank)."""
    if not any(ch.isalpha() for ch in printed) or _same_person(certificate_name, printed):
        return None
    return (
        f"Lưu ý: chứng thư số của {certificate_name} nhưng văn bản ghi người ký là {printed} "
        "(tệp vẫn được ký)"
    )


def _block_box(block: PrintedBlock, organisation: bool) -> Box:
    """The signature's rectangle in a printed block: the signer's fills the blank space; the
    body's covers the left third of it and the space on to the middle, seal above its text
    (Phụ lục I: the seal over about a third of the signature, on its left)."""
    x1, y1, x2, y2 = block.box
    if not organisation:
        return block.box
    return x1, y1, x1 + (x2 - x1) / 2, y2


def read_pdf(path: Path, name: str | None = None) -> tuple[bytes, PdfFileReader]:
    """The bytes of a PDF and a reader over them; refuse what is not a PDF or is encrypted.
    `name` is how messages call the file (default: its file name)."""
    shown = name or path.name
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp {path}") from exc
    if b"%PDF-" not in data[:1024]:
        raise SigningError(f"Tệp {shown} không phải là tệp PDF")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        reader.root  # noqa: B018  # parse the catalogue now: a broken file fails here
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(f"Tệp {shown} hỏng, không đọc được như một tệp PDF") from exc
    if encrypted:
        raise SigningError(f"Tệp {shown} được mã hóa (đặt mật khẩu): hãy ký bản không mã hóa")
    return data, reader


def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _media_box(reader: PdfFileReader, index: int) -> Box:
    # pyHanko leaves this one unannotated: no-untyped-call
    page_ref, _ = reader.find_page_for_modification(index)  # type: ignore[no-untyped-call]
    node: Any = page_ref.get_object()
    while node is not None:
        if "/MediaBox" in node:
            x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
            return x1, y1, x2, y2
        node = node.get_object()["/Parent"].get_object() if "/Parent" in node else None
    return 0.0, 0.0, 595.276, 841.89  # A4, the default of a page that says nothing


def _last_signature_rect(reader: PdfFileReader) -> Box | None:
    """The widget rectangle of the last signed field with a visible appearance."""
    from pyhanko.sign.fields import enumerate_sig_fields

    found: Box | None = None
    for _name, value, ref in enumerate_sig_fields(reader, filled_status=True):
        del value
        rect = ref.get_object().get("/Rect")
        if rect is None:
            continue
        x1, y1, x2, y2 = (float(v) for v in rect)
        if abs(x2 - x1) > 1 and abs(y2 - y1) > 1:
            found = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    return found


def _box(request: SignRequest, reader: PdfFileReader, index: int) -> Box:
    """The signature's rectangle in points."""
    if request.box is not None:
        x1, y1, x2, y2 = (v * MM for v in request.box)
        if x2 - x1 < 10 or y2 - y1 < 10:
            raise SigningError("Khung chữ ký quá nhỏ (x1,y1,x2,y2 tính bằng mm)")
        return x1, y1, x2, y2
    px1, py1, px2, _py2 = _media_box(reader, index)
    pw, ph = PERSON_SIZE
    person = (px2 - 20 * MM - pw, py1 + 25 * MM, px2 - 20 * MM, py1 + 25 * MM + ph)
    if not request.organisation:
        return person
    # Phụ lục I: the seal covers about a third of the signer's signature, on its left.
    # Its two lines of text (name, time) go below the signer's block, the seal above them.
    under = _last_signature_rect(reader) or person
    ow, oh = ORGANISATION_SIZE
    right = under[0] + (under[2] - under[0]) / 3
    x1 = max(px1, right - ow)
    bottom = max(py1, under[1] - 2 * 10 * 1.15 - 2)
    return x1, bottom, x1 + ow, bottom + oh


def _field_name(reader: PdfFileReader) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _v, _r in enumerate_sig_fields(reader)}
    n = 1
    while f"Signature{n}" in taken:
        n += 1
    return f"Signature{n}"


def _organisation_name(cert: Any) -> str:
    native = cert.subject.native
    return str(native.get("organization_name") or subject_name(cert))


def sign_pdf(request: SignRequest) -> SignResult:
    """Sign `request.source` into `request.output` (atomically; nothing is written on error)."""
    from pyhanko import stamp
    from pyhanko.pdf_utils import content
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

    from db.files import atomic_open

    data, reader = read_pdf(request.source)
    pages = _page_count(reader)
    # Our own reports say where their signatures go, unless the user says otherwise.
    blocks = printed_blocks(reader) if request.box is None and request.page is None else []
    index = (request.page or pages) - 1
    if not 0 <= index < pages:
        raise SigningError(
            f"Tệp {request.source.name} không có trang {request.page} (có {pages} trang)"
        )
    if request.image is not None and not request.image.is_file():
        raise SigningError(f"Không tìm thấy tệp ảnh {request.image}")
    name = _field_name(reader)
    when = (request.when or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)

    signer, token = open_signer(request.key)
    try:
        cert = signer.signing_cert
        shown = request.name or (
            _organisation_name(cert) if request.organisation else subject_name(cert)
        )
        warning = None
        if blocks:
            block = _choose_block(blocks, request.organisation, subject_name(cert), reader)
            index, box = block.page - 1, _block_box(block, request.organisation)
            if not request.organisation:
                warning = name_warning(subject_name(cert), block.name)
        else:
            box = _box(request, reader, index)
        look = Appearance(
            request.organisation, shown, request.title_lines, request.image, bool(blocks)
        )
        picture = render(look, (box[2] - box[0], box[3] - box[1]), when)

        class _Picture(content.ImportedPdfPage):
            """The rendered appearance, imported from memory rather than from a file."""

            def render(self) -> bytes:
                import binascii
                import uuid

                from pyhanko.pdf_utils.layout import BoxConstraints
                from pyhanko.pdf_utils.reader import PdfFileReader as Reader

                xobj = self._ensure_writer.import_page_as_xobject(
                    Reader(io.BytesIO(picture)), page_ix=0
                )
                resource = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
                self.resources.xobject[resource.decode("ascii")] = xobj
                x1, y1, x2, y2 = xobj.get_object()["/BBox"]
                self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
                return resource + b" Do"

        # (ImportedPdfPage's __init__ is unannotated in pyHanko: no-untyped-call)
        background = _Picture("<memory>")  # type: ignore[no-untyped-call]
        style = stamp.StaticStampStyle(background=background, border_width=0)
        reason = request.reason or (f"Văn bản điện tử có ký số của {shown}")
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=request.location,
            name=shown,
        )
        timestamper = timestamps.HTTPTimeStamper(request.tsa_url) if request.tsa_url else None

        class _AtTime(signers.PdfSigner):
            """Signs with the time the appearance shows (to the second), not a moment later."""

            def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
                session = super().init_signing_session(pdf_out, existing_fields_only)
                session.system_time = when
                return session

        pdf_signer = _AtTime(
            meta,
            signer=signer,
            timestamper=timestamper,
            stamp_style=style,
            new_field_spec=fields.SigFieldSpec(
                name,
                on_page=index,
                box=tuple(round(v) for v in box),  # type: ignore[arg-type]
            ),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = io.BytesIO()
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except SigningError:
            raise
        except Exception as exc:
            failure = _signing_failure(exc, request)
            if failure is None:
                raise  # our bug: the log gets its traceback
            raise failure from exc
    finally:
        if token is not None:
            token.close()
    with atomic_open(request.output) as handle:
        handle.write(out.getvalue())
    return SignResult(request.output, name, shown, iso_time(when), warning)


def _signing_failure(exc: Exception, request: SignRequest) -> SigningError | None:
    """One Vietnamese line for what went wrong on the token, at the TSA or in pyHanko's
    checks while signing; None for anything else (a bug)."""
    import pkcs11.exceptions as p11e
    from pyhanko.sign.general import SigningError as HankoSigningError
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(exc, p11e.PinIncorrect):
        return SigningError("Mã PIN của thiết bị ký số không đúng")
    if isinstance(exc, p11e.PKCS11Error):
        return SigningError(f"Thiết bị ký số báo lỗi khi ký: {type(exc).__name__}")
    if isinstance(exc, TimestampRequestError):
        return SigningError(f"Không lấy được dấu thời gian từ {request.tsa_url}")
    if isinstance(exc, HankoSigningError):
        return SigningError(f"Không ký được tệp {request.source.name}: {exc}")
    return None
