"""The vote POST leaves the reading of the motion to the service (issue 19), and still answers 404, with nothing
saved, to whoever may not see the body: also a former member whose seat was in force on the day of a session that has
been under way since then."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import Membership, Vote, VoteOption
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db


def _vote_since_two_days_ago():
    c = council(size=3, slug="consejo-en-curso")
    session = session_in_progress(c, present=3, when=timezone.now() - datetime.timedelta(days=2))
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    # The first member's seat ended yesterday: in force on the session's day, no longer today.
    Membership.objects.filter(pk=c.members[0].pk).update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    return c, session, motion


def test_a_former_member_who_no_longer_sees_the_body_gets_404_and_no_vote(client):
    c, _session, motion = _vote_since_two_days_ago()
    client.force_login(c.user(0))
    response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES})
    assert response.status_code == 404
    assert not Vote.objects.filter(motion=motion).exists()


def test_a_sitting_member_votes_in_a_session_under_way_since_an_earlier_day(client):
    c, session, motion = _vote_since_two_days_ago()
    client.force_login(c.user(1))
    response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.NO})
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:workspace_session", args=[session.pk])
    assert list(Vote.objects.filter(motion=motion).values_list("voter", "option")) == [
        (c.members[1].person.pk, VoteOption.NO)
    ]


def test_a_vote_on_a_motion_that_does_not_exist_is_404(client):
    c, _session, motion = _vote_since_two_days_ago()
    client.force_login(c.user(1))
    response = client.post(reverse("councils:vote_cast", args=[motion.pk + 1000]), {"option": VoteOption.NO})
    assert response.status_code == 404


def test_an_outsider_gets_404_before_any_reason_even_for_a_closed_vote(client):
    c, _session, motion = _vote_since_two_days_ago()
    vote_services.vote_cast(actor=c.user(1), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True)
    other = council(size=1, slug="otro-consejo")
    client.force_login(other.user(0))
    response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.NO})
    assert response.status_code == 404
