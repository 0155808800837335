"""Uploads: a handler that stops reading once the files of a request pass ``MAX_REQUEST_BYTES``, and the check of
what a file is by its content.

The size middleware refuses requests that declare a large Content-Length; the handler catches bodies sent without
one (chunked), so no upload path can fill the disk. ``check_upload`` reads a file's kind from its first bytes (a
program renamed ``.pdf`` is not a PDF), its size against a limit and its SHA-256, before anything is stored.
"""

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.utils.translation import gettext as _

from implan.errors import DomainError


class SizeCappedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.MAX_REQUEST_BYTES:
            raise RequestDataTooBig("El archivo rebasa el tamaño máximo permitido.")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# --- What a file is, read from its content ------------------------------------------------------------------------

# MIME types of the formats the portal can tell from their first bytes.
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
GIF = "image/gif"

# The names a person may give each kind of content, and how the kind is named in messages.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    XLSX: ("xlsx",),
    DOCX: ("docx",),
    JPEG: ("jpg", "jpeg"),
    PNG: ("png",),
    WEBP: ("webp",),
    GIF: ("gif",),
}
NAMES = {PDF: "PDF", XLSX: "XLSX", DOCX: "DOCX", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", GIF: "GIF"}
# An Office Open XML package is a zip; the part that makes it a workbook or a text document says which it is.
OOXML_MAIN_PART = {"xl/workbook.xml": XLSX, "word/document.xml": DOCX}


def sniff(upload: IO[bytes]) -> str | None:
    """The MIME type of the file's content from its signature (magic bytes), or None when it is none of the
    formats above. An Office file is told apart by the parts its zip lists (read, never extracted)."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    return None


def _office_kind(upload: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in OOXML_MAIN_PART.items() if part in names), None)


def human_size(size: int) -> str:
    """1.5 MB, 300 KB: how a person reads a file size."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str
    file: IO[bytes]


def check_upload(upload: IO[bytes], *, name: str, size: int, accepted: Iterable[str], max_bytes: int) -> CheckedUpload:
    """Read the file once: its kind by its content (never its name), its size and its SHA-256; refuse, with a
    message in Spanish that names the file, what is too large, empty, of another kind, or not what its name says."""
    accepted = tuple(accepted)
    if size > max_bytes:
        raise DomainError(
            _("«%(name)s» pesa %(size)s; el máximo por archivo es %(limit)s.")
            % {"name": name, "size": human_size(size), "limit": human_size(max_bytes)}
        )
    if size == 0:
        raise DomainError(_("«%(name)s» está vacío.") % {"name": name})
    kind = sniff(upload)
    if kind not in accepted:
        raise DomainError(
            _("«%(name)s» no se acepta: su contenido no es %(kinds)s (se revisa el contenido, no el nombre).")
            % {"name": name, "kinds": _or_list([NAMES[k] for k in accepted])}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[kind]:
        raise DomainError(
            _(
                "«%(name)s» no es lo que su nombre dice: su contenido es %(kind)s. Renómbrelo o "
                "suba el archivo correcto."
            )
            % {"name": name, "kind": NAMES[kind]}
        )
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name=name, content_type=kind, size=size, sha256=digest.hexdigest(), file=upload)


def _or_list(names: list[str]) -> str:
    return (
        names[0]
        if len(names) == 1
        else _("%(first)s ni %(last)s")
        % {
            "first": ", ".join(names[:-1]),
            "last": names[-1],
        }
    )
