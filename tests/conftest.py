"""Shared fixtures: one user per role, plus an outsider with no role (the healthchecks habit)."""

import os

import pytest
from django.core.cache import cache

from implan import roles
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create dozens of accounts; a slow hasher would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_public_page_cache(settings):
    """Tests see the database as it is: the public page cache is tested on its own (tests/implan/test_cache.py)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def no_map_tiles_from_the_internet(settings):
    """Pages opened in Chromium never fetch map tiles from the internet; the map works without a base map."""
    settings.MAP_TILE_URL = ""


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path_factory):
    """Uploaded files (e.g. project evidence) go to a temporary folder, never into the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


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
