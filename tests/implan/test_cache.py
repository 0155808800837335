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


@pytest.mark.parametrize(
    "path",
    ["/", "/proyectos/?x=1", "/organos/", "/indicadores/", "/buscar/?q=agua", "/datos/indicadores/datapackage.json"],
)
def test_a_cached_answer_has_every_header_of_the_first(client, page_cache, path):
    first = client.get(path)
    queries, again = _queries(client, path)
    assert queries == 0
    assert dict(again.items()) == dict(first.items())
    assert again["X-Frame-Options"] == "DENY" and "default-src" in again["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/espacio/", "/espacio/proyectos/", "/espacio/indicadores/"])
def test_workspace_pages_are_private_and_never_stored(client, page_cache, planner, path):
    client.force_login(planner)
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" not in response["Cache-Control"]


def test_a_logged_in_users_public_page_is_not_stored_either(client, page_cache, planner):
    client.force_login(planner)
    assert "no-store" in client.get("/proyectos/")["Cache-Control"]
    client.logout()
    assert "public" in client.get("/proyectos/")["Cache-Control"]


def test_the_version_is_renewed_again_when_the_change_commits(page_cache, django_capture_on_commit_callbacks):
    """A page built between the save and the commit saw the new version but the old data: it must not be served."""
    from implan.cache import content_version

    with django_capture_on_commit_callbacks(execute=True):
        StrategicPlanFactory(state="publicado")
        at_save = content_version()
    assert content_version() != at_save


def test_a_page_cached_at_an_older_version_is_built_again(client, page_cache):
    client.get("/organos/")
    StrategicPlanFactory(title="Plan de otra versión", state="publicado")
    queries, response = _queries(client, "/organos/")
    assert queries > 0 and response.status_code == 200
    assert _queries(client, "/organos/")[0] == 0


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 300
    cache.clear()


def test_the_homes_content_is_kept_by_content_version_for_everyone(client, fragment_cache, planner):
    """The page cache is off (as for a logged-in user): the cycle, strategies, indicators and resolutions of the home
    are built once per content version; only the clock-bound parts (sessions, consultations) are read again."""
    first, response = _queries(client, "/")
    second, again = _queries(client, "/")
    assert first >= 10 and second == 2
    assert again.content == response.content
    client.force_login(planner)
    logged_in, page = _queries(client, "/")
    assert "El ciclo de la planeación" in page.content.decode() and "Cerrar sesión" in page.content.decode()
    assert logged_in < first


def test_publishing_content_renews_the_homes_kept_content(client, fragment_cache):
    client.get("/")
    StrategicPlanFactory(title="León hacia el Futuro, Visión 2045", state="publicado")
    queries, response = _queries(client, "/")
    assert queries > 2 and "Visión 2045" in response.content.decode()


def test_each_language_keeps_its_own_home_content(client, fragment_cache):
    StrategicPlanFactory(state="publicado")
    spanish = client.get("/").content.decode()
    client.get("/idioma/en/")
    english = client.get("/").content.decode()
    assert "El ciclo de la planeación" in spanish and "El ciclo de la planeación" not in english


@pytest.mark.parametrize(
    "url",
    [
        "/plan/",
        "/plan/estrategias/desarrollo-sustentable/",
        "/presupuesto/2025/",
        "/proyectos/",
        "/indicadores/",
        "/transparencia/",
        "/transparencia/sesiones-del-ayuntamiento/",
    ],
)
def test_public_pages_keep_their_content_until_it_changes(client, fragment_cache, demo, url):
    """Kept content costs (almost) no query, and any change of content draws it again, for everyone."""
    first, response = _queries(client, url)
    kept, again = _queries(client, url)
    assert kept <= 2 < first and again.content == response.content
    StrategicPlanFactory(title="Un plan recién aprobado", state="borrador")  # any change of content
    assert _queries(client, url)[0] == first


def test_votes_of_an_open_motion_keep_the_cache_and_its_closing_renews_it(
    client, page_cache, django_capture_on_commit_callbacks
):
    """25 members voting in a live session must not throw away every kept page of the site 25 times: a vote is
    public only once its motion closes. The closing renews the version, and the public record then shows each vote."""
    from councils.models import VoteOption
    from councils.services import votes
    from implan.cache import content_version
    from tests.councils.builders import council, session_in_progress

    c = council(size=3)
    session = session_in_progress(c, present=3)
    motion = votes.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    public = f"/organos/{c.body.slug}/sesiones/{session.number}/"
    assert client.get(public).status_code == 200
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            votes.vote_cast(actor=c.user(n), motion=motion, option=VoteOption.YES if n else VoteOption.NO)
    assert content_version() == before
    assert _queries(client, public)[0] == 0  # still the kept page: nothing public changed
    with django_capture_on_commit_callbacks(execute=True):
        votes.motion_close(actor=c.secretary, motion=motion)
    assert content_version() != before
    page = client.get(public).content.decode()
    assert "A favor 2 · En contra 1 · Abstenciones 0" in page and c.members[0].person.name in page


def test_a_fragment_without_a_name_is_built_every_time_not_shared(fragment_cache):
    """A view that forgets its key must not make every page show the first page's fragment."""
    from django.template import Context, Template

    template = Template("{% load portal %}{% content_cache key %}{{ text }}{% endcontent_cache %}")
    assert template.render(Context({"key": "", "text": "uno"})) == "uno"
    assert template.render(Context({"key": "", "text": "dos"})) == "dos"
    assert template.render(Context({"key": None, "text": "tres"})) == "tres"
    assert template.render(Context({"key": None, "text": "cuatro"})) == "cuatro"
    assert template.render(Context({"key": "pagina", "text": "cinco"})) == "cinco"
    assert template.render(Context({"key": "pagina", "text": "seis"})) == "cinco"  # kept by its name
