"""Open consultations on the public home, in the Atom feed and in the open-data hub."""

from __future__ import annotations

import feedparser
import pytest
from django.urls import reverse

from tests.consultations.builders import draft_consultation, open_consultation

pytestmark = pytest.mark.django_db


def test_the_home_shows_open_consultations_and_not_drafts(client, planner):
    running = open_consultation(planner)
    draft = draft_consultation(planner, slug="borrador")
    page = client.get(reverse("implan:home")).content.decode()
    assert reverse("consultations:detail", args=[running.slug]) in page
    assert reverse("consultations:detail", args=[draft.slug]) not in page


def test_the_feed_announces_an_opened_consultation(client, planner):
    running = open_consultation(planner)
    feed = feedparser.parse(client.get(reverse("implan:feed")).content)
    assert any(running.title in entry.title and running.slug in entry.link for entry in feed.entries)


def test_the_open_data_hub_lists_the_consultation_files(client):
    page = client.get(reverse("implan:open_data")).content.decode()
    assert reverse("consultations:opendata_json") in page and reverse("consultations:opendata_csv") in page
