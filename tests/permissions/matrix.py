"""The vocabulary of the permission matrix: roles, outcomes, rows, and the users every row is tried with.

Each app keeps its rows in ``tests/permissions/rows_<app>.py``: a module with ``ROWS`` (URL name → ``Row``) and
``build(world)``, which adds to ``world.objects`` the real objects its URLs point at. ``test_matrix.py`` gathers the
modules, fails when a URL pattern of the portal has no row, and requests every URL as every role. The other tests
that walk every URL (control characters, download names, edit conflicts) take the same worlds through ``world_of``.
"""

from __future__ import annotations

import copy
import datetime
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from implan import roles
from tests.factories import UserFactory
from tests.snapshot import Snapshot

ROLES = ["anonimo", "sin_rol", "consejero", "secretario", "regidor", "planeador", "enlace", "administrador"]
OK, LOGIN, DONE, FORBIDDEN, NOT_FOUND = "200", "login", "302", "403", "404"


@dataclass
class World:
    """The users of each role and the objects the rows' URLs point at.

    ``build(world)`` of each rows module may replace a role's user (e.g. make ``consejero`` a member of the body it
    builds) — the base users are plain accounts with the role's group.
    """

    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    url: Callable[[dict[str, Any]], str]
    expected: dict[str, str]
    method: str = "get"
    data: dict | None = None


def base_world() -> World:
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    return World(
        users={
            "anonimo": None,
            "sin_rol": UserFactory(username="sin_rol_matriz"),
            "consejero": UserFactory(username="consejero_matriz", roles=[roles.COUNCIL_MEMBER]),
            "secretario": UserFactory(username="secretario_matriz", roles=[roles.TECHNICAL_SECRETARY]),
            "regidor": UserFactory(username="regidor_matriz", roles=[roles.REGIDOR]),
            "planeador": UserFactory(username="planeador_matriz", roles=[roles.PLANNING]),
            "enlace": UserFactory(username="enlace_matriz", roles=[roles.AGENCY_LIAISON]),
            "administrador": UserFactory(
                username="admin_matriz", roles=[roles.ADMINISTRATION], is_staff=True, is_superuser=True
            ),
        }
    )


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def logged_in(outcome: str, **overrides: str) -> dict[str, str]:
    """Anonymous → login; every logged-in role → ``outcome`` unless overridden."""
    return {**everyone(outcome), "anonimo": LOGIN, **overrides}


def url(name: str, *keys: str, attr: str = "pk") -> Callable[[dict[str, Any]], str]:
    """A row's URL from objects of the world: ``url("councils:workspace_body", "body", attr="slug")``."""
    return lambda objects: reverse(name, args=[getattr(objects[k], attr) for k in keys])


def fixed(name: str, *args: Any) -> Callable[[dict[str, Any]], str]:
    return lambda objects: reverse(name, args=args)


# Each rows module's world, built once per test process: its rows, the objects its URLs point at, each role's
# session cookie and the folder holding the files it uploaded (each test has its own MEDIA_ROOT).
WORLDS: dict[str, tuple[Snapshot, World, dict[str, str], Path, frozenset[str]]] = {}


def world_of(module: ModuleType) -> tuple[World, dict[str, str]]:
    """The module's world in this test's database: built and copied out by the first test to ask for it (then
    undone), written back for every test, so each still starts from the same rows and undoes what it changed. The
    matrix, the control-character and download-name walks and the edit-conflict tests (seventy worlds between them)
    share one build per module and process.

    The users' sessions are rows of the world too: a test can send a role's cookie instead of logging in and out
    eight times, which cost a quarter of the matrix's time. The objects are a copy: a test that changes one (an
    edit-conflict test preparing its scene) leaves the next test the world as it was built. The first test to ask
    should not have written rows of its own before: they would be copied into the world.
    """
    if module.__name__ not in WORLDS:
        with transaction.atomic():  # a savepoint inside the test's transaction
            before = Snapshot.take()
            world = base_world()
            module.build(world)
            cookies = {}
            for role, user in world.users.items():
                if user is not None:
                    login = Client()
                    login.force_login(user)
                    cookies[role] = login.cookies[settings.SESSION_COOKIE_NAME].value
            built = Snapshot.take()
            # The tables the build left as the migrations wrote them (permissions, content types, the SDG and CONAC
            # catalogues: three quarters of a world's bytes); every test finds them so (the tests roll back, the
            # transactional ones end with the migrated rows written back), and a test's restore leaves them as they
            # are unless the test wrote to them.
            unchanged = frozenset(t for t in built.tables if built.rows.get(t) == before.rows.get(t))
            WORLDS[module.__name__] = (built, world, cookies, Path(settings.MEDIA_ROOT), unchanged)
            transaction.set_rollback(True)
    snapshot, world, cookies, media, unchanged = WORLDS[module.__name__]
    snapshot.restore(as_the_transaction_began=unchanged)
    # The roles' sessions were written with the build's expiry; a later test in a long run would find them expired.
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE))
    if media != Path(settings.MEDIA_ROOT):
        shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return copy.deepcopy(world), cookies
