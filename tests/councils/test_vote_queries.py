"""A session during a vote, as its members get it: the page and the live count it polls every 5 s take the same
number of queries with 5 members or 25, with no vote cast or all of them, and the poll writes nothing (issue 19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import VoteOption
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db

# The live count is what 25 members poll at once; the session page is read once per member and vote.
POLL_QUERIES = 3  # the request's session and user; the motion with whether the reader sits on its body and the count
# The POST (issue 19: was 14): the request's session and user, then the service under the motion's lock (the motion
# with its session, the seat with the member's vote so far, the vote's write and history, the event). Here the view's
# transaction and the service's are two savepoints inside the test's (four statements); served, they are BEGIN, a
# savepoint and COMMIT.
VOTE_QUERIES = 11
SESSION_PAGE_QUERIES = 15  # issue 19: was 30; the rows each part needs, read with the session, items and motions


def _vote(size: int, *, voted: int) -> tuple:
    c = council(size=size, slug=f"consejo-{size}")
    session = session_in_progress(c, present=size)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(voted):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    return c, session, motion


def _queries(client, url: str) -> list[str]:
    """The queries of a page read again: the first read warms the process's caches (content types, permissions),
    as any earlier request of a running server has, so the count does not depend on which test ran first."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_polled_vote_count_takes_few_queries_whatever_the_size_and_writes_nothing(client):
    counts = []
    for size, voted in ((5, 0), (25, 25)):
        c, _session, motion = _vote(size, voted=voted)
        client.force_login(c.user(0))
        queries = _queries(client, reverse("councils:vote_count", args=[motion.pk]))
        assert len(queries) <= POLL_QUERIES
        assert not [sql for sql in queries if sql.startswith(("UPDATE", "INSERT", "DELETE"))]
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_session_page_during_a_vote_takes_the_same_queries_whatever_the_size(client):
    counts = []
    for size, voted in ((5, 0), (25, 24)):
        c, session, _motion = _vote(size, voted=voted)
        client.force_login(c.user(size - 1))  # one who has not voted yet: the vote form
        counts.append(len(_queries(client, reverse("councils:workspace_session", args=[session.pk]))))
    assert counts[0] == counts[1] <= SESSION_PAGE_QUERIES


def test_a_vote_takes_the_same_queries_whatever_the_size(client):
    counts = []
    for size, voted in ((5, 0), (25, 24)):
        c, _session, motion = _vote(size, voted=voted)
        client.force_login(c.user(size - 1))
        client.get(reverse("councils:workspace_session", args=[_session.pk]))  # the page the vote is cast from
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(reverse("councils:vote_cast", args=[motion.pk]), {"option": VoteOption.YES})
        assert response.status_code == 302 and motion.votes.count() == voted + 1
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= VOTE_QUERIES
