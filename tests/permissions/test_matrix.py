"""Every URL pattern of the portal × every role → the expected outcome, with real objects behind each URL.

Adding a URL pattern without a row in some ``rows_<app>.py`` fails ``test_every_url_pattern_has_a_row``. The Django
admin's own patterns are covered by one row (its index) because Django guards them all with the same staff check.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.permissions as package
from tests.permissions.matrix import LOGIN, ROLES, Row, world_of


def _row_modules() -> list[ModuleType]:
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if info.name.startswith("rows_")
    ]


MODULES = _row_modules()
ROWS: dict[str, tuple[ModuleType, Row]] = {}
for _module in MODULES:
    for _name, _row in _module.ROWS.items():
        assert _name not in ROWS, f"la URL {_name} tiene filas en dos módulos"
        ROWS[_name] = (_module, _row)


def url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: list[str]) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + ([pattern.namespace] if pattern.namespace else []))
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(":".join([*namespace, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return {n for n in names if not n.startswith("admin:")} | {"admin:index"}


def test_every_url_pattern_has_a_row():
    assert url_names() - set(ROWS) == set(), "añada la fila de la matriz de permisos para cada URL nueva"
    assert set(ROWS) - url_names() == set()


def _outcome(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith((reverse("login"), "/admin/login/")):
        return LOGIN
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_role_gets_the_expected_outcome(client, name):
    module, row = ROWS[name]
    world, cookies = world_of(module)
    target = row.url(world.objects)
    results = {}
    for role in ROLES:
        client.cookies.clear()
        if role in cookies:
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[role]
        response = getattr(client, row.method)(target, row.data or {})
        results[role] = _outcome(response)
    assert results == row.expected
