"""Two app servers, one PostgreSQL and one Redis, as deploy/ runs them past one machine: a login on A is valid on B,
and a change published through A is what B serves at once, because the page cache lives in Redis and not in each
process; a file uploaded through A is processed once by one of two RQ workers, and B shows its progress, because
the job's row is the truth every server reads. (gunicorn's warning for several workers without REDIS_URL:
tests/implan/test_gunicorn.py.)"""

import http.client
import json
import re
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group

from implan import roles
from implan.events import events_for
from indicators.models import ImportJob, ImportJobState, Observation
from projects.models import Project, ProjectStatus
from tests.factories import IndicatorFactory, MunicipalityFactory, ProjectFactory, UserFactory
from tests.servers import Instance, gunicorn, rq_workers
from tests.task_workers import _forget_in_redis

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
        body = urllib.parse.urlencode(data).encode()
        return self._request(instance, "POST", path, body, "application/x-www-form-urlencoded")

    def upload(
        self, instance: Instance, path: str, data: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Answer:
        """A form with files, sent as a browser sends it (multipart/form-data)."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in data.items()
        ]
        for name, (file_name, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                "Content-Type: text/csv\r\n\r\n"
            )
            parts.append(head.encode() + content + b"\r\n")
        body = b"".join([*parts, f"--{boundary}--\r\n".encode()])
        return self._request(instance, "POST", path, body, f"multipart/form-data; boundary={boundary}")

    def _request(
        self, instance: Instance, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        origin = f"https://127.0.0.1:{instance.port}"
        headers = {"X-Forwarded-Proto": "https", "Origin": origin, "Referer": origin + path}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = content_type
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


def _logged_in(instance: Instance, username: str) -> Browser:
    person = Browser()
    login = person.get(instance, "/cuenta/entrar/")
    answer = person.post(
        instance,
        "/cuenta/entrar/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": person.form_token(login)},
    )
    assert (answer.status, answer.location) == (302, "/espacio/")
    return person


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


ROWS = 150
OBSERVATIONS = b"indicador,territorio,periodo,valor\n" + b"".join(
    b"DOS-1,11020,%d,%d\n" % (year, year % 11) for year in range(2025 - ROWS, 2025)
)


@pytest.fixture
def shared_rq_queue():
    """An RQ queue of the test's own in the shared Redis; its keys, its workers' and its jobs' are removed after."""
    queue = f"pruebas-{uuid.uuid4().hex[:12]}"
    yield queue
    client = redis.Redis.from_url(REDIS_URL)
    job_ids = {member.decode().split(":")[0] for member in client.lrange(f"rq:queue:{queue}", 0, -1)}
    for registry in ("finished", "failed", "wip", "scheduled", "deferred", "canceled"):
        job_ids |= {member.decode().split(":")[0] for member in client.zrange(f"rq:{registry}:{queue}", 0, -1)}
    _forget_in_redis([queue, *job_ids])


def _poll_until(read: Callable[[], dict], done: Callable[[dict], bool], seconds: float = 60) -> list[dict]:
    """Every distinct answer of ``read`` until ``done`` holds for one (or ``seconds`` pass)."""
    seen: list[dict] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = read()
        if not seen or seen[-1] != answer:
            seen.append(answer)
        if done(answer):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"the job did not get there in {seconds} s; it went through {seen}")


@pytest.mark.servers
@pytest.mark.django_db(transaction=True)
def test_an_import_started_on_a_is_processed_once_by_one_worker_and_its_progress_shows_on_b(
    shared_redis_prefix, shared_rq_queue
):
    planner = _planner_with_a_password()
    MunicipalityFactory()
    IndicatorFactory(code="DOS-1")
    environment = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": shared_redis_prefix, "TASKS_QUEUE": shared_rq_queue}
    with (
        rq_workers(2, queue=shared_rq_queue, **environment) as workers,
        gunicorn(2, TASKS_BACKEND="rq", **environment) as (a, b),
    ):
        person = _logged_in(a, planner.username)
        form = person.get(a, "/espacio/indicadores/cargas/")
        answer = person.upload(
            a,
            "/espacio/indicadores/cargas/",
            {"csrfmiddlewaretoken": person.form_token(form)},
            {"file": ("dos-instancias.csv", OBSERVATIONS)},
        )
        assert answer.status == 302, answer.body[-2000:]
        job_page = answer.location
        job = ImportJob.objects.get(pk=int(job_page.rstrip("/").split("/")[-1]))

        def progress_on_b() -> dict:
            answer = person.get(b, f"{job_page}progreso.json")
            assert answer.status == 200, answer.body[-2000:]
            return json.loads(answer.body)

        checked = _poll_until(progress_on_b, lambda p: not p["running"] and p["state"] != ImportJobState.QUEUED)
        assert checked[-1]["state"] == ImportJobState.READY, [w.log_tail() for w in workers]
        assert (checked[-1]["done"], checked[-1]["total"], checked[-1]["percent"]) == (ROWS, ROWS, 100)

        answer = person.post(
            a, f"{job_page}confirmar/", {"csrfmiddlewaretoken": person.form_token(person.get(a, job_page))}
        )
        assert answer.status == 302
        saved = _poll_until(progress_on_b, lambda p: p["state"] in {ImportJobState.DONE, ImportJobState.FAILED})
        assert saved[-1]["state"] == ImportJobState.DONE, [w.log_tail() for w in workers]
        page = person.get(b, job_page).body

    assert "Aplicada" in page and f"{ROWS} nuevas, 0 con cambios, 0 sin cambios" in page
    job.refresh_from_db()
    # One claim per step (check, then save) and one save: neither worker ran a step the other had run.
    assert (job.state, job.attempt) == (ImportJobState.DONE, 2)
    assert [e.to_state for e in events_for(job)].count(ImportJobState.DONE) == 1
    assert Observation.objects.count() == ROWS and Observation.history.count() == ROWS
    ran_by = _workers_that_ran(shared_rq_queue)
    assert len(ran_by) == 2 and set(ran_by.values()) <= {w.name for w in workers}  # two tasks, one worker each


def _workers_that_ran(queue: str) -> dict[str, str]:
    """The queue's finished jobs and the worker that ran each (RQ writes it on the job)."""
    client = redis.Redis.from_url(REDIS_URL)
    finished = [member.decode() for member in client.zrange(f"rq:finished:{queue}", 0, -1)]
    return {job_id: (client.hget(f"rq:job:{job_id}", "worker_name") or b"").decode() for job_id in finished}
