"""Every URL pattern of the portal × every role → the expected outcome, with real objects behind each URL.

Adding a URL pattern without a row here fails ``test_every_url_pattern_has_a_row``. The Django admin's own patterns
are covered by one row (its index) because Django guards them all with the same staff check.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from councils import services
from councils.models import AttendanceStatus, BodyKind
from implan import roles
from tests.councils.builders import council, session_in_progress
from tests.factories import PersonFactory, ProjectFactory, UserFactory

ROLES = ["anonimo", "sin_rol", "consejero", "secretario", "regidor", "planeador", "enlace", "administrador"]
OK, LOGIN, DONE, FORBIDDEN, NOT_FOUND = "200", "login", "302", "403", "404"


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]


def build_world() -> World:
    consultative = council(size=3, slug="consejo-consultivo")
    ayuntamiento = council(size=2, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    session = session_in_progress(consultative, present=3)
    item = session.agenda_items.get()
    motion = services.motion_open(actor=consultative.secretary, item=item, text="Se aprueba")
    closed = services.session_convene(actor=consultative.secretary, body=consultative.body, scheduled_at=timezone.now(),
                                      place="Sala", agenda=[services.AgendaEntry(title="Informe")])
    services.session_record_attendance(actor=consultative.secretary, session=closed,
                                       statuses={m.pk: AttendanceStatus.PRESENT for m in consultative.members})
    services.session_close(actor=consultative.secretary, session=closed)
    minutes = services.minutes_draft(actor=consultative.secretary, session=closed, text="Acta")
    liaison = UserFactory(username="enlace_matriz", roles=[roles.AGENCY_LIAISON])
    assign_perm("projects.report_progress", liaison, ProjectFactory())
    PersonFactory(user=liaison)
    users = {
        "anonimo": None,
        "sin_rol": UserFactory(username="sin_rol_matriz"),
        "consejero": consultative.user(0),
        "secretario": consultative.secretary,
        "regidor": ayuntamiento.user(0),
        "planeador": UserFactory(username="planeador_matriz", roles=[roles.PLANNING]),
        "enlace": liaison,
        "administrador": UserFactory(username="admin_matriz", roles=[roles.ADMINISTRATION], is_staff=True,
                                     is_superuser=True),
    }
    objects = {"body": consultative.body, "session": session, "item": item, "motion": motion, "closed": closed,
               "minutes": minutes, "member": consultative.members[1]}
    return World(users=users, objects=objects)


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def logged_in(outcome: str, **overrides: str) -> dict[str, str]:
    return {**everyone(outcome), "anonimo": LOGIN, **overrides}


# Seen by the body's members and whoever manages it; others get 404.
BODY_VIEW = logged_in(NOT_FOUND, consejero=OK, secretario=OK, administrador=OK)
# Managing the body: members see it but may not (403).
BODY_MANAGE_PAGE = logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=OK, administrador=OK)
BODY_MANAGE_ACTION = logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=DONE, administrador=DONE)


@dataclass(frozen=True)
class Row:
    url: Any  # callable World.objects -> path
    expected: dict[str, str]
    method: str = "get"
    data: dict | None = None


def _r(name: str, *keys: str, attr: str = "pk") -> Any:
    return lambda o: reverse(name, args=[getattr(o[k], attr) for k in keys])


MATRIX: dict[str, Row] = {
    "implan:home": Row(lambda o: reverse("implan:home"), everyone(OK)),
    "implan:workspace": Row(lambda o: reverse("implan:workspace"), logged_in(OK)),
    "login": Row(lambda o: reverse("login"), everyone(OK)),
    "logout": Row(lambda o: reverse("logout"), everyone(DONE), method="post"),
    "set_language": Row(lambda o: reverse("set_language"), everyone(DONE), method="post", data={"language": "en"}),
    "admin:index": Row(lambda o: reverse("admin:index"), {**logged_in(LOGIN), "administrador": OK}),
    "councils:body_list": Row(lambda o: reverse("councils:body_list"), everyone(OK)),
    "councils:body_detail": Row(_r("councils:body_detail", "body", attr="slug"), everyone(OK)),
    "councils:session_detail": Row(lambda o: reverse("councils:session_detail",
                                                     args=[o["body"].slug, o["session"].number]), everyone(OK)),
    "councils:popolo": Row(lambda o: reverse("councils:popolo"), everyone(OK)),
    "councils:sessions_ics": Row(lambda o: reverse("councils:sessions_ics"), everyone(OK)),
    "councils:workspace_bodies": Row(lambda o: reverse("councils:workspace_bodies"), logged_in(OK)),
    "councils:workspace_body": Row(_r("councils:workspace_body", "body", attr="slug"), BODY_VIEW),
    "councils:membership_add": Row(_r("councils:membership_add", "body", attr="slug"), BODY_MANAGE_PAGE),
    "councils:body_renew": Row(_r("councils:body_renew", "body", attr="slug"), BODY_MANAGE_PAGE),
    "councils:session_convene": Row(_r("councils:session_convene", "body", attr="slug"), BODY_MANAGE_PAGE),
    "councils:membership_end": Row(_r("councils:membership_end", "member"), BODY_MANAGE_PAGE),
    "councils:membership_change": Row(_r("councils:membership_change", "member"), BODY_MANAGE_PAGE),
    "councils:workspace_session": Row(_r("councils:workspace_session", "session"), BODY_VIEW),
    "councils:session_attendance": Row(_r("councils:session_attendance", "session"), BODY_MANAGE_ACTION,
                                       method="post"),
    "councils:session_close": Row(_r("councils:session_close", "session"), BODY_MANAGE_ACTION, method="post"),
    "councils:minutes_save": Row(_r("councils:minutes_save", "closed"), BODY_MANAGE_ACTION, method="post",
                                 data={"text": "Acta corregida"}),
    "councils:motion_open": Row(_r("councils:motion_open", "item"), BODY_MANAGE_ACTION, method="post"),
    "councils:vote_cast": Row(_r("councils:vote_cast", "motion"),
                              logged_in(NOT_FOUND, consejero=DONE, secretario=DONE, administrador=DONE),
                              method="post", data={"option": "a_favor"}),
    "councils:motion_close": Row(_r("councils:motion_close", "motion"), BODY_MANAGE_ACTION, method="post"),
    "councils:minutes_publish": Row(_r("councils:minutes_publish", "minutes"), BODY_MANAGE_ACTION, method="post"),
}


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
    assert url_names() - set(MATRIX) == set(), "añada la fila de la matriz de permisos para cada URL nueva"
    assert set(MATRIX) - url_names() == set()


def _outcome(response: Any) -> str:
    if response.status_code == 302 and response["Location"].startswith((reverse("login"), "/admin/login/")):
        return LOGIN
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_outcome(client, name):
    for group in roles.ALL_ROLES:
        Group.objects.get_or_create(name=group)
    world = build_world()
    row = MATRIX[name]
    url = row.url(world.objects)
    results = {}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = getattr(client, row.method)(url, row.data or {})
        results[role] = _outcome(response)
    assert results == row.expected
