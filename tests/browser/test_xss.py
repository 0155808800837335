"""Hostile text in every free-text field of the demo, seen in Chromium after the portal's own scripts ran.

tests/portal/test_xss.py poisons every text field and inspects the markup the server sends on every public and
workspace page. The pages that run scripts (the maps of the portfolio and of each project) build HTML in the
browser from the data; they are opened here and inspected after their scripts ran. The check looks at markup, not
at whether a script ran: the Content-Security-Policy would stop most payloads anyway, and this test must fail
without the escaping.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.payloads import injected
from tests.portal.test_xss import poison_every_text_field

# The maps of the portfolio list and of the first projects; the same scripts draw every project page.
PROJECT_PAGES = 6


@pytest.fixture
def poisoned_demo(demo):
    assert poison_every_text_field() > 40


def test_no_payload_is_rendered_as_markup_by_the_pages_scripts(client, poisoned_demo, live_server, new_page):
    portfolio = reverse("projects:project_list")
    html = client.get(portfolio).content.decode()
    projects = list(dict.fromkeys(re.findall(r'href="(/proyectos/[^"/?#]+/)"', html)))
    scripted = [portfolio, *projects[:PROJECT_PAGES]]
    assert len(scripted) > PROJECT_PAGES // 2
    for url in scripted:
        assert '<script src="' in client.get(url).content.decode(), url
        page = new_page()
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert injected(page.content()) == [], url


def test_no_payload_is_rendered_by_the_map_of_citizen_proposals_nor_its_popups_and_tooltips(
    client, poisoned_demo, live_server, new_page
):
    """The call's map draws citizens' titles: each marker is hovered (its tooltip) and clicked (its popup)."""
    calls = reverse("consultations:call_list")
    [call] = list(dict.fromkeys(re.findall(r'href="(/propuestas/[^"/?#]+/)"', client.get(calls).content.decode())))
    html = client.get(call).content.decode()
    proposals = list(dict.fromkeys(re.findall(r'href="(/propuestas/[^"/?#]+/\d+/)"', html)))
    assert len(proposals) >= 4
    for url in [call, *proposals[:2]]:
        page = new_page()
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        markers = page.locator(".leaflet-interactive")
        assert markers.count() >= 1, url
        for n in range(min(markers.count(), 3)):
            markers.nth(n).hover(force=True)
            assert injected(page.content()) == [], url
            markers.nth(n).click(force=True)
            assert injected(page.content()) == [], url
