"""An open vote on the session's page: the member's own vote, changed while open, and a live count of votes cast
that says how many and never who voted what."""

import re

import pytest
from django.urls import reverse

from councils.models import AttendanceStatus, Person, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from tests.councils.builders import council, session_in_progress
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_vote():
    c = council(size=5)
    session = session_in_progress(c, present=4)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    return c, session, motion


def test_the_member_sees_their_vote_and_can_change_it_while_open(client, open_vote):
    c, session, motion = open_vote
    client.force_login(c.user(0))
    url = reverse("councils:workspace_session", args=[session.pk])
    page = client.get(url).content.decode()
    assert page.index("Votación abierta") < page.index("Presentes con voto")  # the vote first, for the phone
    assert 'class="vote-option"' in page and ">Votar</button>" in page
    client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES})
    page = client.get(url).content.decode()
    assert "Su voto: <strong>A favor</strong>" in page
    assert ">Cambiar mi voto</button>" in page
    client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.ABSTAIN})
    assert "Su voto: <strong>Abstención</strong>" in client.get(url).content.decode()
    assert motion.votes.get().option == VoteOption.ABSTAIN


def test_the_live_count_says_how_many_voted_never_how(client, open_vote):
    c, _, motion = open_vote
    vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.NO)
    vote_services.vote_cast(actor=c.user(1), motion=motion, option=VoteOption.YES)
    client.force_login(c.user(2))
    url = reverse("councils:vote_count", args=[motion.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "Han votado 2 de 4 integrantes presentes." in fragment
    assert 'hx-trigger="every 5s"' in fragment  # keeps polling while open
    for secret in ("A favor", "En contra", c.members[0].person.name):
        assert secret not in fragment
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    fragment = client.get(url).content.decode()
    assert "La votación se cerró." in fragment
    assert "hx-trigger" not in fragment  # stops polling once closed


def test_the_live_count_is_for_those_who_see_the_session_only(client, open_vote):
    _, _, motion = open_vote
    url = reverse("councils:vote_count", args=[motion.pk])
    assert client.get(url).status_code == 302  # to the login page
    outsider = council(size=1, slug="otro").user(0)
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_htmx_is_served_by_the_portal_itself(client, open_vote):
    c, session, motion = open_vote
    client.force_login(c.user(0))
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js"' in page
    assert not re.search(r'<script[^>]+src="https?://', page)  # no CDN
    assert f'hx-get="{reverse("councils:vote_count", args=[motion.pk])}"' in page
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_the_page_says_why_one_may_not_vote_in_the_words_of_the_vote_itself(client, open_vote):
    """The session's page words the refusal from rows it has read (no query); the vote's own check words it from
    the database. Each kind of reader gets the same reason from both: a member absent, a member without a vote, a
    person of another body, an account with no person, and a present member (who may vote)."""
    c, session, motion = open_vote
    absent = c.user(4)  # session_in_progress(present=4): the fifth member is absent
    voiceless = UserFactory(username="sin-voto")
    MembershipFactory(
        person=PersonFactory(user=voiceless), body=c.body, has_vote=False, start_date=c.members[0].start_date
    )
    outsider = UserFactory(username="de-otro-organo")
    PersonFactory(user=outsider)
    nobody = UserFactory(username="sin-persona")
    members = list(session_services.session_members(session).select_related("person"))
    current = dict(session.attendances.values_list("membership_id", "status"))
    assert current[c.members[4].pk] != AttendanceStatus.PRESENT
    for user in (absent, voiceless, outsider, nobody, c.user(0)):
        try:
            vote_services.voter_membership(motion=motion, user=user)
        except DomainError as error:
            expected = error.message
        else:
            expected = ""
        person = Person.objects.filter(user=user).first()
        assert vote_services.seat_refusal(members, current, user, person) == expected, user.username
    client.force_login(absent)
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert "Solo votan los integrantes presentes en la sesión." in page
