"""The rules of a call for citizen proposals, each tried to break: the period, the place, moderation by moderators
only, no double transitions, the project made from a proposal and the links between them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations import proposals as services
from consultations.models import CallState, Proposal, ProposalCall, ProposalState, RejectionReason
from implan.errors import DomainError
from implan.events import events_for
from implan.models import Territory
from projects.models import ProjectStatus
from tests.consultations.proposal_builders import call_world, propose

pytestmark = pytest.mark.django_db


def test_a_citizen_proposal_is_held_until_a_moderator_publishes_it(planner):
    call = call_world(planner)
    proposal = propose(call, n=1)
    assert proposal.state == ProposalState.HELD
    assert not Proposal.objects.published().exists()

    services.proposal_moderate(actor=planner, proposal=proposal, accept=True)

    assert list(Proposal.objects.published()) == [proposal]
    assert sorted(e.action for e in events_for(proposal)) == ["proposal_recibida", "proposal_submit"]


def test_no_proposal_before_or_after_the_period_nor_in_a_call_in_preparation(planner):
    call = call_world(planner)
    ProposalCall.objects.filter(pk=call.pk).update(starts_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="periodo"):
        propose(call)
    ProposalCall.objects.filter(pk=call.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=9),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(DomainError, match="periodo"):
        propose(call)
    draft = call_world(planner, slug="en-preparacion", open_it=False)
    with pytest.raises(DomainError, match="periodo"):
        propose(draft)
    assert not Proposal.objects.exists()


def test_the_point_must_lie_in_the_municipality(planner):
    call = call_world(planner)
    with pytest.raises(DomainError, match="fuera del municipio"):
        propose(call, latitude=Decimal("19.432600"), longitude=Decimal("-99.133200"))  # Mexico City
    with pytest.raises(DomainError, match="fuera del municipio"):
        propose(call, latitude=Decimal("-101.684000"), longitude=Decimal("21.122000"))  # swapped
    assert not Proposal.objects.exists()


def test_the_territory_and_theme_must_be_the_calls(planner):
    call = call_world(planner)
    with pytest.raises(DomainError, match="Colonia Lejana"):
        propose(call, territory=Territory.objects.get(name="Colonia Lejana"))
    other = call.strategies.get().plan.strategies.exclude(pk__in=call.strategies.all()).get()
    with pytest.raises(DomainError, match="tema"):
        propose(call, strategy=other)
    # The delegación the call names, and its colonias, are accepted.
    assert propose(call, territory=call.territories.get()).pk


def test_the_rate_limit_of_comments_holds_for_proposals(planner, settings):
    settings.CONSULTATION_COMMENTS_PER_SESSION = 2
    call = call_world(planner)
    data = {
        "title": "T",
        "description": "D",
        "author_name": "A",
        "territory": call.territories.get(),
        "strategy": call.strategies.get(),
        "latitude": Decimal("21.1"),
        "longitude": Decimal("-101.6"),
    }
    for n in range(2):
        services.proposal_submit(actor=None, call=call, address=f"10.9.9.{n}", session_key="misma", **data)
    with pytest.raises(DomainError, match="demasiados mensajes"):
        services.proposal_submit(actor=None, call=call, address="10.9.9.9", session_key="misma", **data)
    assert Proposal.objects.count() == 2


def test_only_moderators_moderate_and_only_once(planner, outsider, councillor):
    call = call_world(planner)
    proposal = propose(call)
    for someone in (outsider, councillor):
        with pytest.raises(PermissionDenied):
            services.proposal_moderate(actor=someone, proposal=proposal, accept=True)
    with pytest.raises(DomainError, match="motivo"):
        services.proposal_moderate(actor=planner, proposal=proposal, accept=False, reason="me cae mal")
    services.proposal_moderate(actor=planner, proposal=proposal, accept=False, reason=RejectionReason.ADVERTISING)
    with pytest.raises(DomainError, match="ya fue moderada"):
        services.proposal_moderate(actor=planner, proposal=proposal, accept=True)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED and proposal.rejection_reason == RejectionReason.ADVERTISING


def test_the_assessment_goes_step_by_step_and_no_step_twice(planner, outsider):
    call = call_world(planner)
    proposal = services.proposal_moderate(actor=planner, proposal=propose(call), accept=True)
    with pytest.raises(PermissionDenied):
        services.proposal_advance(actor=outsider, proposal=proposal, to=ProposalState.FOR_ASSESSMENT)
    with pytest.raises(DomainError, match="no puede pasar"):
        services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.UNDER_ASSESSMENT)
    services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.FOR_ASSESSMENT)
    with pytest.raises(DomainError, match="no puede pasar"):
        services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.FOR_ASSESSMENT)
    with pytest.raises(DomainError, match="cartera"):
        services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.IN_PORTFOLIO)
    with pytest.raises(DomainError, match="en valoración"):
        services.proposal_to_project(actor=planner, proposal=proposal)
    with pytest.raises(DomainError, match="Explique"):
        services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.NOT_VIABLE, reason=" ")
    done = services.proposal_advance(
        actor=planner, proposal=proposal, to=ProposalState.NOT_VIABLE, reason="El predio es federal."
    )
    assert done.state == ProposalState.NOT_VIABLE and done.state_reason == "El predio es federal."
    with pytest.raises(DomainError, match="no puede pasar"):
        services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.UNDER_ASSESSMENT)


def test_a_proposal_under_assessment_becomes_a_proposed_project_once(planner):
    call = call_world(planner)
    proposal = services.proposal_moderate(actor=planner, proposal=propose(call, n=3), accept=True)
    services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.FOR_ASSESSMENT)
    services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.UNDER_ASSESSMENT)

    done = services.proposal_to_project(actor=planner, proposal=proposal)

    project = done.project
    assert done.state == ProposalState.IN_PORTFOLIO and project is not None
    assert project.status == ProjectStatus.PROPOSED and project.origin_body is None
    assert (project.title, project.territory, project.strategy) == (
        proposal.title,
        proposal.territory,
        proposal.strategy,
    )
    assert (project.latitude, project.longitude) == (proposal.latitude, proposal.longitude)
    assert project.citizen_proposal == done
    with pytest.raises(DomainError):
        services.proposal_to_project(actor=planner, proposal=proposal)
    assert type(project).objects.count() == 1


def test_a_call_closes_after_its_period_and_forgets_the_addresses(planner):
    call = call_world(planner)
    propose(call, n=4)
    with pytest.raises(DomainError, match="no antes"):
        services.call_close(actor=planner, call=call)
    ProposalCall.objects.filter(pk=call.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    closed = services.call_close(actor=planner, call=call)
    assert closed.state == CallState.CLOSED
    assert not Proposal.objects.exclude(address_hash="").exists()
    with pytest.raises(DomainError, match="no puede pasar"):
        services.call_close(actor=planner, call=call)


def test_a_call_names_at_least_one_territory_and_theme(planner):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="al menos"):
        services.call_create(
            actor=planner, title="C", rules="r", starts_on=today, ends_on=today, territories=[], strategies=[]
        )
    assert not ProposalCall.objects.exists()


def test_a_call_takes_only_places_of_the_municipality(planner):
    """Guanajuato's other municipalities, the state and the country are loaded for comparisons: a call (and the
    projects its proposals become) cannot name them."""
    from implan.models import TerritoryKind
    from planning.models import Strategy
    from tests.factories import StrategyFactory, TerritoryFactory

    call_world(planner)  # León and its places
    celaya = TerritoryFactory(name="Celaya", code="11007", kind=TerritoryKind.MUNICIPIO)
    today = timezone.localdate()
    strategy = Strategy.objects.first() or StrategyFactory()
    with pytest.raises(DomainError, match="Celaya no es parte"):
        services.call_create(
            actor=planner,
            title="Otra",
            rules="r",
            starts_on=today,
            ends_on=today,
            territories=[celaya],
            strategies=[strategy],
        )
    assert ProposalCall.objects.filter(title="Otra").count() == 0


def test_followers_of_the_strategy_and_of_the_territory_hear_of_a_published_proposal_only(planner):
    from consultations import following
    from consultations.models import FollowKind

    call = call_world(planner)
    held = propose(call, n=1, title="Retenida todavía")
    published = services.proposal_moderate(actor=planner, proposal=propose(call, n=2), accept=True)
    until = timezone.now() + datetime.timedelta(minutes=1)
    delegation = call.territories.get()  # the proposal is in one of its colonias

    for kind, obj in ((FollowKind.STRATEGY, published.strategy), (FollowKind.TERRITORY, delegation)):
        texts = [change.text for change in following.changes(kind, obj, until=until)]
        assert texts == [f"Nueva propuesta ciudadana «{published.title}» en Colonia Obregón."], kind
        assert held.title not in " ".join(texts)


def test_the_nightly_command_closes_the_calls_past_their_period_once(planner):
    from django.core.management import call_command

    running = call_world(planner)
    due = call_world(planner, slug="vencida")
    ProposalCall.objects.filter(pk=due.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    call_command("close_consultations", stdout=open("/dev/null", "w"))
    call_command("close_consultations", stdout=open("/dev/null", "w"))
    assert ProposalCall.objects.get(pk=due.pk).state == CallState.CLOSED
    assert ProposalCall.objects.get(pk=running.pk).state == CallState.OPEN
    assert [e.action for e in events_for(due)].count("proposal_call_cerrada") == 1


def test_an_open_call_keeps_what_it_announced(planner):
    call = call_world(planner)
    with pytest.raises(DomainError, match="conserva"):
        services.call_update(
            actor=planner,
            call=call,
            title="Otra",
            rules="Otras",
            starts_on=call.starts_on,
            ends_on=call.ends_on,
            territories=call.territories.all(),
            strategies=call.strategies.all(),
        )
    call.refresh_from_db()
    assert call.title == "Propuestas para mi colonia 2026"
