"""The meeting packet of a session: one PDF with the convocation (body, type, date, place, agenda), each point's
summary, the version under vote with its differences from the version in force, and links to the attached documents.

It is laid out once for each state of the session and its agenda, by a task (``packet_generate``) that the services
enqueue when they change what the packet shows (``schedule``: convening, a point added, a version frozen again, a
document added or removed), and kept in storage (``STORAGES["default"]``) as a ``SessionPacket`` named by the hash of
what it shows (``packet_data``). Pages serve the stored file; a request that arrives before the worker laid out the
current one lays it out then, once (as the annual report's PDF does, ``planning.report_files``), so the portal works
with no worker at all. Earlier packets stay: they are what members received before a change.

Safe to run twice: generation locks the session's row and does nothing when a packet for the same content exists.
WeasyPrint fetches nothing (only ``data:`` URLs), in the portal's own language whatever the visitor's.
"""

from __future__ import annotations

import hashlib
import io
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from councils.models import AgendaDocument, AgendaItem, AgendaItemKind, DocumentKind, Session, SessionPacket
from implan.formatting import long_datetime
from implan.hashing import content_hash
from implan.tasks import background_task, enqueue_on_commit
from implan.uploads import human_size

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint").setLevel(logging.ERROR)

FOLDER = "paquetes"


@background_task
def packet_generate(session_id: int) -> None:
    """The task: lay out and store the session's packet for its current content, unless it is stored already."""
    packet_for(session_id)


def schedule(session: Session) -> None:
    """Have a worker lay the packet out once the current transaction commits (if the queue refuses the task, the
    first request for the packet lays it out)."""
    enqueue_on_commit(packet_generate, session.pk)


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_URL}{path}"


def packet_items(session: Session) -> list[AgendaItem]:
    """The agenda with each point's frozen version and documents (three queries)."""
    documents = AgendaDocument.objects.order_by("uploaded_at", "pk")
    return list(
        AgendaItem.objects.filter(session=session)
        .select_related("frozen")
        .prefetch_related(Prefetch("documents", queryset=documents))
        .order_by("order")
    )


def _document(document: AgendaDocument) -> dict[str, Any]:
    return {
        "name": document.original_name,
        "kind": DocumentKind(document.content_type).label,
        "size": human_size(document.size),
        "sha256": document.sha256,
        "url": _absolute(reverse("councils:agenda_document", args=[document.pk])),
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    frozen = getattr(item, "frozen", None)
    return {
        "order": item.order,
        "title": item.title,
        "description": item.description,
        "decision": item.kind == AgendaItemKind.DECISION,
        "kind": item.get_kind_display(),
        "qualified": item.requires_qualified_majority,
        "frozen": (
            {
                "label": frozen.label,
                "frozen_at": long_datetime(frozen.frozen_at),
                "snapshot": frozen.snapshot,
                "url": _absolute(frozen_url(frozen)),
            }
            if frozen is not None
            else None
        ),
        "documents": [_document(d) for d in item.documents.all()],
    }


def frozen_url(frozen: Any) -> str:
    """The owner's page of the differences, showing the version frozen on this point (``punto``)."""
    url = str(frozen.snapshot.get("url", ""))
    if not url:
        return ""
    return f"{url}{'&' if '?' in url else '?'}punto={frozen.agenda_item_id}"


def packet_data(session: Session, items: list[AgendaItem] | None = None) -> dict[str, Any]:
    """Everything the packet shows, as plain data: its hash names the packet (the session's state is not in it, so
    starting the session does not make a new packet). In the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        body = session.body
        return {
            "institute": settings.INSTITUTE_NAME,
            "municipality": settings.MUNICIPALITY_NAME,
            "body": body.name,
            "public": body.is_public,
            "kind": session.get_kind_display(),
            "number": session.number,
            "scheduled_at": long_datetime(session.scheduled_at),
            "place": session.place,
            "session_url": _absolute(
                reverse("councils:session_detail", args=[body.slug, session.number])
                if body.is_public
                else reverse("councils:workspace_session", args=[session.pk])
            ),
            "items": [_item(item) for item in (items if items is not None else packet_items(session))],
        }


def packet_fingerprint(session: Session, items: list[AgendaItem] | None = None) -> str:
    return content_hash(packet_data(session, items))


def stored_packet(session: Session, items: list[AgendaItem] | None = None) -> SessionPacket | None:
    """The stored packet of the session as it is now, or None while none is laid out (no layout here)."""
    return SessionPacket.objects.filter(session=session, fingerprint=packet_fingerprint(session, items)).first()


def current_packet(session: Session) -> SessionPacket:
    """The packet of the session as it is now: the stored one, or laid out and stored now if the worker has not
    got to it yet."""
    packet = stored_packet(session)
    if packet is not None:
        return packet
    packet = packet_for(session.pk)
    assert packet is not None  # the session exists: the caller read it
    return packet


def packet_for(session_id: int) -> SessionPacket | None:
    """Store the packet of the session's current content once; the stored packet (new or not), or None when the
    session does not exist. The row lock makes a second caller wait for the first one's packet."""
    stored_name = ""
    try:
        with transaction.atomic():
            session = Session.objects.select_for_update(of=("self",)).select_related("body").filter(pk=session_id)
            locked = session.first()
            if locked is None:
                return None
            data = packet_data(locked)
            fingerprint = content_hash(data)
            existing = SessionPacket.objects.filter(session=locked, fingerprint=fingerprint).first()
            if existing is not None:
                return existing
            pdf, pages = render(data)
            stored_name = default_storage.save(_path(locked, fingerprint), ContentFile(pdf))
            return SessionPacket.objects.create(
                session=locked,
                fingerprint=fingerprint,
                file=stored_name,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                pages=pages,
                generated_at=timezone.now(),
            )
    except BaseException:
        if stored_name:  # the row was not written: leave no file without it
            default_storage.delete(stored_name)
        raise


def packet_html(data: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "councils/packet/packet_document.html",
            {"data": data, "generated_at": long_datetime(timezone.now()), "title": packet_title(data)},
        )


def packet_title(data: dict[str, Any]) -> str:
    return _("Paquete de la sesión %(kind)s %(number)s · %(body)s") % {
        "kind": str(data["kind"]).lower(),
        "number": data["number"],
        "body": data["body"],
    }


def render(data: dict[str, Any]) -> tuple[bytes, int]:
    """Lay the packet out (a second or two): the PDF and its number of pages."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # WeasyPrint ships no type hints
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    document = HTML(
        string=packet_html(data), url_fetcher=URLFetcher(allowed_protocols={"data"}), media_type="print"
    ).render()
    out = io.BytesIO()
    document.write_pdf(out)
    logger.info("Laid out the packet of %s, session %s", data["body"], data["number"])
    return out.getvalue(), len(document.pages)


def file_name(session: Session) -> str:
    return f"paquete-{session.body.slug}-sesion-{session.number}.pdf"


def _path(session: Session, fingerprint: str) -> str:
    return f"{FOLDER}/{session.body.slug}/{session.number}/{fingerprint[:12]}-{file_name(session)}"
