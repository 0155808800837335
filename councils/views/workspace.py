"""The councils' workspace: thin views that validate input, call one service and redirect or render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import CharField, Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from councils import approvals, desk, selectors
from councils.forms import (
    AgendaFormSet,
    AttendanceForm,
    ConveneForm,
    MembershipAddForm,
    MembershipChangeForm,
    MembershipEndForm,
    MinutesForm,
    MotionCloseForm,
    MotionOpenForm,
    RenewalForm,
    SecretaryGrantForm,
    SessionCancelForm,
    VoteForm,
    VotingRulesForm,
)
from councils.models import (
    AgendaItem,
    AgendaItemKind,
    Body,
    Membership,
    Minutes,
    Motion,
    MotionState,
    Person,
    Session,
    SessionState,
    Vote,
)
from councils.permissions import get_visible_body, sits_on, visible_bodies
from councils.services import base as council_base
from councils.services import memberships as membership_services
from councils.services import minutes as minutes_services
from councils.services import renewal as renewal_services
from councils.services import rules as rules_services
from councils.services import secretaries as secretary_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from councils.views import convocation
from councils.views import packets as packet_views
from implan.actions import refusal_as_message
from implan.concurrency import EditConflict, OpenedMixin, reopened
from implan.errors import DomainError
from implan.formatting import account_name
from implan.history import history_entries
from implan.permissions import deny_unless, is_administrator
from implan.types import AuthenticatedRequest


def _invalid(request: HttpRequest, form: OpenedMixin, fallback: str) -> None:
    """A form posted from the session's page that did not validate: its own message (a missing snapshot), or
    ``fallback``."""
    # ErrorList yields its messages as str; the stubs say a ValidationError may come too.
    messages.error(request, " ".join(form.non_field_errors()) or fallback)  # type: ignore[arg-type]


def _conflict_page(
    request: HttpRequest, *, form: OpenedMixin, conflict: EditConflict, title: str, body: Body, back: str
) -> HttpResponse:
    """The form again with what someone else changed and the person's own input, to be sent again on purpose."""
    return render(
        request,
        "councils/workspace/form.html",
        {"body": body, "form": form, "conflict": conflict, "title": title, "cancel_url": back},
    )


@login_required
def body_list(request: AuthenticatedRequest) -> HttpResponse:
    bodies = visible_bodies(request.user).order_by("kind", "name")
    return render(request, "councils/workspace/body_list.html", {"bodies": bodies})


@login_required
def body_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    on = _date(request.GET.get("fecha"))
    return render(
        request,
        "councils/workspace/body_detail.html",
        {
            "body": body,
            "record": selectors.body_record(body=body, on=on),
            "sessions": body.sessions.order_by("-scheduled_at")[:30],
            "can_manage_sessions": council_base.can_manage_sessions(request.user, body),
            "can_manage_memberships": council_base.can_manage_memberships(request.user, body),
            "can_set_voting_rules": rules_services.can_set_voting_rules(request.user),
            "can_assign_secretaries": is_administrator(request.user),
            "voting_rules": rules_services.VotingRules.of(body),
            "history": history_entries(body, body.memberships.all(), body.terms.all()),
        },
    )


@login_required
def body_voting_rules(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(rules_services.can_set_voting_rules(request.user))
    form, conflict = VotingRulesForm.for_body(body, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            rules_services.body_set_voting_rules(actor=request.user, body=body, rules=form.rules(), seen=form.seen())
        except EditConflict as error:
            form, conflict = VotingRulesForm.for_body(body, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Se guardaron las reglas de votación; valen para las votaciones que se abran desde ahora.")
            )
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/form.html",
        {
            "body": body,
            "form": form,
            "conflict": conflict,
            "title": _("Reglas de votación de %(body)s") % {"body": body},
            "lead": _(
                "Cada mayoría se cuenta como un porcentaje de su base. Un cambio vale para las votaciones que se "
                "abran después; las abiertas y las cerradas conservan la regla con que se abrieron."
            ),
        },
    )


@login_required
def body_secretaries(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The administration names and removes a body's technical secretaries."""
    body = get_visible_body(request.user, slug=slug)
    deny_unless(is_administrator(request.user))
    holders = selectors.body_secretaries(body=body)
    candidates = selectors.secretary_candidates(holders=holders)
    form = SecretaryGrantForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            secretary_services.body_secretary_grant(actor=request.user, body=body, user=user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(user)s tiene ahora la secretaría técnica de %(body)s.")
                % {"user": account_name(user), "body": body},
            )
            return redirect("councils:body_secretaries", slug=body.slug)
    return render(
        request,
        "councils/workspace/secretaries.html",
        {
            "body": body,
            "holders": holders,
            "form": form,
            "any_candidate": candidates.exists(),
            "movements": selectors.secretary_movements(body=body),
        },
    )


@login_required
@require_POST
def body_secretary_revoke(request: AuthenticatedRequest, slug: str, user_id: int) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(is_administrator(request.user))
    user = get_object_or_404(get_user_model(), pk=user_id)
    if secretary_services.body_secretary_revoke(actor=request.user, body=body, user=user):
        messages.success(
            request,
            _("%(user)s ya no tiene la secretaría técnica de %(body)s.") % {"user": account_name(user), "body": body},
        )
    else:
        messages.info(
            request,
            _("%(user)s no tenía la secretaría técnica de %(body)s; no hubo nada que quitar.")
            % {"user": account_name(user), "body": body},
        )
    return redirect("councils:body_secretaries", slug=body.slug)


@login_required
def membership_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(council_base.can_manage_memberships(request.user, body))
    form = MembershipAddForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a new person is kept only if the membership is accepted
                person = data["person"] or membership_services.person_create(
                    actor=request.user, name=data["new_person_name"]
                )
                membership_services.membership_add(
                    actor=request.user,
                    body=body,
                    person=person,
                    role=data["role"],
                    sector=data["sector"],
                    has_vote=data["has_vote"],
                    start_date=data["start_date"],
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró a %(person)s.") % {"person": person})
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/form.html",
        {"body": body, "form": form, "title": _("Nueva membresía en %(body)s") % {"body": body}},
    )


@login_required
def membership_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk)
    body = get_visible_body(request.user, pk=membership.body_id)
    deny_unless(council_base.can_manage_memberships(request.user, body))
    form, conflict = MembershipEndForm.for_membership(membership, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.membership_end(
                actor=request.user, membership=membership, seen=form.seen(), **form.end_data()
            )
        except EditConflict as error:
            form, conflict = MembershipEndForm.for_membership(membership, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Terminó la membresía de %(person)s.") % {"person": membership.person})
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/form.html",
        {
            "body": body,
            "form": form,
            "conflict": conflict,
            "title": _("Terminar la membresía de %(p)s") % {"p": membership.person},
        },
    )


@login_required
def membership_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership, pk=pk)
    body = get_visible_body(request.user, pk=membership.body_id)
    deny_unless(council_base.can_manage_memberships(request.user, body))
    form, conflict = MembershipChangeForm.for_membership(membership, request.POST or None), None
    if request.method == "POST" and form.is_valid():
        try:
            membership_services.membership_change(
                actor=request.user, membership=membership, seen=form.seen(), **form.change_data()
            )
        except EditConflict as error:
            form, conflict = MembershipChangeForm.for_membership(membership, reopened(request.POST, error)), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se registró el cambio de cargo."))
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/form.html",
        {
            "body": body,
            "form": form,
            "conflict": conflict,
            "title": _("Cambiar el cargo de %(p)s") % {"p": membership.person},
        },
    )


@login_required
def body_renew(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(council_base.can_manage_memberships(request.user, body))
    outgoing = selectors.renewal_outgoing(body=body)
    renewal = selectors.scheduled_renewal(body=body)
    form, conflict = RenewalForm.for_renewal(renewal, request.POST or None, outgoing=outgoing), None
    if request.method == "POST" and form.is_valid():
        try:
            renewal_services.body_renew(actor=request.user, body=body, seen=form.seen(), **form.renewal_data())
        except EditConflict as error:
            renewal = selectors.scheduled_renewal(body=body)  # the one recorded meanwhile, named on the page
            form, conflict = RenewalForm.for_renewal(renewal, reopened(request.POST, error), outgoing=outgoing), error
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se renovó %(body)s.") % {"body": body})
            return redirect("councils:workspace_body", slug=body.slug)
    return render(
        request,
        "councils/workspace/renewal.html",
        {
            "body": body,
            "form": form,
            "conflict": conflict,
            "outgoing": outgoing,
            "scheduled": renewal.term if renewal else None,
        },
    )


@login_required
def session_convene(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    body = get_visible_body(request.user, slug=slug)
    deny_unless(council_base.can_manage_sessions(request.user, body))
    # «Convocar» from the secretary's desk names the subject to put on the agenda: ?asunto=<model>:<id>
    form = ConveneForm(
        request.POST or None, pending=approvals.awaiting(body), initial={"subjects": request.GET.getlist("asunto")}
    )
    agenda = AgendaFormSet(request.POST or None, prefix="punto")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        entries = _agenda_entries(form, agenda)
        try:
            session = session_services.session_convene(
                actor=request.user,
                body=body,
                kind=form.cleaned_data["kind"],
                scheduled_at=form.cleaned_data["scheduled_at"],
                place=form.cleaned_data["place"],
                agenda=entries,
                late_reason=form.cleaned_data["late_reason"],
            )
        except session_services.notices.LateNotice as error:
            form.add_error("late_reason", error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se convocó la sesión %(n)s.") % {"n": session.number})
            return redirect("councils:workspace_session", pk=session.pk)
    return render(request, "councils/workspace/convene.html", {"body": body, "form": form, "agenda": agenda})


def _agenda_entries(form: ConveneForm, agenda: Any) -> list[session_services.AgendaEntry]:
    entries = [
        session_services.AgendaEntry(
            title=_("Aprobación: %(s)s") % {"s": form.pending[key]},
            subject=form.pending[key],
            kind=AgendaItemKind.DECISION,
        )
        for key in form.cleaned_data["subjects"]
    ]
    for item in agenda.cleaned_data:
        if item and item.get("title"):
            entries.append(
                session_services.AgendaEntry(
                    title=item["title"],
                    description=item.get("description", ""),
                    kind=AgendaItemKind.DECISION if item.get("for_decision") else AgendaItemKind.INFORMATIVE,
                    requires_qualified_majority=item.get("qualified", False),
                )
            )
    return entries


def _visible_session(request: AuthenticatedRequest, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("body"), pk=pk)
    get_visible_body(request.user, pk=session.body_id)
    return session


@login_required
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # The session, its body and minutes, and whether the reader sits on that body: one query. Who does sees it; anyone
    # else is asked the whole rule (a secretary, an administrator; not seen → 404, as ``_visible_session``).
    session = get_object_or_404(
        Session.objects.select_related("body", "minutes").annotate(member=sits_on(request.user, OuterRef("body"))),
        pk=pk,
    )
    # Administrators see every body (``visible_bodies``' rule): their roles came with the user, so no query either.
    if not session.member and not is_administrator(request.user):  # type: ignore[attr-defined]  # annotated above
        get_visible_body(request.user, pk=session.body_id)
    managing = council_base.can_manage_sessions(request.user, session.body)
    members = list(session_services.session_members(session).select_related("person").order_by("person__sort_name"))
    current = dict(session.attendances.values_list("membership_id", "status"))
    # Each point with its frozen version, and its votes with how many were cast and the reader's own: one query each.
    own = Vote.objects.filter(motion=OuterRef("pk"), voter__user=request.user)
    # Ordered by id as Motion's own ordering orders one point's motions (a query that counts drops that ordering).
    motions = Motion.objects.annotate(
        cast=Count("votes"), own_option=Subquery(own.values("option")[:1], output_field=CharField())
    ).order_by("pk")
    items = list(
        session.agenda_items.select_related("frozen")
        .prefetch_related(Prefetch("motions", queryset=motions))
        .order_by("order")
    )
    open_motion = None
    for item in items:  # «Abrir votación» is not offered on a point already decided (the service refuses it too)
        item.decided = any(m.result in vote_services.DECIDED for m in item.motions.all())  # type: ignore[attr-defined]
        for motion in item.motions.all():
            if motion.state == MotionState.OPEN:  # one at a time in a session (``motion_open`` refuses a second)
                open_motion, motion.agenda_item, item.session = motion, item, session  # read by the voter's checks
    minutes = getattr(session, "minutes", None)  # None when there is none (the reverse one-to-one raises otherwise)
    context: dict[str, Any] = {
        "session": session,
        "body": session.body,
        "managing": managing,
        "items": items,
        "quorum": session_services.session_quorum_of(session, members, current),
        "open_motion": open_motion,
        "attendance_form": AttendanceForm(members=members, current=current) if managing else None,
        "motion_form": MotionOpenForm(),
        "minutes_form": None,
        "minutes": minutes,
        "open_motion_rule": vote_services.motion_rule_text(open_motion) if open_motion else "",
        # Votes stay out: while a motion is open only the count of votes cast is shown, never who voted what.
        # The minutes' history only when there are minutes (a history is read for the objects that exist).
        "history": history_entries(
            session, session.agenda_items.all(), session.attendances.all(), *([minutes] if minutes else [])
        ),
    }
    # The reader's person: from the members read above, or (a secretary, an administrator) one query, asked once.
    seat = next((m for m in members if m.person.user_id == request.user.pk), None)
    person = seat.person if seat is not None else Person.objects.filter(user=request.user).first()
    context.update(convocation.convocation_context(request, session, managing, members, person))
    context.update(packet_views.agenda_context(session, context["items"], managing=managing))
    if open_motion:
        context.update(_voter_context(request, open_motion, members, current, person))
        context["subject_url"] = desk.subject_url(open_motion.agenda_item)
        context["vote_count"] = desk.VoteCount(
            cast=open_motion.cast,  # type: ignore[attr-defined]  # annotated above
            present=open_motion.present_voting_members,
            open=True,
        )
    if managing and session.state == SessionState.CLOSED:
        context["minutes_form"] = MinutesForm.for_minutes(context["minutes"])
    return render(request, "councils/workspace/session_detail.html", context)


def _voter_context(
    request: AuthenticatedRequest,
    motion: Motion,
    members: list[Membership],
    current: dict[int, str],
    person: Person | None,
) -> dict[str, Any]:
    """Whether the reader may vote on the open ``motion`` and their vote so far; ``members``, ``current`` and
    ``person``, the session's members, its attendance and the reader's person, which the page has read: no query."""
    if vote_services.present_seat(members, current, request.user) is None:
        return {"can_vote": False, "why_not": vote_services.seat_refusal(members, current, request.user, person)}
    option = motion.own_option  # type: ignore[attr-defined]  # annotated by session_detail
    own = Vote(motion=motion, option=option) if option else None  # its option is all the page shows of it
    return {"can_vote": True, "own_vote": own, "vote_form": VoteForm(initial={"option": option})}


@require_POST
@login_required
def session_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    members = list(session_services.session_members(session).select_related("person").order_by("person__sort_name"))
    form = AttendanceForm(request.POST, members=members, current={})
    if not form.is_valid():
        _invalid(request, form, _("Revise la asistencia: hay valores no válidos."))
    else:
        try:
            quorum = session_services.session_record_attendance(
                actor=request.user, session=session, statuses=form.statuses(), seen=form.seen()
            )
        except EditConflict as error:
            form = AttendanceForm(reopened(request.POST, error), members=members, current={})
            return _conflict_page(
                request,
                form=form,
                conflict=error,
                title=_("Asistencia"),
                body=session.body,
                back=reverse("councils:workspace_session", args=[session.pk]),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Asistencia registrada: %(p)s presente de %(t)s con voto; %(q)s.",
                    "Asistencia registrada: %(p)s presentes de %(t)s con voto; %(q)s.",
                    quorum.present,
                )
                % {
                    "p": quorum.present,
                    "t": quorum.voting_members,
                    "q": _("hay quórum") if quorum.reached else _("no hay quórum"),
                },
            )
    return redirect("councils:workspace_session", pk=session.pk)


@require_POST
@login_required
def motion_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem, pk=pk)
    session = _visible_session(request, item.session_id)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    form = MotionOpenForm(request.POST)
    form.is_valid()
    with refusal_as_message(request):
        vote_services.motion_open(actor=request.user, item=item, text=form.cleaned_data.get("text", ""))
        messages.success(request, _("Votación abierta."))
    return redirect("councils:workspace_session", pk=session.pk)


@require_POST
@login_required
def vote_cast(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """25 members vote within a minute: the service reads the motion and its session once, under its lock, and the
    view reads nothing before it. Who may not see the body still gets a 404, never the reason of a refusal."""
    form = VoteForm(request.POST)
    if not form.is_valid():
        session = _motion_session(request, pk)
        messages.error(request, _("Elija a favor, en contra o abstención."))
        return redirect("councils:workspace_session", pk=session.pk)
    try:
        with transaction.atomic():  # a vote by someone who may not see the body is undone with the 404
            # The voter is always the logged-in user; nothing in the form can name another member.
            vote = vote_services.vote_cast(actor=request.user, motion=Motion(pk=pk), option=form.cleaned_data["option"])
            session = vote.motion.agenda_item.session
            _hide_unless_seat_sees(request, session)
    except Motion.DoesNotExist:
        raise Http404 from None
    except DomainError as error:
        session = _motion_session(request, pk)  # 404 first for who may not see the body
        messages.error(request, error.message)
    else:
        messages.success(request, _("Su voto quedó registrado; puede cambiarlo mientras la votación siga abierta."))
    return redirect("councils:workspace_session", pk=session.pk)


def _motion_session(request: AuthenticatedRequest, pk: int) -> Session:
    """The session of motion ``pk``, or 404 when there is none or the reader may not see its body."""
    motion = get_object_or_404(Motion.objects.select_related("agenda_item"), pk=pk)
    return _visible_session(request, motion.agenda_item.session_id)


def _hide_unless_seat_sees(request: AuthenticatedRequest, session: Session) -> None:
    """After a vote was accepted: 404 unless the voter may see the session's body, as ``_visible_session`` says.

    The vote was accepted from a seat in force on the session's day; on that day the seat is a current membership,
    which is what lets a member see the body. Only a session under way since an earlier day needs the full check."""
    if timezone.localdate(session.scheduled_at) != timezone.localdate():
        get_visible_body(request.user, pk=session.body_id)


@login_required
def motion_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET (or a POST without ``confirmed``): the page that says what closing will do; POST confirmed: close."""
    motion = get_object_or_404(Motion.objects.select_related("agenda_item"), pk=pk)
    session = _visible_session(request, motion.agenda_item.session_id)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    form = MotionCloseForm(request.POST or None)
    if not (request.method == "POST" and form.is_valid() and form.cleaned_data["confirmed"]):
        return _motion_close_confirm(request, motion, session)
    try:
        resolution = vote_services.motion_close(actor=request.user, motion=motion, confirmed=True)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if resolution is None:
            messages.warning(
                request, _("Votación cerrada sin mayoría: no se numera un acuerdo y el punto puede votarse de nuevo.")
            )
        else:
            messages.success(request, _("Votación cerrada. %(text)s") % {"text": resolution.text})
    return redirect("councils:workspace_session", pk=session.pk)


def _motion_close_confirm(request: AuthenticatedRequest, motion: Motion, session: Session) -> HttpResponse:
    """What closing will do, said before it is done: the count so far (never how anyone voted) and the rule."""
    if motion.state != MotionState.OPEN:
        messages.error(request, _("La votación no está abierta."))
        return redirect("councils:workspace_session", pk=session.pk)
    outcome = vote_services.motion_outcome(motion)
    return render(
        request,
        "councils/workspace/motion_close_confirm.html",
        {
            "session": session,
            "body": session.body,
            "motion": motion,
            "cast": outcome.tally.cast,
            "present": outcome.present,
            "rule": vote_services.motion_rule_text(motion),
            "warning": vote_services.incomplete_message(motion, outcome) if outcome.missing else "",
        },
    )


@login_required
def session_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: what concluding the session will do; POST with ``confirmed``: conclude it."""
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    if request.method == "POST" and request.POST.get("confirmed") == "on":
        with refusal_as_message(request):
            session_services.session_close(actor=request.user, session=session)
            messages.success(request, _("La sesión concluyó."))
        return redirect("councils:workspace_session", pk=session.pk)
    if session.state != SessionState.IN_PROGRESS:
        messages.error(request, _("Solo se puede concluir una sesión en curso."))
        return redirect("councils:workspace_session", pk=session.pk)
    undecided = [
        item
        for item in session.agenda_items.filter(kind=AgendaItemKind.DECISION)
        .prefetch_related("motions")
        .order_by("order")
        if not any(m.result in vote_services.DECIDED for m in item.motions.all())
    ]
    return render(
        request,
        "councils/workspace/session_close_confirm.html",
        {
            "session": session,
            "body": session.body,
            "undecided": undecided,
            "open_motion": session.motions_open().first(),
        },
    )


@login_required
def session_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: what cancelling will do, with the reason to give; POST: cancel it."""
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    if session.state != SessionState.CONVENED:
        messages.error(request, _("Solo se puede cancelar una sesión que no ha empezado."))
        return redirect("councils:workspace_session", pk=session.pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_services.session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Se canceló la sesión %(n)s.") % {"n": session.number})
            return redirect("councils:workspace_session", pk=session.pk)
    return render(
        request,
        "councils/workspace/session_cancel_confirm.html",
        {
            "session": session,
            "body": session.body,
            "form": form,
            "subjects": session.agenda_items.filter(subject_type__isnull=False).order_by("order"),
        },
    )


@require_POST
@login_required
def agenda_subject_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """From the secretary's desk: a subject awaiting the body goes on the agenda of a session not yet started."""
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    subject = approvals.subject_from_key(request.POST.get("asunto", ""))
    if subject is None:
        messages.error(request, _("Ese asunto no existe o no se aprueba en los órganos."))
        return redirect("implan:workspace")
    with refusal_as_message(request):
        session_services.agenda_subject_add(actor=request.user, session=session, subject=subject)
        messages.success(
            request,
            _("Se agregó «%(s)s» al orden del día de la sesión %(n)s.") % {"s": subject, "n": session.number},
        )
    return redirect("implan:workspace")


@login_required
def vote_count(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The live count of votes cast on a motion (how many, never who voted what): polled by the session page."""
    # Polled every 5 s by every member on the session page during a vote: in one query the motion, whether the reader
    # sits on its body (who does sees it: no roles or permissions to read) and the count of votes cast.
    cast = Vote.objects.filter(motion=OuterRef("pk")).order_by().values("motion").annotate(n=Count("pk")).values("n")
    motion = get_object_or_404(
        Motion.objects.select_related("agenda_item__session").annotate(
            member=sits_on(request.user, OuterRef("agenda_item__session__body")),
            cast=Coalesce(Subquery(cast), 0),
        ),
        pk=pk,
    )
    if not motion.member:  # type: ignore[attr-defined]  # annotated above
        get_visible_body(request.user, pk=motion.agenda_item.session.body_id)  # a secretary, an administrator
    count = desk.VoteCount(
        cast=motion.cast,  # type: ignore[attr-defined]  # annotated above
        present=motion.present_voting_members,
        open=motion.state == MotionState.OPEN,
    )
    return render(request, "councils/workspace/partials/vote_count.html", {"motion": motion, "vote_count": count})


@require_POST
@login_required
def minutes_save(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _visible_session(request, pk)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    form = MinutesForm.for_minutes(None, request.POST)  # a posted form brings the snapshot it was opened with
    if not form.is_valid():
        _invalid(request, form, _("El acta no puede estar vacía."))
    else:
        try:
            minutes_services.minutes_draft(
                actor=request.user, session=session, text=form.cleaned_data["text"], seen=form.seen()
            )
        except EditConflict as error:
            return _conflict_page(
                request,
                form=MinutesForm.for_minutes(None, reopened(request.POST, error)),
                conflict=error,
                title=_("Borrador del acta"),
                body=session.body,
                back=reverse("councils:workspace_session", args=[session.pk]),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Borrador del acta guardado."))
    return redirect("councils:workspace_session", pk=session.pk)


@require_POST
@login_required
def minutes_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    minutes = get_object_or_404(Minutes.objects.select_related("session__body"), pk=pk)
    session = _visible_session(request, minutes.session_id)
    deny_unless(council_base.can_manage_sessions(request.user, session.body))
    with refusal_as_message(request):
        minutes_services.minutes_publish(actor=request.user, minutes=minutes)
        messages.success(request, _("Acta publicada."))
    return redirect("councils:workspace_session", pk=session.pk)


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
