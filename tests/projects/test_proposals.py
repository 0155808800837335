"""Proposals: members of sectoral or community councils propose; bad input is refused and nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from councils.models import BodyKind
from implan.errors import DomainError
from implan.models import Event, TerritoryKind
from projects import services
from projects.models import Project, ProjectStatus
from tests.factories import BodyFactory, MembershipFactory, StrategyFactory, TerritoryFactory
from tests.projects.builders import community_member, proposal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return community_member()


def test_a_community_council_member_proposes_and_the_body_and_person_are_recorded(member):
    project = services.project_propose(actor=member.user, body=member.body, data=proposal_data())
    assert project.status == ProjectStatus.PROPOSED
    assert (project.origin_body, project.proposed_by) == (member.body, member.membership.person)
    assert project.code == f"PE-{timezone.localdate(project.created_at).year}-001"  # the year it was proposed in
    assert project.slug == "alumbrado-en-el-parque-de-la-colonia"
    assert project.history.get().history_user == member.user
    event = Event.objects.get()
    assert (event.action, event.actor, event.data["body"]) == ("project_proposed", member.user, member.body.pk)


def test_codes_and_slugs_stay_unique(member):
    first = services.project_propose(actor=member.user, body=member.body, data=proposal_data())
    second = services.project_propose(actor=member.user, body=member.body, data=proposal_data())
    assert first.code != second.code and first.slug != second.slug
    assert second.slug == "alumbrado-en-el-parque-de-la-colonia-2"


def test_a_sectoral_council_proposes_with_its_agency_as_responsible(member):
    sectoral = BodyFactory(kind=BodyKind.SECTORAL_COUNCIL, slug="consejo-obra")
    MembershipFactory(person=member.membership.person, body=sectoral)
    project = services.project_propose(actor=member.user, body=sectoral, data=proposal_data())
    assert project.agency == sectoral.agency


def test_someone_without_a_seat_on_the_body_cannot_propose_in_its_name(member, councillor):
    with pytest.raises(PermissionDenied):
        services.project_propose(actor=councillor, body=member.body, data=proposal_data())
    assert not Project.objects.exists()


def test_a_former_member_cannot_propose(member):
    member.membership.end_date = datetime.date(2024, 6, 30)
    member.membership.save()
    with pytest.raises(PermissionDenied):
        services.project_propose(actor=member.user, body=member.body, data=proposal_data())


def test_a_body_that_does_not_propose_projects_is_refused(member):
    consultative = BodyFactory(kind=BodyKind.CONSULTATIVE_COUNCIL, slug="consejo-consultivo")
    MembershipFactory(person=member.membership.person, body=consultative)
    with pytest.raises(DomainError, match="consejo sectorial, un consejo comunitario"):
        services.project_propose(actor=member.user, body=consultative, data=proposal_data())
    assert not Project.objects.exists()


def test_a_community_council_proposes_only_for_its_own_territory(member):
    elsewhere = TerritoryFactory(
        name="Delegación Las Joyas", code="delegacion-las-joyas", kind=TerritoryKind.DELEGACION
    )
    with pytest.raises(DomainError, match="queda fuera"):
        services.project_propose(actor=member.user, body=member.body, data=proposal_data(territory=elsewhere))
    colonia = TerritoryFactory(name="Col. Obregón", code="col-obregon", parent=member.body.territory)
    assert services.project_propose(actor=member.user, body=member.body, data=proposal_data(territory=colonia))


def test_a_strategy_commission_proposes_only_for_its_strategy(member):
    commission = BodyFactory(kind=BodyKind.STRATEGY_COMMISSION, slug="comision-habitat")
    StrategyFactory(commission=commission)
    MembershipFactory(person=member.membership.person, body=commission)
    with pytest.raises(DomainError, match="su propia estrategia"):
        services.project_propose(actor=member.user, body=commission, data=proposal_data())


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"territory": None}, "Indique el territorio"),
        ({"strategy": None}, "Indique la estrategia"),
        ({"title": "  "}, "título"),
        ({"problem": ""}, "problema"),
        ({"estimated_cost": Decimal("-1")}, "costo estimado no puede ser negativo"),
        ({"beneficiaries": -3}, "beneficiarias no puede ser negativo"),
        ({"latitude": Decimal("19.432600"), "longitude": Decimal("-99.133200")}, "fuera del municipio"),  # CDMX
        ({"latitude": Decimal("-101.684000"), "longitude": Decimal("21.122000")}, "fuera del municipio"),  # swapped
        ({"latitude": Decimal("21.122000"), "longitude": Decimal("101.684000")}, "signo negativo"),  # sign lost
        ({"latitude": Decimal("21.122000"), "longitude": None}, "latitud y longitud juntas"),
    ],
)
def test_bad_proposals_are_refused_with_a_clear_message_and_nothing_saved(member, overrides, message):
    data = proposal_data(territory=overrides.pop("territory", member.body.territory), **overrides)
    with pytest.raises(DomainError, match=message):
        services.project_propose(actor=member.user, body=member.body, data=data)
    assert not Project.objects.exists()
    assert not Event.objects.exists()


def test_a_proposal_without_coordinates_is_accepted(member):
    project = services.project_propose(
        actor=member.user, body=member.body, data=proposal_data(latitude=None, longitude=None)
    )
    assert project.latitude is None


def test_the_demo_territories_fall_inside_the_default_bounding_box():
    """The bounding box setting covers every INEGI locality of León the demo loads (and the delegaciones)."""
    import csv

    from implan.portal.demo.catalog import DATA, DELEGACION_POINTS

    with open(DATA / "leon_localidades_1000plus_2020.csv", encoding="utf-8") as handle:
        points = [(row["latitud"], row["longitud"]) for row in csv.DictReader(handle)]
    points += list(DELEGACION_POINTS.values())
    assert all(services.point_in_municipality(Decimal(lat), Decimal(lon)) for lat, lon in points)


def test_the_member_of_a_rural_council_proposes_for_its_locality(member):
    locality = TerritoryFactory(name="Santa Ana del Conde", code="110200470", kind=TerritoryKind.LOCALIDAD)
    rural = BodyFactory(kind=BodyKind.RURAL_COMMUNITY_COUNCIL, slug="consejo-rural", territory=locality)
    MembershipFactory(person=member.membership.person, body=rural)
    project = services.project_propose(actor=member.user, body=rural, data=proposal_data(territory=locality))
    assert (project.territory, project.origin_body) == (locality, rural)
