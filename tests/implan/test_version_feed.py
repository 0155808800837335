"""With Redis, each process follows the content version through publish/subscribe (implan.cache.VersionFeed): a kept
page is served without asking Redis anything, and not once the content changed — announced by any process, or with
the announcement lost with the connection. The tests that rely on the announcement trust the copy for a minute, so
that the re-reading every tenth of a second cannot be what makes them pass."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import redis
from django.core.cache import cache

from implan import cache as portal_cache
from implan.cache import VERSION_KEY, current_version, version_feed
from planning.models import StrategicPlan
from tests.factories import StrategicPlanFactory

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache(settings):
    """The page cache in the suite's Redis, under a prefix of its own (other runs may share the server)."""
    prefix = f"prueba-{uuid.uuid4().hex}"
    settings.REDIS_URL = REDIS_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    portal_cache._kept.clear()
    yield prefix
    version_feed._drop()
    version_feed._warned = False
    portal_cache._kept.clear()
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def trusted(monkeypatch):
    monkeypatch.setattr(version_feed, "TRUST_SECONDS", 60)


def listening() -> None:
    """Until the feed's subscription is confirmed (the first call subscribes; the confirmation arrives soon after)."""
    deadline = time.monotonic() + 5
    while version_feed.version() is None:
        assert time.monotonic() < deadline, "Redis no confirmó la suscripción"
        time.sleep(0.01)


@pytest.fixture
def cache_reads(monkeypatch):
    """How many times the portal reads the shared cache (the real reads still happen)."""
    reads: list[str] = []
    backend = cache._connections[cache._alias]  # type: ignore[attr-defined]  # the proxy's own backend

    def counted(name):
        real = getattr(backend, name)
        return lambda *args, **kwargs: reads.append(name) or real(*args, **kwargs)

    for name in ("get", "get_many"):
        monkeypatch.setattr(backend, name, counted(name))
    return reads


def feed_connection_id() -> int:
    """The Redis id of this process's subscribed connection (named by the feed, flagged as pub/sub)."""
    name = f"implan-version-{os.getpid()}"
    [client] = [c for c in redis.Redis.from_url(REDIS_URL).client_list() if c["name"] == name and "P" in c["flags"]]
    return int(client["id"])


def test_a_kept_page_asks_redis_nothing_once_the_feed_listens(client, redis_cache, trusted, cache_reads):
    first = client.get("/organos/")
    listening()
    cache_reads.clear()
    for _ in range(5):
        again = client.get("/organos/")
        assert again.content == first.content
    assert cache_reads == []


def test_a_change_is_served_at_once(client, redis_cache, trusted, django_capture_on_commit_callbacks):
    client.get("/")
    listening()
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):  # announced when the change commits
        StrategicPlanFactory(title="León hacia el Futuro, Visión 2045", state="publicado")
    assert "Visión 2045" in client.get("/").content.decode()


def test_a_renewal_announced_by_another_process_is_heard(redis_cache, trusted):
    listening()
    before = version_feed.version()
    assert before is not None
    other = redis.Redis.from_url(REDIS_URL)  # what _renew_version does in any other process
    other.set(cache.make_key(VERSION_KEY), before + 1)
    other.publish(cache.make_key(VERSION_KEY), b"")
    deadline = time.monotonic() + 5  # the announcement's way over the socket
    while version_feed.version() != before + 1:
        assert time.monotonic() < deadline, "el anuncio no llegó"
        time.sleep(0.001)


def test_a_renewal_made_while_the_connection_was_lost_is_never_missed(
    client, redis_cache, trusted, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(version_feed, "RETRY_SECONDS", 0.1)
    client.get("/")
    listening()
    client.get("/")
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=feed_connection_id())
    with django_capture_on_commit_callbacks(execute=True):  # announced to no one
        StrategicPlanFactory(title="León hacia el Futuro, Visión 2045", state="publicado")
    assert "Visión 2045" in client.get("/").content.decode()
    listening()  # subscribed again: trusted again from its new confirmation
    assert version_feed.version() == cache.get(VERSION_KEY)


def test_an_unannounced_renewal_is_read_within_the_trust_bound(redis_cache, monkeypatch):
    monkeypatch.setattr(version_feed, "TRUST_SECONDS", 0.05)
    listening()
    before = version_feed.version()
    assert before is not None
    cache.set(VERSION_KEY, before + 1, timeout=None)  # set, never announced: a connection that died silently
    time.sleep(0.1)
    assert version_feed.version() == before + 1


def test_without_redis_there_is_no_feed(settings):
    settings.REDIS_URL = ""
    assert version_feed.version() is None
    assert current_version() == cache.get(VERSION_KEY)


@pytest.fixture
def unreachable_feed(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there; the cache itself stays in local memory
    yield
    version_feed._drop()


def test_a_renewal_nobody_can_hear_of_is_saved_and_logged(unreachable_feed, caplog, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plan = StrategicPlanFactory(title="León hacia el Futuro, Visión 2045")
    assert StrategicPlan.objects.filter(pk=plan.pk).exists()
    assert "No se pudo anunciar la nueva versión del contenido" in caplog.text
