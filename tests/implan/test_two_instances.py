"""Two app servers, one PostgreSQL and one Redis, as deploy/ runs them past one machine: a login on A is valid on B,
and a change published through A is what B serves at once, because the page cache lives in Redis and not in each
process. (gunicorn's warning for several workers without REDIS_URL: tests/implan/test_gunicorn.py.)"""

import http.client
import re
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group

from implan import roles
from projects.models import Project, ProjectStatus
from tests.factories import ProjectFactory, UserFactory
from tests.servers import Instance, gunicorn

REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "una-clave-larga-de-prueba-2026"


@dataclass
class Answer:
    status: int
    location: str
    body: str


@dataclass
class Browser:
    """A visitor's cookies, carried from one instance to the other, as a load balancer without sticky sessions
    would send one person's requests to any app server. Requests arrive as nginx passes them on (over TLS)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, instance: Instance, path: str) -> Answer:
        return self._request(instance, "GET", path)

    def post(self, instance: Instance, path: str, data: dict[str, str]) -> Answer:
        return self._request(instance, "POST", path, urllib.parse.urlencode(data))

    def _request(self, instance: Instance, method: str, path: str, body: str | None = None) -> Answer:
        origin = f"https://127.0.0.1:{instance.port}"
        headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
            return Answer(response.status, response.getheader("Location", ""), response.read().decode())
        finally:
            connection.close()

    def form_token(self, page: Answer) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)


def _planner_with_a_password() -> object:
    """The instances hash with Django's default hashers (the suite's fast MD5 is not among them): a PBKDF2 hash with
    few iterations logs in quickly; the instance re-hashes it at full strength on that login."""
    for name in roles.ALL_ROLES:  # a transactional test starts from empty tables
        Group.objects.get_or_create(name=name)
    planner = UserFactory(username="planeadora_dos", roles=[roles.PLANNING])
    planner.password = PBKDF2PasswordHasher().encode(PASSWORD, "salprueba", iterations=1000)
    planner.save(update_fields=["password"])
    return planner


@pytest.fixture
def shared_redis_prefix():
    """A prefix of the suite's own in the shared Redis, removed afterwards (other runs may use the same server)."""
    prefix = f"prueba-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.mark.servers
@pytest.mark.django_db(transaction=True)
def test_a_login_and_a_publication_through_one_instance_hold_on_the_other_at_once(shared_redis_prefix):
    planner = _planner_with_a_password()
    project = ProjectFactory(title="Parque lineal del río", status=ProjectStatus.IN_PORTFOLIO)
    public_page = f"/proyectos/{project.slug}/"
    with gunicorn(2, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=shared_redis_prefix) as (a, b):
        visitor = Browser()
        assert "Sin predio liberado" not in visitor.get(b, public_page).body
        assert list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{shared_redis_prefix}:*page:*{public_page}"))

        person = Browser()
        login = person.get(a, "/cuenta/entrar/")
        answer = person.post(
            a,
            "/cuenta/entrar/",
            {"username": planner.username, "password": PASSWORD, "csrfmiddlewaretoken": person.form_token(login)},
        )
        assert (answer.status, answer.location) == (302, "/espacio/")
        assert person.get(b, "/espacio/").status == 200  # B knows the session A opened

        workspace_page = person.get(b, f"/espacio/proyectos/{project.pk}/")
        answer = person.post(
            a,
            f"/espacio/proyectos/{project.pk}/estado/",
            {
                "to": "suspendido",
                "reason": "Sin predio liberado",
                "csrfmiddlewaretoken": person.form_token(workspace_page),
            },
        )
        assert answer.status == 302
        assert Project.objects.get(pk=project.pk).status == ProjectStatus.SUSPENDED

        page = visitor.get(b, public_page).body  # B had the page in its cache from before the change
        assert "Sin predio liberado" in page  # the reason, in the page's timeline
