"""Convocation pages: a member's answer (from the e-mail's signed link, without an account, or from the portal), a
change of date or place, the body's notice periods; and what the session's page shows of the convocation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from councils.forms import NoticePeriodsForm, ReplyForm, RescheduleForm
from councils.models import AttendanceReply, Membership, Person, ReplyAnswer, ReplyChannel, Session, SessionState
from councils.permissions import get_visible_body
from councils.services import base as council_base
from councils.services import notices
from councils.services import rules as rules_services
from councils.services import sessions as session_services
from implan.concurrency import EditConflict, reopened
from implan.errors import DomainError
from implan.permissions import deny_unless
from implan.types import AuthenticatedRequest


def _visible_session(request: AuthenticatedRequest, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("body"), pk=pk)
    get_visible_body(request.user, pk=session.body_id)
    return session


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the convocation e-mail: the member answers without logging in. A GET only shows the question
    (mail scanners open links); the answer is a POST from this page."""
    try:
        session, person = notices.rsvp_target(token)
    except DomainError as error:
        return render(request, "councils/public/rsvp.html", {"refusal": error.message}, status=400)
    refusal = notices.reply_refusal(session)
    reply = AttendanceReply.objects.filter(session=session, person=person).first()
    form = ReplyForm(request.POST or None, initial={"answer": request.GET.get("respuesta") or None})
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            reply = notices.session_reply(
                session=session,
                person=person,
                answer=form.cleaned_data["answer"],
                channel=ReplyChannel.EMAIL,
                actor=request.user if request.user.is_authenticated else None,
            )
        except DomainError as error:
            refusal = error.message
        else:
            messages.success(
                request, _("Gracias: su respuesta quedó registrada («%(a)s»).") % {"a": reply.get_answer_display()}
            )
            return redirect("councils:rsvp", token=token)
    status = 410 if refusal else 200
    context = {"session": session, "person": person, "reply": reply, "form": form, "refusal": refusal}
    return render(request, "councils/public/rsvp.html", context, status=status)


@require_POST
@login_required
def session_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A member answers from the session's page in the portal."""
    session = _visible_session(request, pk)
    person = Person.objects.filter(user=request.user).first()
    form = ReplyForm(request.POST)
    if person is None:
        messages.error(request, _("Su cuenta no corresponde a ningún integrante de este órgano."))
    elif not form.is_valid():
        messages.error(request, _("Elija «asistiré» o «no asistiré»."))
    else:
        try:
            reply = notices.session_reply(
                session=session,
                person=person,
                answer=form.cleaned_data["answer"],
                channel=ReplyChannel.PORTAL,
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Su respuesta quedó registrada: %(a)s.") % {"a": reply.get_answer_display()})
    return redirect("councils:workspace_session", pk=session.pk)


@login_required
def session_reschedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    initial = {"scheduled_at": session.scheduled_at, "place": session.place}
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_reschedule(actor=request.user, session=session, **form.cleaned_data)
        except notices.LateNotice as error:
            form.add_error("reason", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se avisó el cambio a los integrantes."))
            return redirect("councils:workspace_session", pk=session.pk)
    return render(
        request,
        "councils/workspace/form.html",
        {
            "body": session.body,
            "form": form,
            "title": _("Cambiar la fecha o el lugar de la sesión %(n)s") % {"n": session.number},
            "lead": _(
                "Los integrantes y la secretaría reciben el aviso del cambio, con la invitación de su calendario "
                "actualizada. Una fecha dentro del plazo de convocatoria del órgano necesita que el motivo lo diga."
            ),
        },
    )


@login_required
def body_notice_periods(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(rules_services.can_set_voting_rules(request.user))
    form, conflict = NoticePeriodsForm.for_body(body, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            rules_services.body_set_notice_periods(
                actor=request.user,
                body=body,
                ordinary_hours=form.cleaned_data["notice_hours_ordinary"],
                extraordinary_hours=form.cleaned_data["notice_hours_extraordinary"],
                seen=form.seen(),
            )
        except EditConflict as error:
            form, conflict = NoticePeriodsForm.for_body(body, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se guardaron los plazos de convocatoria; valen para las próximas sesiones."))
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/form.html",
        {
            "body": body,
            "form": form,
            "conflict": conflict,
            "title": _("Plazos de convocatoria de %(body)s") % {"body": body},
            "lead": _(
                "Horas mínimas entre la convocatoria y la sesión. Convocar con menos anticipación pide un motivo, "
                "que queda en la sesión y ven los integrantes."
            ),
        },
    )


def convocation_context(
    request: AuthenticatedRequest,
    session: Session,
    managing: bool,
    members: list[Membership],
    person: Person | None,
) -> dict[str, Any]:
    """What the session's page shows of the convocation: the member's own answer and form, and for the secretary
    the answers' counts and the acuse of every notice. ``members``: the session's members with their people, and
    ``person``, the reader's, which the page has read already (this costs the replies and the receipts only)."""
    replies = list(session.replies.select_related("person"))
    member = any(m.person.user_id == request.user.pk for m in members)
    own = next((r for r in replies if person is not None and r.person_id == person.pk), None)
    return {
        "convocation": {
            "own_reply": own,
            "can_reply": member and notices.reply_refusal(session) is None,
            "reply_form": ReplyForm(initial={"answer": own.answer if own else None}),
            "attending": sum(r.answer == ReplyAnswer.ATTENDING for r in replies),
            "declining": sum(r.answer == ReplyAnswer.NOT_ATTENDING for r in replies),
            "receipts": list(notices.session_receipts(session, replies=replies)) if managing else [],
            "can_reschedule": managing and session.state == SessionState.CONVENED,
        }
    }
