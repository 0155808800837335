"""Knowing what you vote on: the version frozen on each point, the documents attached to points and the meeting
packet, for whoever may see the session (``councils.permissions.can_see_session``: a public session, everyone; a
private body's, its members, its secretary and administrators). Not allowed to see → 404; may see but not change →
403. Files are served from storage with their stored type, ``nosniff`` and a download name the portal composes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils import packets
from councils.forms import AgendaDocumentForm
from councils.models import AgendaDocument, AgendaItem, DocumentKind, Session, SessionPacket, SessionState
from councils.permissions import can_see_session, session_is_public
from councils.services import base as council_base
from councils.services import documents as document_services
from councils.services import frozen as frozen_services
from implan.actions import refusal_as_message
from implan.permissions import deny_unless, hide_unless
from implan.types import AuthenticatedRequest
from implan.uploads import human_size

LIVE_STATES = (SessionState.CONVENED, SessionState.IN_PROGRESS)


def agenda_context(
    session: Session, items: list[AgendaItem], *, managing: bool, public_page: bool = False
) -> dict[str, Any]:
    """What the session's page shows of each point (its frozen version, whether its subject changed since, its
    documents) and of the packet: a fixed number of queries whatever the number of documents, plus the check of
    each subject put to a vote while the session is live. On the public page the frozen version is read in the
    packet (the comparison page is the workspace's)."""
    prefetch_related_objects(
        items, "frozen", Prefetch("documents", queryset=AgendaDocument.objects.order_by("uploaded_at", "pk"))
    )
    live = session.state in LIVE_STATES
    for item in items:
        frozen = getattr(item, "frozen", None)
        item.frozen_version = frozen  # type: ignore[attr-defined]  # read by the template
        link = packets.frozen_url(frozen) if frozen is not None and not public_page else ""
        item.frozen_link = link  # type: ignore[attr-defined]  # read by the template
        item.frozen_refusal = (  # type: ignore[attr-defined]
            frozen_services.changed_since_frozen(item) if live and frozen is not None else None
        )
    return {
        "agenda_managing": managing and session.state == SessionState.CONVENED,
        "document_form": AgendaDocumentForm() if managing and session.state == SessionState.CONVENED else None,
        "packet": packets.stored_packet(session, items),
        "packet_public": session_is_public(session),
    }


def _visible(request: HttpRequest, session: Session) -> None:
    hide_unless(can_see_session(request.user, session))


# Shown in the browser (its PDF viewer, an image); anything else (a spreadsheet, a text document) is downloaded.
SHOWN_INLINE = {DocumentKind.PDF, DocumentKind.JPEG, DocumentKind.PNG, DocumentKind.WEBP, DocumentKind.GIF}


def _file_response(handle: Any, *, content_type: str, filename: str, etag: str, public: bool) -> FileResponse:
    # The stored type was read from the content on upload (or is the PDF the portal laid out); nosniff keeps the
    # browser from guessing another. A private body's file is never kept by a shared cache.
    response = FileResponse(
        handle, content_type=content_type, filename=filename, as_attachment=content_type not in SHOWN_INLINE
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{etag}"'
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


def agenda_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A document of an agenda point, for whoever may see its session."""
    document = get_object_or_404(AgendaDocument.objects.select_related("agenda_item__session__body"), pk=pk)
    session = document.agenda_item.session
    _visible(request, session)
    if request.headers.get("If-None-Match") == f'"{document.sha256}"':
        return HttpResponse(status=304)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return _file_response(
        handle,
        content_type=document.content_type,
        filename=document.original_name,
        etag=document.sha256,
        public=session_is_public(session) and not request.user.is_authenticated,
    )


def _managed_item(request: AuthenticatedRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("session__body"), pk=pk)
    _visible(request, item.session)
    deny_unless(council_base.can_manage_sessions(request.user, item.session.body))
    return item


@require_POST
@login_required
def agenda_document_add(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _managed_item(request, pk)
    form = AgendaDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Elija un archivo para adjuntar al punto."))
    else:
        upload = form.cleaned_data["file"]
        with refusal_as_message(request):
            document = document_services.agenda_document_add(
                actor=request.user, item=item, upload=upload, name=upload.name, size=upload.size
            )
            messages.success(
                request,
                _("Se adjuntó «%(name)s» (%(size)s) al punto %(n)s.")
                % {"name": document.original_name, "size": human_size(document.size), "n": item.order},
            )
    return redirect("councils:workspace_session", pk=item.session_id)


@require_POST
@login_required
def agenda_document_remove(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(AgendaDocument.objects.select_related("agenda_item"), pk=pk)
    item = _managed_item(request, document.agenda_item_id)
    with refusal_as_message(request):
        document_services.agenda_document_remove(actor=request.user, document=document)
        messages.success(request, _("Se quitó «%(name)s» del punto %(n)s.") % {"name": document, "n": item.order})
    return redirect("councils:workspace_session", pk=item.session_id)


@require_POST
@login_required
def agenda_item_refreeze(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    item = _managed_item(request, pk)
    with refusal_as_message(request):
        frozen = frozen_services.agenda_item_refreeze(actor=request.user, item=item)
        messages.success(
            request,
            _("Se congeló la versión actual: %(label)s. El paquete de la sesión se prepara de nuevo.")
            % {"label": frozen.label},
        )
    return redirect("councils:workspace_session", pk=item.session_id)


def _packet_response(request: HttpRequest, session: Session) -> HttpResponseBase:
    packet = packets.current_packet(session)
    return _serve_packet(request, session, packet)


def _serve_packet(request: HttpRequest, session: Session, packet: SessionPacket) -> HttpResponseBase:
    if request.headers.get("If-None-Match") == f'"{packet.sha256}"':
        return HttpResponse(status=304)
    try:
        handle = packet.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = _file_response(
        handle,
        content_type="application/pdf",
        filename=packets.file_name(session),
        etag=packet.sha256,
        public=session_is_public(session) and not request.user.is_authenticated,
    )
    return response


@login_required
def session_packet(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The members' link to the packet (the one the convocation sends): the PDF of the session as it is now."""
    session = get_object_or_404(Session.objects.select_related("body"), pk=pk)
    _visible(request, session)
    return _packet_response(request, session)


def _shared_session(request: HttpRequest, pk: int) -> Session | HttpResponseBase:
    """The session of a short link: a public one for anyone; a private one for who may see it (the login page for
    someone not logged in, 404 for anyone else)."""
    session = get_object_or_404(Session.objects.select_related("body"), pk=pk)
    if session_is_public(session):
        return session
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _visible(request, session)
    return session


def packet_public(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The short link to share (e.g. by WhatsApp): a small page with Open Graph tags, so that the message shows
    the body, the session, its date and place, and a button to the PDF (a link straight to a PDF previews as a
    bare address, and a phone's PDF viewer varies); the agenda is readable on the page itself."""
    session = _shared_session(request, pk)
    if isinstance(session, HttpResponseBase):
        return session
    items = packets.packet_items(session)
    data = packets.packet_data(session, items)
    return render(
        request,
        "councils/packet/packet_landing.html",
        {
            "session": session,
            "body": session.body,
            "data": data,
            "packet": packets.stored_packet(session, items),
            "title": packets.packet_title(data),
            "public": session_is_public(session),
        },
    )


def packet_public_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    session = _shared_session(request, pk)
    if isinstance(session, HttpResponseBase):
        return session
    return _packet_response(request, session)
