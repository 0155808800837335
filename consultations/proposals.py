"""Every write of a call for citizen proposals: the call's lifecycle (borrador → abierta → cerrada), a citizen's
proposal and its moderation, its assessment and its entry into the portfolio as a project.

As in ``consultations.services``: each service takes its actor explicitly (``None`` or an anonymous user for a
citizen), runs in a transaction, locks the row it changes, refuses with a Spanish ``DomainError`` (nothing saved)
and writes an event row. The robot and rate checks of a proposal are the consultation comments' own.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import CallState, Proposal, ProposalCall, ProposalState, RejectionReason
from consultations.services import count_towards_rate, fingerprint, rate_keys, require_under_rate
from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.limits import require_text_limits
from implan.models import Territory
from implan.permissions import require_planner
from implan.slugs import unique_slug
from implan.types import Actor, AnyUser
from planning.models import Strategy
from projects.services import ProjectData, point_in_municipality, project_register

CALL_MOVES = {CallState.DRAFT: {CallState.OPEN}, CallState.OPEN: {CallState.CLOSED}}
P = ProposalState
# The assessment of a published proposal; IN_PORTFOLIO only through ``proposal_to_project``, which makes the project.
ASSESSMENT_MOVES: dict[str, set[str]] = {
    P.RECEIVED: {P.FOR_ASSESSMENT, P.NOT_VIABLE},
    P.FOR_ASSESSMENT: {P.UNDER_ASSESSMENT, P.NOT_VIABLE},
    P.UNDER_ASSESSMENT: {P.IN_PORTFOLIO, P.NOT_VIABLE},
}
# The fields a planner edits on a call in preparation (compared to detect a concurrent save).
CALL_FIELDS = ("title", "starts_on", "ends_on", "rules", "territories", "strategies")


def _locked_call(call: ProposalCall) -> ProposalCall:
    return ProposalCall.objects.select_for_update().get(pk=call.pk)


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def _saved(obj: Any, actor: Any, reason: str) -> Any:
    obj._history_user = actor if actor is not None and actor.is_authenticated else None
    obj._change_reason = reason  # read by django-simple-history
    require_text_limits(obj)
    obj.save()
    return obj


# --- The call ------------------------------------------------------------------------------------------------------


def _check_call(
    starts_on: datetime.date, ends_on: datetime.date, territories: list[Territory], strategies: list[Strategy]
) -> None:
    if ends_on < starts_on:
        raise DomainError(_("El periodo termina antes de empezar: revise las fechas."))
    if not territories or not strategies:
        raise DomainError(_("Elija al menos un territorio y un tema que acepta la convocatoria."))
    home = set(
        Territory.objects.places_of_home().filter(pk__in=[t.pk for t in territories]).values_list("pk", flat=True)
    )
    if outside := [t.name for t in territories if t.pk not in home]:
        raise DomainError(
            _("Una convocatoria recibe propuestas del municipio: %(names)s no es parte de él.")
            % {"names": ", ".join(outside)}
        )


@transaction.atomic
def call_create(
    *,
    actor: Actor,
    title: str,
    rules: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    territories: Iterable[Territory],
    strategies: Iterable[Strategy],
) -> ProposalCall:
    """A call in preparation: the period, the rules, and the territories and strategies a proposal may be for."""
    require_planner(actor)
    territories, strategies = list(territories), list(strategies)
    _check_call(starts_on, ends_on, territories, strategies)
    call = ProposalCall(
        title=title.strip(),
        slug=unique_slug(ProposalCall.objects.all(), title, fallback="convocatoria"),
        rules=rules.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    _saved(call, actor, _("Convocatoria creada"))
    call.territories.set(territories)
    call.strategies.set(strategies)
    event_record(actor=actor, subject=call, action="proposal_call_create", to_state=call.state)
    return call


@transaction.atomic
def call_update(
    *,
    actor: Actor,
    call: ProposalCall,
    title: str,
    rules: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    territories: Iterable[Territory],
    strategies: Iterable[Strategy],
    seen: dict[str, str] | None = None,
) -> ProposalCall:
    """A call changes only in preparation: once open, its period, rules, territories and themes are what the public
    was told. ``seen``: the form's snapshot (``implan.concurrency``); a save by someone else since then is refused."""
    require_planner(actor)
    locked = _locked_call(call)
    if locked.state != CallState.DRAFT:
        raise DomainError(_("Una convocatoria abierta conserva el periodo, las bases, los territorios y los temas."))
    check_unchanged(locked, CALL_FIELDS, seen)
    territories, strategies = list(territories), list(strategies)
    _check_call(starts_on, ends_on, territories, strategies)
    locked.title, locked.rules, locked.starts_on, locked.ends_on = title.strip(), rules.strip(), starts_on, ends_on
    _saved(locked, actor, _("Convocatoria editada"))
    locked.territories.set(territories)
    locked.strategies.set(strategies)
    return locked


def calls_close_due(*, actor: Actor | None = None, day: datetime.date | None = None) -> list[ProposalCall]:
    """Close every open call whose period has ended (the nightly command, with the consultations; twice is harmless).
    Each in its own transaction, locked, so a planner closing one at the same time is harmless."""
    day = day or timezone.localdate()
    closed = []
    for pk in ProposalCall.objects.filter(state=CallState.OPEN, ends_on__lt=day).values_list("pk", flat=True):
        with transaction.atomic():
            locked = ProposalCall.objects.select_for_update().get(pk=pk)
            if locked.state == CallState.OPEN and locked.ends_on < day:
                closed.append(_close_call(locked, actor=actor, reason=_("Cerrada al terminar el periodo")))
    return closed


def _move_call(call: ProposalCall, to: str, *, actor: Actor | None, reason: str, **stamps: Any) -> ProposalCall:
    if to not in CALL_MOVES.get(CallState(call.state), set()):
        raise DomainError(
            _("Una convocatoria «%(from)s» no puede pasar a «%(to)s».")
            % {"from": call.get_state_display(), "to": CallState(to).label}
        )
    previous, call.state = call.state, to
    for name, value in stamps.items():
        setattr(call, name, value)
    _saved(call, actor, reason)
    event_record(actor=actor, subject=call, action=f"proposal_call_{to}", from_state=previous, to_state=to)
    return call


@transaction.atomic
def call_open(*, actor: Actor, call: ProposalCall) -> ProposalCall:
    """Announce the call: it becomes public and takes proposals from its first to its last day."""
    require_planner(actor)
    locked = _locked_call(call)
    if locked.ends_on < timezone.localdate():
        raise DomainError(_("El periodo ya terminó; corrija las fechas antes de abrir la convocatoria."))
    return _move_call(locked, CallState.OPEN, actor=actor, reason=_("Convocatoria abierta"), opened_at=timezone.now())


def _close_call(locked: ProposalCall, *, actor: Actor | None, reason: str) -> ProposalCall:
    if locked.state == CallState.OPEN and locked.ends_on >= timezone.localdate():
        raise DomainError(_("La convocatoria se cierra cuando termina el periodo anunciado, no antes."))
    closed = _move_call(locked, CallState.CLOSED, actor=actor, reason=reason, closed_at=timezone.now())
    # The address hashes served only to limit proposals during the period: not kept longer than needed.
    Proposal.objects.filter(call=closed).exclude(address_hash="").update(address_hash="")
    return closed


@transaction.atomic
def call_close(*, actor: Actor, call: ProposalCall) -> ProposalCall:
    """Close the call once its period is over; the address hashes kept for the rate limit are erased."""
    require_planner(actor)
    return _close_call(_locked_call(call), actor=actor, reason=_("Convocatoria cerrada"))


# --- A citizen's proposal ------------------------------------------------------------------------------------------


def _ancestors(territory: Territory) -> set[int]:
    """The territory and those it lies in (a colonia, its delegación, the municipality)."""
    found: set[int] = set()
    node: Territory | None = territory
    for _depth in range(10):  # territories nest a few levels at most; the bound guards against a cycle
        if node is None or node.pk in found:
            break
        found.add(node.pk)
        node = node.parent
    return found


def _check_place(call: ProposalCall, *, territory: Territory, strategy: Strategy, lat: Decimal, lon: Decimal) -> None:
    if not call.territories.filter(pk__in=_ancestors(territory)).exists():
        raise DomainError(
            _("Esta convocatoria no recibe propuestas para «%(territory)s»; elija uno de sus territorios.")
            % {"territory": territory}
        )
    if not call.strategies.filter(pk=strategy.pk).exists():
        raise DomainError(_("Esta convocatoria no recibe propuestas de ese tema; elija uno de la lista."))
    if not point_in_municipality(lat, lon):
        raise DomainError(_("El punto marcado queda fuera del municipio; márquelo en el mapa, dentro del municipio."))


@transaction.atomic
def proposal_submit(
    *,
    actor: AnyUser | None,
    call: ProposalCall,
    title: str,
    description: str,
    author_name: str,
    territory: Territory,
    strategy: Strategy,
    latitude: Decimal,
    longitude: Decimal,
    email: str = "",
    address: str = "",
    session_key: str = "",
) -> Proposal:
    """A proposal from anyone, held for moderation. Refused outside the period, for a territory or theme the call does
    not take, with a point outside the municipality, and over the comments' rate limits, with nothing saved."""
    locked = _locked_call(call)
    if not locked.accepts_proposals_on(timezone.localdate()):
        raise DomainError(_("Esta convocatoria no recibe propuestas: su periodo no está en curso."))
    _check_place(locked, territory=territory, strategy=strategy, lat=latitude, lon=longitude)
    address_hash = fingerprint(address)
    keys = rate_keys(address_hash=address_hash, session_hash=fingerprint(session_key))
    require_under_rate(keys)
    proposal = Proposal(
        call=locked,
        title=title.strip(),
        description=description.strip(),
        author_name=author_name.strip(),
        territory=territory,
        strategy=strategy,
        latitude=latitude,
        longitude=longitude,
        email=email.strip(),
        address_hash=address_hash,
    )
    _saved(proposal, actor, _("Propuesta recibida"))
    event_record(actor=actor, subject=proposal, action="proposal_submit", to_state=proposal.state)
    count_towards_rate(keys)  # at once: a proposal refused later in the transaction still spent an attempt
    return proposal


@transaction.atomic
def proposal_moderate(*, actor: Actor, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """Publish a held proposal (it is then «recibida») or reject it with a reason from the fixed list."""
    require_planner(actor)
    locked = _locked(proposal)
    if locked.state != ProposalState.HELD:
        raise DomainError(_("Esta propuesta ya fue moderada."))
    if not accept and reason not in RejectionReason.values:
        raise DomainError(_("Elija el motivo del rechazo de la lista."))
    locked.state = ProposalState.RECEIVED if accept else ProposalState.REJECTED
    locked.rejection_reason = "" if accept else reason
    locked.moderator, locked.moderated_at = actor, timezone.now()
    locked.updated_at = locked.moderated_at
    _saved(locked, actor, _("Propuesta moderada"))
    event_record(
        actor=actor,
        subject=locked,
        action=f"proposal_{locked.state}",
        from_state=ProposalState.HELD,
        to_state=locked.state,
        note=locked.get_rejection_reason_display() if not accept else "",
    )
    return locked


def _advance(locked: Proposal, to: str, *, actor: Actor, reason: str) -> Proposal:
    if to not in ASSESSMENT_MOVES.get(locked.state, set()):
        raise DomainError(
            _("Una propuesta «%(from)s» no puede pasar a «%(to)s».")
            % {"from": locked.get_state_display(), "to": ProposalState(to).label}
        )
    if to == ProposalState.NOT_VIABLE and not reason.strip():
        raise DomainError(_("Explique por qué la propuesta no es viable: la razón se publica."))
    previous, locked.state = locked.state, to
    locked.state_reason = reason.strip()
    locked.updated_at = timezone.now()
    _saved(locked, actor, ProposalState(to).label)
    event_record(
        actor=actor, subject=locked, action=f"proposal_{to}", from_state=previous, to_state=to, note=locked.state_reason
    )
    return locked


@transaction.atomic
def proposal_advance(*, actor: Actor, proposal: Proposal, to: str, reason: str = "") -> Proposal:
    """A step of the assessment of a published proposal: accepted for assessment, under assessment, or not viable
    (with its reason, published). Each step once: a second click on the same step is refused."""
    require_planner(actor)
    if to == ProposalState.IN_PORTFOLIO:
        raise DomainError(_("Una propuesta entra a la cartera al registrar su proyecto."))
    return _advance(_locked(proposal), to, actor=actor, reason=reason)


@transaction.atomic
def proposal_to_project(*, actor: Actor, proposal: Proposal) -> Proposal:
    """Turn a proposal under assessment into a project of the portfolio (proposed, to be assessed like any other);
    the proposal and the project name each other on their pages."""
    require_planner(actor)
    locked = _locked(proposal)
    if locked.state != ProposalState.UNDER_ASSESSMENT:
        raise DomainError(_("Solo una propuesta en valoración se incorpora a la cartera."))
    project = project_register(
        actor=actor,
        data=ProjectData(
            title=locked.title,
            problem=locked.description,
            strategy=locked.strategy,
            territory=locked.territory,
            latitude=locked.latitude,
            longitude=locked.longitude,
        ),
        origin=_("Propuesta ciudadana «%(title)s» (%(call)s)") % {"title": locked.title, "call": locked.call},
    )
    locked.project = project
    return _advance(locked, ProposalState.IN_PORTFOLIO, actor=actor, reason="")
