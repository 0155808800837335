"""People and their seats on bodies: a new person, a membership added, changed or ended, and the seat limit."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from councils.models import (
    Body,
    BodyTerm,
    Membership,
    Person,
)
from councils.services.base import require_membership_manager, with_reason
from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.limits import text_limit
from implan.permissions import objects_for
from implan.slugs import unique_slug
from implan.types import Actor

# What a person edits on a membership: the fields compared to detect a concurrent save (implan.concurrency).
MEMBERSHIP_FIELDS = ("role", "sector", "has_vote", "start_date", "end_date")


# How many times a new person's slug is tried again when a concurrent insert takes it first.
SLUG_ATTEMPTS = 5


@transaction.atomic
def person_create(*, actor: Actor, name: str) -> Person:
    """Register a person typed in by a membership manager; the slug is the first free one for the name.

    Two managers adding namesakes at once may both see the same slug free: the loser's insert fails on the unique
    index inside a savepoint and the next free slug is tried, instead of answering with an error.
    """
    if not actor.is_active or not objects_for(actor, "councils.manage_memberships", Body.objects.all()).exists():
        raise PermissionDenied(_("No tiene permiso para registrar personas en los órganos."))
    name = name.strip()
    if not name:
        raise DomainError(_("Escriba el nombre de la persona."))
    limit = text_limit(Person, "name")
    if len(name) > limit:
        raise DomainError(
            _("El nombre «%(name)s…» es demasiado largo: el máximo es de %(n)s caracteres.")
            % {"name": name[:40], "n": limit}
        )
    for _attempt in range(SLUG_ATTEMPTS):
        slug = unique_slug(Person.objects.all(), name, fallback="persona")
        person = with_reason(Person(name=name, sort_name=name, slug=slug), _("Alta de persona"))
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            continue
        event_record(actor=actor, subject=person, action="person_created", note=name)
        return person
    raise DomainError(_("No se pudo registrar a %(name)s; intente de nuevo.") % {"name": name})


# --- Memberships ---------------------------------------------------------------------------------------------


def seats_used(*, body: Body, on: datetime.date) -> int:
    return body.memberships.active_on(on).voting().count()


def check_seat_limit(*, body: Body, seat_limit: int | None) -> None:
    """Refuse a seat limit below the voting seats the body already has taken, today or on any seat scheduled to
    start later (a renewal recorded in advance): the public page would read «27 de 20»."""
    if seat_limit is None or body.pk is None:
        return
    today = timezone.localdate()
    days = {today, *body.memberships.filter(start_date__gt=today).values_list("start_date", flat=True)}
    taken = max(seats_used(body=body, on=day) for day in days)
    if taken > seat_limit:
        raise DomainError(
            ngettext(
                "%(body)s tiene %(n)s asiento con voto ocupado; el número de asientos no puede ser menor.",
                "%(body)s tiene %(n)s asientos con voto ocupados; el número de asientos no puede ser menor.",
                taken,
            )
            % {"body": body, "n": taken}
        )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    body: Body,
    person: Person,
    role: str,
    sector: str,
    start_date: datetime.date,
    has_vote: bool = True,
    term: BodyTerm | None = None,
    on_behalf_of: Any = None,
) -> Membership:
    """Seat ``person`` on ``body`` from ``start_date``, within the body's seat limit."""
    require_membership_manager(actor, body)
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.memberships.filter(person=person, end_date__isnull=True).exists():
        raise DomainError(_("%(person)s ya es integrante de %(body)s.") % {"person": person, "body": body})
    if has_vote and body.seat_limit is not None and seats_used(body=body, on=start_date) >= body.seat_limit:
        raise DomainError(
            ngettext(
                "%(body)s ya tiene ocupado su %(limit)s asiento.",
                "%(body)s ya tiene ocupados sus %(limit)s asientos.",
                body.seat_limit,
            )
            % {"body": body, "limit": body.seat_limit}
        )
    membership = with_reason(
        Membership(
            person=person,
            body=body,
            role=role,
            sector=sector,
            has_vote=has_vote,
            start_date=start_date,
            term=term,
            on_behalf_of=on_behalf_of,
        ),
        _("Alta de integrante"),
    )
    membership.save()
    event_record(actor=actor, subject=membership, action="membership_added", to_state=role)
    return membership


@transaction.atomic
def membership_end(
    *, actor: Actor, membership: Membership, end_date: datetime.date, reason: str, seen: dict[str, str] | None = None
) -> Membership:
    """Close a membership; the person stays in the body's record as a past member.

    ``seen`` is the membership as the manager's form showed it: ``EditConflict`` when someone changed it since.
    """
    require_membership_manager(actor, membership.body)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    check_unchanged(membership, MEMBERSHIP_FIELDS, seen)
    if membership.end_date is not None:
        raise DomainError(_("Esta membresía ya terminó."))
    if end_date < membership.start_date:
        raise DomainError(_("La fecha de término no puede ser anterior a la de inicio."))
    membership.end_date = end_date
    membership.end_reason = reason
    with_reason(membership, reason or _("Baja de integrante")).save()
    event_record(actor=actor, subject=membership, action="membership_ended", note=reason)
    return membership


@transaction.atomic
def membership_change(
    *,
    actor: Actor,
    membership: Membership,
    role: str,
    sector: str,
    has_vote: bool,
    on: datetime.date,
    seen: dict[str, str] | None = None,
) -> Membership:
    """Change role or sector from ``on``: the old membership ends the day before, a new one starts."""
    require_membership_manager(actor, membership.body)
    if on <= membership.start_date:
        raise DomainError(_("El cambio debe empezar después del inicio de la membresía actual."))
    membership_end(
        actor=actor,
        membership=membership,
        end_date=on - datetime.timedelta(days=1),
        reason=_("Cambio de cargo"),
        seen=seen,
    )
    return membership_add(
        actor=actor,
        body=membership.body,
        person=membership.person,
        role=role,
        sector=sector,
        has_vote=has_vote,
        start_date=on,
        term=membership.term,
    )
