"""Fifty simultaneous submissions of one member's vote, as real HTTP requests to the live server."""

import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from councils.models import Vote, VoteOption
from councils.services import votes as vote_services
from implan import roles
from tests.councils.builders import council, session_in_progress


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_votes_of_one_member_leave_exactly_one(live_server):
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    c = council(size=5)
    session = session_in_progress(c, present=5)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    browser = Client()
    browser.force_login(c.user(0))
    session_cookie = browser.cookies["sessionid"].value
    opener = urllib.request.build_opener(NoRedirect)
    page = opener.open(
        urllib.request.Request(
            f"{live_server.url}/espacio/sesiones/{session.pk}/", headers={"Cookie": f"sessionid={session_cookie}"}
        )
    )
    csrf_cookie = re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    url = f"{live_server.url}/espacio/votaciones/{motion.pk}/votar/"
    options = [VoteOption.YES, VoteOption.NO, VoteOption.ABSTAIN]

    def submit(n: int) -> int:
        body = urllib.parse.urlencode({"option": options[n % 3], "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Cookie": f"sessionid={session_cookie}; csrftoken={csrf_cookie}",
                "Referer": live_server.url + "/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            return opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=25) as pool:
        statuses = list(pool.map(submit, range(50)))
    assert set(statuses) == {302}, statuses
    assert Vote.objects.filter(motion=motion, voter=c.members[0].person).count() == 1
    assert Vote.objects.filter(motion=motion).count() == 1
