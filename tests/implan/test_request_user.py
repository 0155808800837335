"""What a page asks of its logged-in user (roles, the unread notices of the header, model permissions) comes in one
query, and says what the separate queries said; a permission on one object is one query (issue 19)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from councils.services import notices
from councils.services.base import can_manage_sessions
from implan import notifications, roles
from implan.permissions import has_object_perm
from tests.factories import BodyFactory, UserFactory

pytestmark = pytest.mark.django_db


def _request_user(pk: int):
    """The user as a request has it: fresh from the database, marked by the middleware."""
    user = get_user_model().objects.get(pk=pk)
    setattr(user, roles.REQUEST_ROLES, None)
    return user


def test_roles_unread_notices_and_model_permissions_come_in_one_query():
    person = UserFactory(username="planeadora", roles=[roles.PLANNING, roles.COUNCIL_MEMBER])
    person.user_permissions.add(Permission.objects.get(codename="view_body", content_type__app_label="councils"))
    Group.objects.get(name=roles.PLANNING).permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="councils")
    )
    for n in range(3):
        notifications.notify(kind=notices.VOTE_OPENED, title=f"Aviso {n}", user=person)
    notifications.notifications_mark_read(user=person, ids=[person.notifications.order_by("pk").first().pk])
    fresh = get_user_model().objects.get(pk=person.pk)
    expected_perms = fresh.get_all_permissions()

    user = _request_user(person.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert roles.user_roles(user) == {roles.PLANNING, roles.COUNCIL_MEMBER}
        assert getattr(user, roles.REQUEST_UNREAD) == 2
        assert user.get_all_permissions() == expected_perms
        assert {"councils.view_body", "councils.view_session"} <= expected_perms
        assert user.has_perm("councils.view_session") and not user.has_perm("councils.add_body")
    assert len(ctx.captured_queries) == 1


def test_a_logged_in_page_reads_its_user_roles_notices_and_permissions_in_one_query(client):
    """The backend loads the request's user with everything its pages ask of it: no second query reads the groups,
    the permissions or the unread count (before, the user and its roles were two queries, often four)."""
    person = UserFactory(username="planeadora", roles=[roles.PLANNING])
    Group.objects.get(name=roles.PLANNING).permissions.add(
        Permission.objects.get(codename="view_session", content_type__app_label="councils")
    )
    for n in range(2):
        notifications.notify(kind=notices.VOTE_OPENED, title=f"Aviso {n}", user=person)
    client.force_login(person)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/espacio/")
    assert response.status_code == 200
    assert b'aria-label="2 sin leer">2</span>' in response.content  # the header's count, from that one query
    user = response.wsgi_request.user
    assert roles.user_roles(user) == {roles.PLANNING} and user.has_perm("councils.view_session")
    sqls = [q["sql"] for q in ctx.captured_queries]
    [read] = [sql for sql in sqls if f'WHERE "auth_user"."id" = {person.pk}' in sql]  # the user, read once
    assert "ARRAY(" in read and '"implan_notification"' in read
    assert not [sql for sql in sqls if sql.startswith(('SELECT "django_content_type"."app_label"', "SELECT COUNT("))]


def test_a_deactivated_account_is_logged_out_on_its_next_request(client):
    person = UserFactory(username="saliente", roles=[roles.PLANNING])
    client.force_login(person)
    assert client.get("/espacio/").status_code == 200
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    response = client.get("/espacio/")
    assert response.status_code == 302 and "/cuenta/" in response["Location"]


def test_the_header_counts_again_after_the_person_marks_notices_read():
    person = UserFactory(username="lectora")
    notifications.notify(kind=notices.VOTE_OPENED, title="Aviso", user=person)
    user = _request_user(person.pk)
    roles.user_roles(user)
    assert getattr(user, roles.REQUEST_UNREAD) == 1
    notifications.notifications_mark_read(user=user)
    assert not hasattr(user, roles.REQUEST_UNREAD)


def test_a_permission_on_one_object_answers_as_the_backends_in_one_query():
    body, other = BodyFactory(slug="organo-a"), BodyFactory(slug="organo-b")
    own = UserFactory(username="propia")
    assign_perm("councils.manage_sessions", own, body)
    by_group = UserFactory(username="por-grupo")
    group = Group.objects.create(name="Secretarías de prueba")
    by_group.groups.add(group)
    assign_perm("councils.manage_sessions", group, body)
    global_only = UserFactory(username="global")  # a model permission says nothing of one object, as in guardian
    global_only.user_permissions.add(Permission.objects.get(codename="manage_sessions"))
    inactive = UserFactory(username="inactiva", is_active=False)
    assign_perm("councils.manage_sessions", inactive, body)
    superuser = UserFactory(username="super", is_superuser=True)

    for user in (own, by_group, global_only, inactive, superuser):
        user = get_user_model().objects.get(pk=user.pk)
        for target in (body, other):
            with CaptureQueriesContext(connection) as ctx:
                fast = has_object_perm(user, "councils.manage_sessions", target)
            assert len(ctx.captured_queries) <= 1
            expected = user.is_active and get_user_model().objects.get(pk=user.pk).has_perm(
                "councils.manage_sessions", target
            )
            assert fast == expected == can_manage_sessions(user, target), (user.username, target.slug)
    assert has_object_perm(own, "councils.manage_sessions", body)
    assert has_object_perm(by_group, "councils.manage_sessions", body)
    assert not has_object_perm(global_only, "councils.manage_sessions", body)


def test_the_objects_a_user_holds_a_permission_on_are_guardians():
    """``objects_for`` (and ``objects_with_any``) answer as django-guardian's ``get_objects_for_user`` with global
    permissions, which they no longer call: own and group permissions, a global one (every object), none."""
    from guardian.shortcuts import get_objects_for_user

    from councils.models import Body
    from implan.permissions import objects_for, objects_with_any

    bodies = [BodyFactory(slug=f"organo-{n}") for n in range(3)]
    own = UserFactory(username="propia")
    assign_perm("councils.manage_sessions", own, bodies[0])
    by_group = UserFactory(username="por-grupo")
    group = Group.objects.create(name="Secretarías de prueba")
    by_group.groups.add(group)
    assign_perm("councils.manage_memberships", group, bodies[1])
    global_only = UserFactory(username="global")
    global_only.user_permissions.add(Permission.objects.get(codename="manage_memberships"))
    inactive = UserFactory(username="inactiva", is_active=False)
    assign_perm("councils.manage_sessions", inactive, bodies[2])
    nobody = UserFactory(username="nadie")
    superuser = UserFactory(username="super", is_superuser=True)

    perms = ["councils.manage_sessions", "councils.manage_memberships"]
    for user in (own, by_group, global_only, inactive, nobody, superuser):
        user = get_user_model().objects.get(pk=user.pk)
        guardian = {
            perm: set(get_objects_for_user(user, perm, Body.objects.all(), accept_global_perms=True)) for perm in perms
        }
        for perm in perms:
            assert set(objects_for(user, perm, Body.objects.all())) == guardian[perm], (user.username, perm)
        assert set(objects_with_any(user, perms, Body.objects.all())) == set().union(*guardian.values())
    assert set(objects_for(own, "councils.manage_sessions", Body.objects.all())) == {bodies[0]}
    assert set(objects_with_any(global_only, perms, Body.objects.all())) == set(Body.objects.all())


@pytest.mark.parametrize("perm", ["manage_sessions", "planning.manage_sessions"])
def test_a_permission_name_without_its_app_or_of_another_app_is_an_error_not_a_no(perm):
    """A typo in a permission's name would otherwise deny everyone silently (guardian raises too)."""
    from councils.models import Body
    from implan.permissions import objects_for

    body, user = BodyFactory(), UserFactory()
    with pytest.raises(ValueError, match="is not a permission of councils.body"):
        has_object_perm(user, perm, body)
    with pytest.raises(ValueError, match="is not a permission of councils.body"):
        objects_for(user, perm, Body.objects.all())


def test_a_history_read_uses_the_objects_key_not_the_whole_table():
    """The history of one object is read through its key's index: the plan names the object's id."""
    from implan.history import _records

    body = BodyFactory()
    body.name = "Otro nombre"
    body.save()
    with CaptureQueriesContext(connection) as queries:
        shown, _previous = _records(body, 10)
    assert len(shown) == 2
    [sql] = [q["sql"] for q in queries.captured_queries]
    # The rows are then looked up by their own key (history_id): neither read walks the whole table.
    assert f'FROM "councils_historicalbody" WHERE id IN ({body.pk})' in sql


def test_each_request_reads_its_own_users_roles_and_a_change_shows_on_the_next_one(client):
    """The query is compiled once per process; what it reads is each request's user as it is now."""
    planner = UserFactory(username="planeadora", roles=[roles.PLANNING])
    member = UserFactory(username="consejera", roles=[roles.COUNCIL_MEMBER])
    other = Client()
    client.force_login(planner)
    other.force_login(member)
    for _ in range(2):  # alternately, in one process
        assert roles.user_roles(client.get("/espacio/").wsgi_request.user) == {roles.PLANNING}
        assert roles.user_roles(other.get("/espacio/").wsgi_request.user) == {roles.COUNCIL_MEMBER}
    member.groups.add(Group.objects.get(name=roles.PLANNING))
    assert roles.user_roles(other.get("/espacio/").wsgi_request.user) == {roles.COUNCIL_MEMBER, roles.PLANNING}
    planner.groups.clear()
    assert roles.user_roles(client.get("/espacio/").wsgi_request.user) == set()


def test_sessions_kept_in_the_cache_log_in_log_out_and_end_with_the_account(client, settings):
    """As production runs them with Redis (here the local-memory cache): the same behaviour as in the database."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    person = UserFactory(username="con-cache", roles=[roles.PLANNING])
    client.force_login(person)
    assert client.get("/espacio/").status_code == 200
    assert Session.objects.count() == 1  # written through to the database too
    client.logout()
    assert client.get("/espacio/").status_code == 302 and Session.objects.count() == 0
    client.force_login(person)
    get_user_model().objects.filter(pk=person.pk).update(is_active=False)
    assert client.get("/espacio/").status_code == 302
