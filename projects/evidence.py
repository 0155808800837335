"""Evidence files of progress reports: their type is read from their first bytes, never taken from their name.

A file is accepted when its content is a PDF or an image the browsers show (JPEG, PNG, WebP, GIF), its name's
extension says the same, and it is within ``settings.EVIDENCE_MAX_BYTES``. Anything else is refused with a message
that names the file, before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.storage import Storage
from django.utils.translation import gettext as _

from implan.errors import DomainError
from projects.models import EvidenceKind

K = EvidenceKind
# The extensions a person may give each kind of content.
EXTENSIONS: dict[str, set[str]] = {
    K.PDF: {"pdf"},
    K.JPEG: {"jpg", "jpeg"},
    K.PNG: {"png"},
    K.WEBP: {"webp"},
    K.GIF: {"gif"},
}
MAX_FILES_PER_REPORT = 10


def sniff(head: bytes) -> str | None:
    """The kind of content from its signature (magic bytes), or None when it is none of the accepted ones."""
    if head.startswith(b"%PDF-"):
        return K.PDF
    if head.startswith(b"\xff\xd8\xff"):
        return K.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return K.PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return K.WEBP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return K.GIF
    return None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    size: int
    sha256: str
    file: IO[bytes]


def human_size(size: int) -> str:
    """1.5 MB, 300 KB: how a person reads a file size."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def check_file(upload: IO[bytes], *, name: str, size: int) -> CheckedFile:
    """Read the file once: its kind by content, its size and its SHA-256; refuse what it is not."""
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise DomainError(
            _("«%(name)s» pesa %(size)s; el máximo por archivo es %(limit)s.")
            % {"name": name, "size": human_size(size), "limit": human_size(limit)}
        )
    if size == 0:
        raise DomainError(_("«%(name)s» está vacío.") % {"name": name})
    upload.seek(0)
    kind = sniff(upload.read(16))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None:
        raise DomainError(
            _(
                "«%(name)s» no es una imagen (JPEG, PNG, WebP o GIF) ni un PDF: su contenido no "
                "corresponde a ninguno de esos formatos."
            )
            % {"name": name}
        )
    if extension not in EXTENSIONS[kind]:
        raise DomainError(
            _(
                "«%(name)s» no es lo que su nombre dice: su contenido es %(kind)s. Renómbrelo o "
                "suba el archivo correcto."
            )
            % {"name": name, "kind": EvidenceKind(kind).label}
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name, kind=kind, size=size, sha256=digest.hexdigest(), file=upload)


def check_files(uploads: list) -> list[CheckedFile]:  # Django UploadedFile objects
    if len(uploads) > MAX_FILES_PER_REPORT:
        raise DomainError(_("Adjunte como máximo %(n)s archivos por reporte.") % {"n": MAX_FILES_PER_REPORT})
    return [check_file(upload, name=upload.name, size=upload.size) for upload in uploads]


@contextmanager
def removed_on_failure(storage: Storage) -> Iterator[list[str]]:
    """Yield a list to put stored file names in; if the block fails, those files are deleted again.

    Storage writes are not part of the database transaction: without this, a report refused or failed after its
    files were written would leave files no row points to.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
