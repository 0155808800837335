"""Documents attached to agenda points: what members read before deciding.

Only the body's secretary attaches or removes them, and only before the session starts: members decide on what they
received before it, and the packet (laid out again after each change) lists them. A file is accepted by its content
(``implan.uploads.check_upload``: PDF, XLSX, DOCX or an image, within ``AGENDA_DOCUMENT_MAX_BYTES``), stored through
``STORAGES["default"]`` under a random name, and recorded with its SHA-256; an event row says who added or removed
which file. A refused file leaves nothing behind: no row, no stored file.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from councils import packets
from councils.models import AgendaDocument, AgendaItem, DocumentKind, Session, SessionState
from councils.services.base import require_session_manager, with_reason
from implan.errors import DomainError
from implan.events import event_record
from implan.types import Actor
from implan.uploads import check_upload

ACCEPTED = DocumentKind.values
# Enough for the annexes of a session; a packet lists them all.
MAX_DOCUMENTS_PER_ITEM = 20


def _locked_session(actor: Actor, item: AgendaItem) -> Session:
    session = Session.objects.select_for_update().select_related("body").get(pk=item.session_id)
    require_session_manager(actor, session.body)
    if session.state != SessionState.CONVENED:
        raise DomainError(
            _("Los documentos de un punto solo se agregan o quitan antes de iniciar la sesión (está %(state)s).")
            % {"state": session.get_state_display().lower()}
        )
    return session


@transaction.atomic
def agenda_document_add(*, actor: Actor, item: AgendaItem, upload: IO[bytes], name: str, size: int) -> AgendaDocument:
    """Attach a file to an agenda point, checked by its content; refused before anything is stored."""
    session = _locked_session(actor, item)
    if AgendaDocument.objects.filter(agenda_item=item).count() >= MAX_DOCUMENTS_PER_ITEM:
        raise DomainError(_("Un punto admite como máximo %(n)s documentos.") % {"n": MAX_DOCUMENTS_PER_ITEM})
    checked = check_upload(
        upload, name=name, size=size, accepted=ACCEPTED, max_bytes=settings.AGENDA_DOCUMENT_MAX_BYTES
    )
    document = AgendaDocument(
        agenda_item=item,
        original_name=name[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    document.file.save(name, File(checked.file), save=False)
    try:
        with_reason(document, _("Documento agregado")).save()
        event_record(
            actor=actor,
            subject=item,
            action="agenda_document_added",
            data={"name": document.original_name, "sha256": document.sha256, "size": document.size},
        )
    except BaseException:
        document.file.storage.delete(document.file.name)  # the row was not written: leave no file without it
        raise
    packets.schedule(session)
    return document


@transaction.atomic
def agenda_document_remove(*, actor: Actor, document: AgendaDocument) -> None:
    """Remove a document from its point before the session starts: its row (history keeps its name, size and
    SHA-256, and who removed it) and, once that commits, its file."""
    document = AgendaDocument.objects.select_related("agenda_item").get(pk=document.pk)
    session = _locked_session(actor, document.agenda_item)
    stored, storage = document.file.name, document.file.storage
    event_record(
        actor=actor,
        subject=document.agenda_item,
        action="agenda_document_removed",
        data={"name": document.original_name, "sha256": document.sha256, "size": document.size},
    )
    with_reason(document, _("Documento quitado"))
    document._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history on delete
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
    packets.schedule(session)
