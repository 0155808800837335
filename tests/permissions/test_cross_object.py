"""Cross-object refusals: a role that is allowed on one object is refused on its neighbour, and nothing changes.

The matrix (test_matrix.py) tries every URL with every role on one set of objects; these cases try a user who IS
allowed somewhere on the object next door: a secretary of body A on body B, a liaison of agency A on agency B's
project, a commission member on another strategy, a member on a vote of a body they do not sit on, and a member
trying to cast a vote in another member's name.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from councils.models import Session, Vote, VoteOption
from councils.services import votes as vote_services
from implan import roles
from planning.models import Objective
from projects.models import ProgressUpdate, ProjectStatus
from tests.councils.builders import council, session_in_progress
from tests.factories import AgencyFactory, AgencyLiaisonFactory, ProjectFactory, UserFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def test_the_secretary_of_body_a_is_refused_on_body_b(client):
    a = council(size=2, slug="consejo-a")
    b = council(size=2, slug="consejo-b")
    session_b = session_in_progress(b, present=2)
    session_b.refresh_from_db()
    client.force_login(a.secretary)
    assert client.get(reverse("councils:workspace_session", args=[session_b.pk])).status_code == 404
    assert client.get(reverse("councils:session_convene", args=[b.body.slug])).status_code == 404
    response = client.post(reverse("councils:session_close", args=[session_b.pk]))
    assert response.status_code == 404
    assert Session.objects.get(pk=session_b.pk).state == session_b.state


def test_a_liaison_is_refused_on_another_agencys_project(client):
    mine, theirs = AgencyFactory(slug="obra-publica"), AgencyFactory(slug="movilidad")
    liaison = UserFactory(username="enlace-obra", roles=[roles.AGENCY_LIAISON])
    AgencyLiaisonFactory(user=liaison, agency=mine)
    project = ProjectFactory(agency=theirs, status=ProjectStatus.IN_EXECUTION)
    client.force_login(liaison)
    response = client.post(
        reverse("projects:progress_report", args=[project.pk]),
        {
            "reported_on": datetime.date.today().isoformat(),
            "physical_progress": "50",
            "amount_spent": "1000",
            "narrative": "Avance que no le corresponde reportar",
        },
    )
    assert response.status_code in (403, 404)
    assert not ProgressUpdate.objects.filter(project=project).exists()
    project.refresh_from_db()
    assert project.physical_progress == Decimal("0")


def test_a_commission_member_is_refused_on_another_strategy(client):
    world = plan_world(slug="cruzado")
    own, other = world.strategies[0], world.strategies[1]
    client.force_login(world.commission_member)
    assert client.get(reverse("planning:objective_create", args=[own.pk])).status_code == 200
    response = client.post(
        reverse("planning:objective_create", args=[other.pk]),
        {"number": 9, "title": "Objetivo ajeno", "description": ""},
    )
    assert response.status_code == 404
    assert not Objective.objects.filter(strategy=other, title="Objetivo ajeno").exists()


def test_a_member_cannot_vote_in_a_body_they_do_not_sit_on(client):
    a = council(size=2, slug="consejo-a")
    b = council(size=2, slug="consejo-b")
    session_b = session_in_progress(b, present=2)
    motion = vote_services.motion_open(actor=b.secretary, item=session_b.agenda_items.get(), text="Se aprueba")
    client.force_login(a.user(0))
    response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES})
    assert response.status_code == 404
    assert not Vote.objects.filter(motion=motion).exists()


def test_a_member_cannot_cast_a_vote_in_another_members_name(client):
    c = council(size=3, slug="consejo-consultivo")
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    other = c.members[1]
    client.force_login(c.user(0))
    client.post(
        reverse("councils:vote_cast", args=[motion.pk]),
        {"option": VoteOption.NO, "membership": other.pk, "voter": other.person.pk, "user": other.person.user.pk},
    )
    votes = list(Vote.objects.filter(motion=motion).select_related("voter"))
    assert [v.voter for v in votes] == [c.members[0].person]
    assert not Vote.objects.filter(motion=motion, voter=other.person).exists()
