"""Every write of a consultation: its lifecycle (borrador → abierta → cerrada → informe publicado), comments and
their moderation, forums and their contributions, answers and the report.

Each service takes its actor explicitly (``None`` or an anonymous user for a citizen's comment), runs in a
transaction, locks the consultation it changes, refuses with a Spanish ``DomainError`` and writes an event row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from consultations import contributions_csv
from consultations.instruments import section_parts
from consultations.models import (
    Answer,
    Comment,
    CommentState,
    Consultation,
    ConsultationState,
    Contribution,
    Forum,
    ForumAttendance,
    RejectionReason,
    Section,
    Sector,
    instrument_field,
)
from implan.concurrency import check_snapshot, check_unchanged, label, snapshot
from implan.errors import DomainError
from implan.events import event_record
from implan.limits import require_text_limits
from implan.models import LifecycleState
from implan.permissions import require_planner
from implan.slugs import unique_slug
from implan.types import Actor, AnyUser

ALLOWED = {
    ConsultationState.DRAFT: {ConsultationState.OPEN},
    ConsultationState.OPEN: {ConsultationState.CLOSED},
    ConsultationState.CLOSED: {ConsultationState.REPORTED},
}


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _saved(obj: Any, reason: str) -> Any:
    obj._change_reason = reason  # read by django-simple-history
    require_text_limits(obj)
    obj.save()
    return obj


def _move(consultation: Consultation, to: str, *, actor: Actor | None, reason: str, **stamps: Any) -> Consultation:
    if to not in ALLOWED.get(ConsultationState(consultation.state), set()):
        raise DomainError(
            _("Una consulta «%(from)s» no puede pasar a «%(to)s».")
            % {"from": consultation.get_state_display(), "to": ConsultationState(to).label}
        )
    previous = consultation.state
    consultation.state = to
    for name, value in stamps.items():
        setattr(consultation, name, value)
    _saved(consultation, reason)
    event_record(
        actor=actor, subject=consultation, action=f"consultation_{to}", from_state=previous, to_state=to, note=reason
    )
    return consultation


def _require_period(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise DomainError(_("El periodo termina antes de empezar: revise las fechas."))


# --- Preparation -------------------------------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *, actor: Actor, instrument: Any, title: str, starts_on: datetime.date, ends_on: datetime.date, rules: str
) -> Consultation:
    """A consultation in preparation on a draft version of an instrument."""
    require_planner(actor)
    field = instrument_field(instrument)
    if field is None:
        raise DomainError(_("Ese instrumento no admite consulta pública."))
    if instrument.state != LifecycleState.DRAFT:
        raise DomainError(_("Solo se consulta una versión en borrador, antes de enviarla a aprobación."))
    _require_period(starts_on, ends_on)
    consultation = Consultation(
        title=title,
        slug=unique_slug(Consultation.objects.all(), title, fallback="consulta"),
        starts_on=starts_on,
        ends_on=ends_on,
        rules=rules,
        **{field: instrument},
    )
    _saved(consultation, _("Consulta creada"))
    event_record(actor=actor, subject=consultation, action="consultation_create", to_state=consultation.state)
    return consultation


def _require_draft(consultation: Consultation, message: str) -> None:
    if consultation.state != ConsultationState.DRAFT:
        raise DomainError(message)


# What a planner edits on a consultation: the fields compared to detect a concurrent save (implan.concurrency).
EDITED_FIELDS = ("title", "starts_on", "ends_on", "rules")


@transaction.atomic
def consultation_update(
    *,
    actor: Actor,
    consultation: Consultation,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    rules: str,
    seen: dict[str, str] | None = None,
) -> Consultation:
    """Title, period and rules change only in preparation: once open they are what the public was told. ``seen``: the
    snapshot of the form as opened (``implan.concurrency``); a save by someone else since then is refused."""
    require_planner(actor)
    locked = _locked(consultation)
    _require_draft(locked, _("Una consulta abierta conserva el periodo y las reglas que anunció."))
    check_unchanged(locked, EDITED_FIELDS, seen)
    _require_period(starts_on, ends_on)
    locked.title, locked.starts_on, locked.ends_on, locked.rules = title, starts_on, ends_on, rules
    return _saved(locked, _("Consulta editada"))


@transaction.atomic
def section_add(*, actor: Actor, consultation: Consultation, title: str, description: str = "") -> Section:
    require_planner(actor)
    locked = _locked(consultation)
    _require_draft(locked, _("Las secciones se fijan al abrir la consulta; los comentarios ya se refieren a ellas."))
    order = (locked.sections.aggregate(last=Max("order"))["last"] or 0) + 1
    section = _saved(Section(consultation=locked, order=order, title=title, description=description), _("Sección"))
    event_record(actor=actor, subject=locked, action="section_add", note=section.title)
    return section


@transaction.atomic
def sections_from_instrument(*, actor: Actor, consultation: Consultation) -> list[Section]:
    """Prefill the sections from the instrument's structure (a plan's strategies, a diagnosis's chapters, a
    programme and the rows of its MIR…), each with the instrument's text as its description."""
    require_planner(actor)
    locked = _locked(consultation)
    _require_draft(locked, _("Las secciones se fijan al abrir la consulta; los comentarios ya se refieren a ellas."))
    if locked.sections.exists():
        raise DomainError(_("La consulta ya tiene secciones; agregue las que falten una por una."))
    sections = [
        _saved(
            Section(consultation=locked, order=n, title=title[:250], description=description),
            _("Sección tomada del instrumento"),
        )
        for n, (title, description) in enumerate(section_parts(locked.instrument), start=1)
    ]
    event_record(actor=actor, subject=locked, action="sections_prefill", data={"sections": len(sections)})
    return sections


@transaction.atomic
def section_delete(*, actor: Actor, section: Section) -> None:
    require_planner(actor)
    locked = _locked(section.consultation)
    _require_draft(locked, _("Las secciones se fijan al abrir la consulta; los comentarios ya se refieren a ellas."))
    # The section is gone afterwards: the event stands on its consultation and names it.
    event_record(actor=actor, subject=locked, action="section_delete", note=section.title)
    section.delete()


# --- Lifecycle ---------------------------------------------------------------------------------------------------


@transaction.atomic
def consultation_open(*, actor: Actor, consultation: Consultation) -> Consultation:
    """Announce the consultation: it becomes public and takes comments from its first to its last day."""
    require_planner(actor)
    locked = _locked(consultation)
    if not locked.sections.exists():
        raise DomainError(_("Agregue al menos una sección abierta a comentarios antes de abrir la consulta."))
    if locked.ends_on < timezone.localdate():
        raise DomainError(_("El periodo ya terminó; corrija las fechas antes de abrir la consulta."))
    if locked.instrument.state != LifecycleState.DRAFT:
        raise DomainError(_("Solo se consulta una versión en borrador, antes de enviarla a aprobación."))
    return _move(locked, ConsultationState.OPEN, actor=actor, reason=_("Consulta abierta"), opened_at=timezone.now())


def _close(locked: Consultation, *, actor: Actor | None, reason: str) -> Consultation:
    if locked.state == ConsultationState.OPEN and locked.ends_on >= timezone.localdate():
        raise DomainError(_("La consulta se cierra cuando termina el periodo anunciado, no antes."))
    closed = _move(locked, ConsultationState.CLOSED, actor=actor, reason=reason, closed_at=timezone.now())
    # The address hashes served only to limit comments during the period: not kept longer than needed.
    Comment.objects.filter(section__consultation=closed).exclude(address_hash="").update(address_hash="")
    return closed


@transaction.atomic
def consultation_close(*, actor: Actor, consultation: Consultation) -> Consultation:
    require_planner(actor)
    return _close(_locked(consultation), actor=actor, reason=_("Consulta cerrada"))


def consultations_close_due(*, actor: Actor | None = None, day: datetime.date | None = None) -> list[Consultation]:
    """Close every open consultation whose period has ended (the nightly command; running it twice closes nothing
    the second time). Each in its own transaction, locked, so a planner closing one at the same time is harmless."""
    closed = []
    for pk in Consultation.objects.due_to_close(day).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Consultation.objects.select_for_update().get(pk=pk)
            if locked.state == ConsultationState.OPEN and locked.ends_on < (day or timezone.localdate()):
                closed.append(_close(locked, actor=actor, reason=_("Cerrada al terminar el periodo")))
    return closed


# --- Comments ---------------------------------------------------------------------------------------------------


def fingerprint(value: str) -> str:
    """A keyed hash of an address or session key: enough to count comments, useless to recover the value."""
    return salted_hmac("consultations.fingerprint", value).hexdigest() if value else ""


def rate_keys(*, address_hash: str, session_hash: str) -> list[tuple[str, int]]:
    """The counters a message from the public adds to: comments, proposals and subscriptions share them, so that
    one address cannot flood the moderators by spreading its messages over the three forms."""
    keys = []
    if address_hash:
        keys.append((f"consultas:dir:{address_hash}", settings.CONSULTATION_COMMENTS_PER_ADDRESS))
    if session_hash:
        keys.append((f"consultas:ses:{session_hash}", settings.CONSULTATION_COMMENTS_PER_SESSION))
    return keys


def require_under_rate(keys: list[tuple[str, int]]) -> None:
    if any((cache.get(key) or 0) >= limit for key, limit in keys):
        raise DomainError(
            _(
                "Ha enviado demasiados mensajes en poco tiempo; por cuidado de la participación no se guardó este. "
                "Inténtelo de nuevo en una hora."
            )
        )


def count_towards_rate(keys: list[tuple[str, int]]) -> None:
    for key, _limit in keys:
        cache.add(key, 0, settings.CONSULTATION_RATE_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.CONSULTATION_RATE_WINDOW_SECONDS)


@transaction.atomic
def comment_submit(
    *,
    actor: AnyUser | None,
    section: Section,
    author_name: str,
    place: str,
    email: str,
    text: str,
    sector: str = Sector.CITIZENS,
    address: str = "",
    session_key: str = "",
) -> Comment:
    """A comment from anyone, held for moderation. Refused outside the period and over the rate limits (per
    address and per browser session, counted in the shared cache), with nothing saved."""
    consultation = Consultation.objects.select_for_update().get(pk=section.consultation_id)
    if not consultation.accepts_comments_on(timezone.localdate()):
        raise DomainError(_("Esta consulta no recibe comentarios: su periodo no está en curso."))
    address_hash = fingerprint(address)
    keys = rate_keys(address_hash=address_hash, session_hash=fingerprint(session_key))
    require_under_rate(keys)
    if sector not in Sector.values:
        raise DomainError(_("Elija de la lista cómo participa."))
    comment = Comment(
        section=section,
        author_name=author_name.strip(),
        place=place.strip(),
        sector=sector,
        email=email.strip(),
        text=text.strip(),
        address_hash=address_hash,
    )
    require_text_limits(comment)
    comment.save()
    event_record(actor=actor, subject=comment, action="comment_submit", to_state=comment.state)
    # At once, not on commit: a comment refused later in the transaction still spent an attempt.
    count_towards_rate(keys)
    return comment


@transaction.atomic
def comment_moderate(*, actor: Actor, comment: Comment, accept: bool, reason: str = "") -> Comment:
    """Accept (publish) or reject a held comment; a rejection names its reason from the fixed list."""
    require_planner(actor)
    consultation = _locked(comment.section.consultation)
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if consultation.state not in (ConsultationState.OPEN, ConsultationState.CLOSED):
        raise DomainError(_("Con el informe publicado, la moderación de la consulta está concluida."))
    if locked.state != CommentState.HELD:
        raise DomainError(_("Este comentario ya fue moderado."))
    if not accept and reason not in RejectionReason.values:
        raise DomainError(_("Elija el motivo del rechazo de la lista."))
    locked.state = CommentState.ACCEPTED if accept else CommentState.REJECTED
    locked.rejection_reason = "" if accept else reason
    locked.moderator, locked.moderated_at = actor, timezone.now()
    locked.save()
    event_record(
        actor=actor,
        subject=locked,
        action="comment_moderate",
        from_state=CommentState.HELD,
        to_state=locked.state,
        note=locked.get_rejection_reason_display() if not accept else "",
    )
    return locked


# --- Forums -----------------------------------------------------------------------------------------------------


def _require_collecting(consultation: Consultation) -> None:
    if consultation.state not in (ConsultationState.OPEN, ConsultationState.CLOSED):
        raise DomainError(_("Los foros se registran con la consulta abierta o cerrada, antes de publicar el informe."))


@transaction.atomic
def forum_record(
    *,
    actor: Actor,
    consultation: Consultation,
    title: str,
    held_on: datetime.date,
    place: str,
    attendance: dict[str, int],
) -> Forum:
    """A forum held in person, with its attendance by sector."""
    require_planner(actor)
    locked = _locked(consultation)
    _require_collecting(locked)
    if held_on > timezone.localdate():
        raise DomainError(_("Se registra un foro ya celebrado: la fecha no puede ser futura."))
    forum = _saved(Forum(consultation=locked, title=title, held_on=held_on, place=place), _("Foro registrado"))
    ForumAttendance.objects.bulk_create(
        ForumAttendance(forum=forum, sector=sector, count=count) for sector, count in attendance.items() if count
    )
    event_record(actor=actor, subject=forum, action="forum_record", data={"attendance": attendance})
    return forum


def _contribution(forum: Forum, row: contributions_csv.Row) -> Contribution:
    contribution = Contribution(
        forum=forum, section=row.section, sector=row.sector, participant=row.participant, place=row.place, text=row.text
    )
    contribution._change_reason = _("Aportación de foro")  # type: ignore[attr-defined]  # django-simple-history
    require_text_limits(contribution)
    return contribution


@transaction.atomic
def contribution_add(
    *, actor: Actor, forum: Forum, section: Section, sector: str, participant: str, place: str, text: str
) -> Contribution:
    require_planner(actor)
    _require_collecting(_locked(forum.consultation))
    if section.consultation_id != forum.consultation_id:
        raise DomainError(_("La sección no es de esta consulta."))
    contribution = _contribution(forum, contributions_csv.Row(section, sector, participant, place, text))
    contribution.save()
    event_record(actor=actor, subject=contribution, action="contribution_add")
    return contribution


@transaction.atomic
def contributions_import(*, actor: Actor, forum: Forum, content: bytes) -> list[Contribution]:
    """Every row of a CSV of contributions, or none: one error in any row refuses the whole file (the message lists
    every row's errors)."""
    require_planner(actor)
    consultation = _locked(forum.consultation)
    _require_collecting(consultation)
    rows = contributions_csv.parse(content, sections=list(consultation.sections.all()))
    created = [_contribution(forum, row) for row in rows]
    for contribution in created:
        contribution.save()
    event_record(actor=actor, subject=forum, action="contributions_import", data={"rows": len(created)})
    return created


# --- Answers and the report ---------------------------------------------------------------------------------------


# What a planner edits on an answer: compared to detect a concurrent save (implan.concurrency).
ANSWER_FIELDS = ("verdict", "reason")


def answer_snapshot(answer: Answer | None) -> dict[str, str]:
    """The answer as its form shows it; no answer yet is blank (a colleague answering first is a change too)."""
    return snapshot(answer, ANSWER_FIELDS) if answer is not None else dict.fromkeys(ANSWER_FIELDS, "")


@transaction.atomic
def answer_give(
    *,
    actor: Actor,
    verdict: str,
    reason: str,
    comment: Comment | None = None,
    contribution: Contribution | None = None,
    seen: dict[str, str] | None = None,
) -> Answer:
    """Answer a published comment or a forum contribution, once the period has closed; a later answer replaces the
    earlier one until the report is published. ``seen``: the answer as the form showed it; a save by someone else
    since then is refused (answers are written under the consultation's lock, so the check cannot race)."""
    require_planner(actor)
    subject: Comment | Contribution
    key: dict[str, Comment | Contribution]
    if comment is not None:
        subject, key, consultation = comment, {"comment": comment}, comment.section.consultation
    elif contribution is not None:
        subject, key, consultation = contribution, {"contribution": contribution}, contribution.forum.consultation
    else:
        raise TypeError("answer_give answers a comment or a contribution")  # a caller's mistake, not a person's
    consultation = _locked(consultation)
    if consultation.state != ConsultationState.CLOSED:
        raise DomainError(_("Las aportaciones se responden con la consulta cerrada y antes de publicar el informe."))
    if comment is not None and comment.state != CommentState.ACCEPTED:
        raise DomainError(_("Solo se responden los comentarios publicados."))
    if not reason.strip():
        raise DomainError(_("Explique la respuesta: la razón se publica en el informe."))
    existing = Answer.objects.filter(**key).first()
    check_snapshot(
        answer_snapshot(existing),
        seen,
        labels={name: label(Answer, name) for name in ANSWER_FIELDS},
        rows=[existing] if existing else [],
    )
    answer = existing or Answer(**key)
    answer.verdict, answer.reason = verdict, reason.strip()
    answer.answered_by, answer.answered_at = actor, timezone.now()
    _saved(answer, _("Respuesta"))
    event_record(actor=actor, subject=subject, action="contribution_answer", to_state=verdict, note=answer.reason)
    return answer


def report_pending(consultation: Consultation) -> list[str]:
    """What still stands between a closed consultation and its report, in Spanish (empty when it may be published)."""
    held = Comment.objects.held().filter(section__consultation=consultation).count()
    unanswered = (
        Comment.objects.published().filter(section__consultation=consultation, answer__isnull=True).count()
        + Contribution.objects.filter(forum__consultation=consultation, answer__isnull=True).count()
    )
    pending = []
    if held:
        pending.append(_("%(n)s comentario(s) por moderar") % {"n": held})
    if unanswered:
        pending.append(_("%(n)s aportación(es) sin respuesta") % {"n": unanswered})
    return pending


@transaction.atomic
def report_publish(*, actor: Actor, consultation: Consultation, summary: str = "") -> Consultation:
    """Publish the «informe de la consulta»: every comment moderated and every contribution answered first."""
    require_planner(actor)
    locked = _locked(consultation)
    pending = report_pending(locked)
    if locked.state == ConsultationState.CLOSED and pending:
        raise DomainError(_("Antes de publicar el informe falta: %(list)s.") % {"list": "; ".join(pending)})
    locked.report_summary = summary or locked.report_summary
    return _move(
        locked,
        ConsultationState.REPORTED,
        actor=actor,
        reason=_("Informe de la consulta publicado"),
        report_published_at=timezone.now(),
    )
