"""The vocabulary of the permission matrix: roles, outcomes, rows, and the users every row is tried with.

Each app keeps its rows in ``tests/permissions/rows_<app>.py``: a module with ``ROWS`` (URL name → ``Row``) and
``build(world)``, which adds to ``world.objects`` the real objects its URLs point at. ``test_matrix.py`` gathers the
modules, fails when a URL pattern of the portal has no row, and requests every URL as every role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.urls import reverse

from implan import roles
from tests.factories import UserFactory

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
