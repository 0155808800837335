"""The open-data hub lists every file with format, licence and last update, and every link resolves; the Atom feed
of publications parses without error."""

import re

import feedparser
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_open_data_link_resolves_and_the_feed_parses(client, demo):
    page = client.get(reverse("implan:open_data")).content.decode()
    links = re.findall(r'<th scope="row"><a href="([^"]+)"', page)
    expected = {
        reverse("councils:popolo"),
        reverse("projects:oc4ids"),
        reverse("indicators:datapackage"),
        reverse("planning:budget_datapackage", args=[2025]),
        reverse("implan:feed"),
    }
    assert expected <= set(links)
    assert "Libre Uso MX" in page
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, link

    feed = feedparser.parse(client.get(reverse("implan:feed")).content)
    assert not feed.bozo, feed.get("bozo_exception")
    titles = [entry.title for entry in feed.entries]
    assert any(t.startswith("Presupuesto: ") for t in titles)
    assert any(t.startswith("Programa de gobierno: ") for t in titles)
    assert all(entry.link.startswith("http") for entry in feed.entries)
    for entry in feed.entries[:10]:
        path = re.sub(r"^https?://[^/]+", "", entry.link).split("#")[0]
        assert client.get(path).status_code == 200, path


def test_the_feed_shows_only_published_content(client):
    from tests.factories import BudgetFactory

    BudgetFactory(title="Presupuesto en borrador secreto", state="borrador")
    feed = feedparser.parse(client.get(reverse("implan:feed")).content)
    assert not feed.bozo
    assert not any("secreto" in entry.title for entry in feed.entries)
