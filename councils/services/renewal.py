"""A body's terms and their renewal: the new term's members, the continuity rule (the 50% rule) and its undo."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils import selectors
from councils.models import (
    Attendance,
    Body,
    BodyTerm,
    Membership,
    MembershipRole,
    Person,
    Sector,
    Vote,
)
from councils.services.base import percent_share, percent_text, require_membership_manager, with_reason
from councils.services.memberships import person_create
from implan.concurrency import check_snapshot
from implan.errors import DomainError
from implan.events import event_record, events_for
from implan.formatting import long_date
from implan.types import Actor


@dataclass(frozen=True)
class Joiner:
    person: Person
    role: str = MembershipRole.COUNCILLOR
    sector: str = Sector.CITIZEN


@transaction.atomic
def body_renew(
    *,
    actor: Actor,
    body: Body,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    continuing: Sequence[Membership],
    joining: Sequence[Joiner],
    new_names: Sequence[str] = (),
    seen: dict[str, str] | None = None,
) -> BodyTerm:
    """Open a new term: pick which outgoing citizen members continue, who joins, and new people (``new_names``,
    registered only if the renewal is saved).

    Refused (nothing saved) when fewer than the body's minimum share of outgoing citizen members continue, or when
    the new term would exceed the seat limit. A renewal recorded in advance, in which nothing has happened yet, is
    replaced by recording it again (see ``_renewal_to_replace``): that is how it is corrected. ``seen`` is the
    renewal recorded in advance as the secretary's form showed it (``selectors.renewal_snapshot``): EditConflict
    when someone recorded or replaced one since, so a second secretary does not silently undo the first's.
    """
    require_membership_manager(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    _check_renewal_unchanged(body, seen)
    if end_date <= start_date:
        raise DomainError(_("El periodo debe terminar después de empezar."))
    replaced = _renewal_to_replace(body, start_date=start_date)
    if replaced is not None:
        _renewal_undo(actor=actor, body=body, term=replaced)
    eve = start_date - datetime.timedelta(days=1)
    outgoing = list(body.memberships.active_on(eve).citizens().select_related("person"))
    outgoing_ids = {m.pk for m in outgoing}
    continuing_ids = {m.pk for m in continuing}
    if not continuing_ids <= outgoing_ids:
        raise DomainError(
            _("Solo pueden continuar integrantes ciudadanos en funciones el %(eve)s, víspera del nuevo periodo.")
            % {"eve": long_date(eve)}
        )
    _check_continuity(body, kept=len(continuing_ids), outgoing=len(outgoing))
    joining_people = [j.person.pk for j in joining]
    continuing_people = {m.person_id for m in outgoing if m.pk in continuing_ids}
    if len(set(joining_people)) != len(joining_people) or continuing_people & set(joining_people):
        raise DomainError(_("Una persona aparece dos veces en la renovación."))
    other_voting = body.memberships.active_on(start_date).voting().exclude(pk__in=outgoing_ids).count()
    new_total = len(continuing_ids) + len(joining) + len(new_names) + other_voting
    if body.seat_limit is not None and new_total > body.seat_limit:
        raise DomainError(
            ngettext(
                "La renovación ocuparía %(total)s asiento y el órgano tiene %(limit)s.",
                "La renovación ocuparía %(total)s asientos y el órgano tiene %(limit)s.",
                new_total,
            )
            % {"total": new_total, "limit": body.seat_limit}
        )
    joining = [*joining, *(Joiner(person=person_create(actor=actor, name=n)) for n in new_names)]
    term = with_reason(
        BodyTerm(body=body, name=name, start_date=start_date, end_date=end_date), _("Renovación del órgano")
    )
    term.save()
    for membership in outgoing:
        membership.end_date = eve
        membership.end_reason = _("Fin del periodo")
        with_reason(membership, _("Renovación del órgano")).save()
    for membership in outgoing:
        if membership.pk in continuing_ids:
            with_reason(
                Membership(
                    person=membership.person,
                    body=body,
                    term=term,
                    role=membership.role,
                    sector=membership.sector,
                    has_vote=membership.has_vote,
                    start_date=start_date,
                ),
                _("Continúa en la renovación"),
            ).save()
    for joiner in joining:
        with_reason(
            Membership(
                person=joiner.person,
                body=body,
                term=term,
                role=joiner.role,
                sector=joiner.sector,
                start_date=start_date,
            ),
            _("Se integra en la renovación"),
        ).save()
    event_record(
        actor=actor,
        subject=term,
        action="body_renewed",
        data={
            "continuing": len(continuing_ids),
            "outgoing": len(outgoing),
            "joining": len(joining),
            "replaced": replaced.name if replaced else None,
        },
    )
    return term


def _check_renewal_unchanged(body: Body, seen: dict[str, str] | None) -> None:
    """EditConflict when the renewal recorded in advance is not the one the form showed (``body`` is locked)."""
    scheduled = selectors.scheduled_renewal(body=body)
    check_snapshot(
        selectors.renewal_snapshot(scheduled),
        seen,
        labels=selectors.RENEWAL_LABELS,
        rows=[scheduled.term] if scheduled else [],
    )


def _renewal_to_replace(body: Body, *, start_date: datetime.date) -> BodyTerm | None:
    """The renewal a new one starting on ``start_date`` replaces, or None; DomainError when it cannot be replaced.

    Replaced: a term starting on or after ``start_date``, or a term still to begin that ``start_date`` falls in
    (the renewal recorded in advance, moved later). Only the latest term can be replaced, only if a renewal recorded
    it (not a loader or the admin) and only while nothing has happened in it: no attendance, no vote from its seats.
    """
    later = list(body.terms.filter(start_date__gte=start_date).order_by("start_date")) or list(
        body.terms.filter(start_date__gt=timezone.localdate(), start_date__lt=start_date, end_date__gte=start_date)
    )
    if not later:
        return None
    term = later[-1]
    scheduled = _("%(name)s, desde el %(date)s") % {"name": term.name, "date": long_date(term.start_date)}
    if len(later) > 1:
        raise DomainError(
            _(
                "Hay %(n)s periodos registrados que empiezan el %(date)s o después; solo se puede "
                "reemplazar el último (%(term)s)."
            )
            % {"n": len(later), "date": long_date(start_date), "term": scheduled}
        )
    if not events_for(term).filter(action="body_renewed").exists():
        raise DomainError(
            _(
                "El periodo %(term)s no se registró con una renovación, así que no se puede "
                "reemplazar con otra; elija una fecha de inicio posterior."
            )
            % {"term": scheduled}
        )
    seats = term.memberships.all()
    if Attendance.objects.filter(membership__in=seats).exists() or Vote.objects.filter(membership__in=seats).exists():
        raise DomainError(
            _(
                "La renovación %(term)s ya tiene asistencias o votos de sus integrantes; forma parte del "
                "registro del órgano y no se puede reemplazar."
            )
            % {"term": scheduled}
        )
    return term


def _renewal_undo(*, actor: Actor, body: Body, term: BodyTerm) -> None:
    """Undo a renewal nobody has acted in: its seats go, the seats it closed get back the end they had before.

    The seats it closed are those whose history shows the renewal's own change (saved between the term's creation and
    the renewal's event, in its transaction); each gets the end date and reason of its last record before that.
    """
    renewed = events_for(term).filter(action="body_renewed").earliest("created_at")
    created = term.history.earliest("history_date").history_date
    eve = term.start_date - datetime.timedelta(days=1)
    reason = _("Renovación reemplazada")
    removed = 0
    for membership in term.memberships.select_for_update():  # first, so a reopened seat meets no open one
        with_reason(membership, reason).delete()
        removed += 1
    for membership in body.memberships.select_for_update().filter(end_date=eve):
        if not membership.history.filter(history_date__range=(created, renewed.created_at), end_date=eve).exists():
            continue
        before = membership.history.filter(history_date__lt=created).order_by("-history_date", "-history_id").first()
        if before is not None:
            membership.end_date, membership.end_reason = before.end_date, before.end_reason
            with_reason(membership, reason).save()
    event_record(
        actor=actor,
        subject=body,
        action="body_renewal_replaced",
        note=term.name,
        data={"term": term.name, "start_date": term.start_date.isoformat(), "seats_removed": removed},
    )
    with_reason(term, reason).delete()


def _check_continuity(body: Body, *, kept: int, outgoing: int) -> None:
    minimum = body.renewal_min_continuity_percent
    if minimum is None or outgoing == 0:
        return
    if kept < percent_share(minimum) * outgoing:
        raise DomainError(
            ngettext(
                "Deben continuar al menos el %(min)s%% de %(outgoing)s integrante ciudadano saliente; "
                "continúan %(kept)s.",
                "Deben continuar al menos el %(min)s%% de los %(outgoing)s integrantes ciudadanos salientes; "
                "continúan %(kept)s.",
                outgoing,
            )
            % {"min": percent_text(minimum), "outgoing": outgoing, "kept": kept}
        )
