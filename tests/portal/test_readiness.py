"""/salud/lista/: ready when this instance's database and cache answer; a task backlog is only a warning; the answer
names the failing part in a word and nothing else (no exception, host or port), and no proxy may keep it."""

import datetime
import json
import urllib.error
import urllib.request

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from implan import tasks
from tests.servers import closed_port, gunicorn, proxied

REDIS = "django.core.cache.backends.redis.RedisCache"


def ten_minutes_waiting() -> datetime.timedelta:
    return datetime.timedelta(minutes=10)


def one_minute_waiting() -> datetime.timedelta:
    return datetime.timedelta(minutes=1)


def nothing_waiting() -> None:
    return None


def queue_store_unreachable() -> datetime.timedelta:
    raise ConnectionError("Error 111 connecting to 10.0.0.7:6379. Connection refused.")


def _assert_never_stored(response) -> None:
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control and "max-age=0" in cache_control


@pytest.mark.django_db
@pytest.mark.parametrize("cache", ["locmem", "redis"])
def test_an_instance_whose_database_and_cache_answer_is_ready_for_anyone(client, cache):
    caches = {"default": {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": "lista-prueba"}}
    with override_settings(**({"CACHES": caches} if cache == "redis" else {})):
        response = client.get(reverse("implan:readiness"))
    assert response.status_code == 200
    assert response.json() == {"estado": "lista"}
    _assert_never_stored(response)


@pytest.mark.django_db
def test_an_unreachable_cache_makes_the_instance_not_ready_without_saying_where_it_is(client):
    port = closed_port()
    unreachable = {"default": {"BACKEND": REDIS, "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with override_settings(CACHES=unreachable):
        response = client.get(reverse("implan:readiness"))
    assert response.status_code == 503
    assert response.json() == {"estado": "no lista", "fallas": ["caché"]}
    assert str(port) not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    _assert_never_stored(response)


@pytest.mark.servers
def test_an_unreachable_database_makes_the_instance_not_ready_without_saying_where_it_is():
    port = closed_port()
    with gunicorn(DATABASE_URL=f"postgres://portal:secreta@127.0.0.1:{port}/implan") as [instance]:
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(proxied(f"{instance.url}/salud/lista/"), timeout=10)
        # A load balancer's probe straight to the app server, over plain HTTP: answered, not redirected to https.
        with pytest.raises(urllib.error.HTTPError) as plain:
            urllib.request.urlopen(f"{instance.url}/salud/lista/", timeout=10)
    assert plain.value.code == 503
    body = answer.value.read().decode()
    assert answer.value.code == 503
    assert json.loads(body) == {"estado": "no lista", "fallas": ["base de datos"]}
    assert str(port) not in body and "portal" not in body and "secreta" not in body
    assert "no-store" in answer.value.headers["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("probe", "expected"),
    [
        ("nothing_waiting", {"estado": "lista"}),
        ("one_minute_waiting", {"estado": "lista"}),
        ("ten_minutes_waiting", {"estado": "lista", "avisos": ["cola de tareas"]}),
        ("queue_store_unreachable", {"estado": "lista", "avisos": ["cola de tareas"]}),
    ],
)
def test_a_task_backlog_is_a_warning_that_keeps_the_instance_in_rotation(client, settings, probe, expected):
    settings.READINESS_QUEUE_PROBE = f"tests.portal.test_readiness.{probe}"
    settings.READINESS_QUEUE_LAG_SECONDS = 300
    response = client.get(reverse("implan:readiness"))
    assert response.status_code == 200
    assert response.json() == expected
    assert "10.0.0.7" not in response.content.decode()


@tasks.background_task
def waits_for_a_worker() -> None:
    """A task that only has to wait on the queue (a worker would find it here by its module path)."""


def _warnings(client) -> list[str]:
    response = client.get(reverse("implan:readiness"))
    assert response.status_code == 200  # a backlog never takes the instance out of rotation
    return response.json().get("avisos", [])


def test_a_task_waiting_on_the_real_queue_longer_than_the_limit_is_a_warning_until_a_worker_takes_it(
    client, settings, tasks_backend
):
    settings.READINESS_QUEUE_LAG_SECONDS = 300
    assert settings.READINESS_QUEUE_PROBE == "implan.tasks.oldest_waiting_task_age"  # the default, not set here
    assert _warnings(client) == []  # nothing waits
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        tasks.enqueue(waits_for_a_worker)
        clock.shift(datetime.timedelta(seconds=299))
        assert _warnings(client) == []
        clock.shift(datetime.timedelta(seconds=2))
        assert _warnings(client) == ["cola de tareas"]
        assert tasks.oldest_waiting_task_age() == datetime.timedelta(seconds=301)
    assert tasks.run_waiting_tasks() == 1
    assert tasks.oldest_waiting_task_age() is None
    assert _warnings(client) == []
