"""Public pages are cached for anonymous visitors, invalidated by any content change, and revalidated with ETags."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StrategicPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    cache.clear()


def _queries(client, path: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    return len(ctx.captured_queries), response


def test_a_second_visit_is_served_from_the_cache(client, page_cache):
    first, response = _queries(client, "/organos/")
    second, again = _queries(client, "/organos/")
    assert first > 0 and second == 0
    assert again.content == response.content
    assert again["Content-Security-Policy"] == response["Content-Security-Policy"]


def test_publishing_content_invalidates_the_cached_pages(client, page_cache):
    client.get("/")
    StrategicPlanFactory(title="León hacia el Futuro, Visión 2045", state="publicado")
    queries, response = _queries(client, "/")
    assert queries > 0
    assert "Visión 2045" in response.content.decode()


def test_logged_in_users_never_get_a_cached_page(client, page_cache, planner):
    client.get("/")
    client.force_login(planner)
    queries, response = _queries(client, "/")
    assert queries > 0 and "Cerrar sesión" in response.content.decode()


def test_each_language_has_its_own_cached_page(client, page_cache):
    spanish = client.get("/").content
    client.get("/idioma/en/")
    english = client.get("/").content
    assert b'lang="en"' in english and b'lang="es"' in spanish


def test_an_unchanged_page_is_revalidated_with_its_etag(client, page_cache):
    response = client.get("/organos/")
    assert response.has_header("ETag") and response.has_header("Last-Modified")
    assert "Cookie" in response["Vary"]
    revalidated = client.get("/organos/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert revalidated.status_code == 304


def test_the_language_link_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/idioma/en/", {"siguiente": "/organos/"})
    assert response.status_code == 302 and response["Location"] == "/organos/"
    assert response.cookies["django_language"].value == "en"
    assert client.get("/idioma/en/", {"siguiente": "https://evil.example/"})["Location"] == "/"
    assert client.get("/idioma/xx/").status_code == 404
