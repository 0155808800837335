"""Shared fixtures: one user per role, plus an outsider with no role (the healthchecks habit)."""

import datetime
import fcntl
import io
import os
import pickle
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from implan import roles
from tests.factories import UserFactory
from tests.snapshot import Snapshot

# The demo accounts' password in tests (load_demo reads DEMO_PASSWORD).
DEMO_PASSWORD = "clave-demo-para-pruebas"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Real background workers for the tests of background work (tests/task_workers.py).
pytest_plugins = ["tests.task_workers", "tests.smtp_server"]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# --clock: the whole suite at a given instant, e.g. `bin/test --clock=2026-12-03T23:40:00-06:00` (late evening in
# León, already 4 December in UTC) or `--clock=2026-12-31T23:30:00-06:00` (the last minutes of a fiscal year).
# Every test starts at that instant and the clock keeps ticking from there (time-machine's travel with tick=True).
# No test may depend on the hour: a run at a morning, a late-evening and a year-end instant must all pass.
# What it moves: Python's clock in every thread (datetime.now, date.today, time.time, timezone.now and localdate),
# so the live server's thread in the browser tests too. What it does not move: PostgreSQL's now() and
# CURRENT_DATE, Chromium's own clock, and time.monotonic/perf_counter (timeouts keep working). The portal writes
# every timestamp from Python (auto_now, auto_now_add, default=timezone.now, simple-history's history_date, the
# import jobs' raw SQL takes Python's time as a parameter); none comes from the database's clock or from
# JavaScript's Date, so a frozen Python clock is the whole clock the portal reads.
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="INSTANT",
        default=None,
        help="run every test with the clock set to INSTANT (ISO 8601 with its UTC offset, e.g. "
        "2026-12-03T23:40:00-06:00), ticking from there",
    )


def _clock(config: pytest.Config) -> datetime.datetime | None:
    value = config.getoption("--clock")
    if value is None:
        return None
    try:
        instant = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise pytest.UsageError(f"--clock={value}: not an ISO 8601 instant ({exc})") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock={value}: give the UTC offset too, e.g. {value}-06:00")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    _clock(config)  # a malformed instant stops the run before any test


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = _clock(config)
    if instant is None:
        return None
    return f"clock: {instant.isoformat()} ({instant.astimezone(datetime.UTC):%Y-%m-%d %H:%M}Z), ticking"


@pytest.fixture(autouse=True)
def clock_at_the_given_instant(request: pytest.FixtureRequest) -> Iterator[None]:
    """With --clock, the test runs from that instant on; without it, on the real clock."""
    instant = _clock(request.config)
    if instant is None:
        yield
        return
    with time_machine.travel(instant, tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once() -> Iterator[None]:
    """WhiteNoise lists and stats every static file (Django admin's included, about 190) each time its middleware is
    built, which a test client does at its first request: about 0.05 s of every test that uses ``client``, a tenth of
    the permission matrix's time. The files do not change during a run and no test writes one, so the list is made
    once per process for each set of settings it depends on; the served files and their headers are the same."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    listing = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[str, dict] = {}

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        names = ["DEBUG", "FORCE_SCRIPT_NAME", "INSTALLED_APPS", "STATIC_URL", "STATICFILES_DIRS"]
        names += ["STATICFILES_FINDERS", *(name for name in dir(settings) if name.startswith("WHITENOISE_"))]
        key = repr([(name, getattr(settings, name, None)) for name in names] + [self.static_prefix])
        if key not in listed:
            before = dict(self.files)
            listing(self)
            listed[key] = {url: file for url, file in self.files.items() if before.get(url) is not file}
        self.files.update(listed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create dozens of accounts; a slow hasher would dominate the suite's time."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def no_public_page_cache(settings):
    """Tests see the database as it is: the public page cache and the fragments kept by content version are tested on
    their own (tests/implan/test_cache.py)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def no_map_tiles_from_the_internet(settings):
    """Pages opened in Chromium never fetch map tiles from the internet; the map works without a base map."""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded files (e.g. project evidence) go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def each_test_starts_in_spanish() -> Iterator[None]:
    """A request in English leaves English active in the test's thread after the response (LocaleMiddleware activates
    a language and nothing deactivates it), so the next test's labels would read in English: start each one afresh."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def outsider(db):
    """Logged-in user with no role at all."""
    return UserFactory(username="sin_rol")


@pytest.fixture
def planner(db):
    return UserFactory(username="planeador_prueba", roles=[roles.PLANNING])


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin_prueba", roles=[roles.ADMINISTRATION], is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(username="super_prueba", is_staff=True, is_superuser=True)


@pytest.fixture
def secretary(db):
    return UserFactory(username="secretario_prueba", roles=[roles.TECHNICAL_SECRETARY])


@pytest.fixture
def councillor(db):
    return UserFactory(username="consejero_prueba", roles=[roles.COUNCIL_MEMBER])


@pytest.fixture
def regidor(db):
    return UserFactory(username="regidor_prueba", roles=[roles.REGIDOR])


@pytest.fixture
def liaison(db):
    return UserFactory(username="enlace_prueba", roles=[roles.AGENCY_LIAISON])


@pytest.fixture(scope="session")
def demo_snapshot(request: pytest.FixtureRequest, tmp_path_factory, django_db_setup, django_db_blocker) -> Snapshot:
    """`manage.py load_demo` run once per run, its rows kept and the load rolled back.

    Under pytest-xdist the first worker that needs it loads it and leaves the rows in the run's temporary folder for
    the others (a lock makes them wait rather than load it again). The load runs as a test's would: fast hashing,
    DEMO_PASSWORD set, at the --clock instant when one is given."""
    worker = getattr(request.config, "workerinput", None)
    if worker is None:
        return _load_demo_snapshot(request.config, django_db_blocker)
    # The folder all workers of this run share; its name carries the run's id, so no other run's rows are read.
    shared = tmp_path_factory.getbasetemp().parent / f"demo-{worker['testrunuid']}"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rows = shared / "snapshot.pickle"
        if rows.exists():
            return pickle.loads(rows.read_bytes())
        snapshot = _load_demo_snapshot(request.config, django_db_blocker)
        rows.write_bytes(pickle.dumps(snapshot))
        return snapshot


def _load_demo_snapshot(config: pytest.Config, django_db_blocker) -> Snapshot:
    instant = _clock(config)
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(PASSWORD_HASHERS=FAST_HASHERS))
        stack.enter_context(pytest.MonkeyPatch.context()).setenv("DEMO_PASSWORD", DEMO_PASSWORD)
        if instant is not None:
            stack.enter_context(time_machine.travel(instant, tick=True))
        with transaction.atomic():
            # A live-server test before this one had the database flushed, taking the migration's groups with it.
            for name in roles.ALL_ROLES:
                Group.objects.get_or_create(name=name)
            call_command("load_demo", stdout=io.StringIO())
            snapshot = Snapshot.take()
            transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def demo(db, demo_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The database holds the León demo, as right after `manage.py load_demo` (undone at the test's end).

    DEMO_PASSWORD stays set, so a test that runs load_demo again loads it as the snapshot was."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    demo_snapshot.restore()
    yield
    ContentType.objects.clear_cache()  # the rollback brings back the ids the database had before the restore


@pytest.fixture(scope="session", autouse=True)
def transactional_tests_end_with_the_migrated_rows(django_db_setup, django_db_blocker) -> Iterator[None]:
    """After a transactional test (the live-server and worker tests) the database holds again exactly what the
    migrations wrote, with the same ids, as every other test finds it.

    Django's own teardown flushes: one TRUNCATE of all ~130 tables (3 to 9 seconds here: TRUNCATE makes new files for
    every table and index), then post_migrate makes the content types and permissions again with new ids, while the
    migrations' own rows (the roles' groups, the SDG catalogue) stay gone. A test that pytest-xdist's worksteal
    then gave that process found no groups and stale content-type ids in guardian's caches. The rows the migrations
    wrote are copied out once per process (tests/snapshot.py) and written back instead: a DELETE of the tables that
    hold rows and a COPY, a fraction of a second.
    """
    from django.test import TransactionTestCase

    with django_db_blocker.unblock():
        migrated = Snapshot.take()

    def fixture_teardown(self: TransactionTestCase) -> None:
        migrated.restore()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings) -> Iterator[None]:
    """This process's test database, a copy of the migrated template (tests/databases.py) instead of a migration
    run of its own; dropped at the end like pytest-django's own."""
    from django.db import connection

    from tests import databases

    original = connection.settings_dict["NAME"]
    name = connection.creation._get_test_db_name()  # test_<name>, with the xdist worker's suffix
    with django_db_blocker.unblock():
        databases.create_from_template(connection, name)
    yield
    with django_db_blocker.unblock():
        databases.drop(connection, name)
        databases.point_at(connection, original)
