"""The portal's roles are Django groups; their names live here so code never spells them twice."""

import functools
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from implan.types import AnyUser

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The group names stay Spanish in the database; gettext_noop only puts them in the catalogue, so that a template can
# show a role with {% translate role %}.
ADMINISTRATION = gettext_noop("Administración")
PLANNING = gettext_noop("Planeación")
TECHNICAL_SECRETARY = gettext_noop("Secretaría técnica")
COUNCIL_MEMBER = gettext_noop("Consejero")
REGIDOR = gettext_noop("Regidor")
AGENCY_LIAISON = gettext_noop("Enlace de dependencia")

ALL_ROLES = [ADMINISTRATION, PLANNING, TECHNICAL_SECRETARY, COUNCIL_MEMBER, REGIDOR, AGENCY_LIAISON]

ROLE_DESCRIPTIONS = {
    ADMINISTRATION: _("Administra personas, membresías, roles y catálogos."),
    PLANNING: _("Cuerpo técnico: redacta diagnóstico, visión, estrategias, programas, presupuesto e informe."),
    TECHNICAL_SECRETARY: _("Convoca sesiones de su órgano, fija el orden del día, toma asistencia y abre votaciones."),
    COUNCIL_MEMBER: _("Consulta lo que está ante su órgano, asiste a sesiones, vota y propone proyectos."),
    REGIDOR: _("Integrante del Ayuntamiento: vota la aprobación de planes, programas y presupuestos."),
    AGENCY_LIAISON: _("Reporta avance físico y financiero de los proyectos de su dependencia."),
}


def user_roles(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, REQUEST_ROLES):  # not the user of a request: read the groups as they are now
        return set(user.groups.values_list("name", flat=True))
    remembered: frozenset[str] | None = getattr(user, REQUEST_ROLES)
    if remembered is None:
        remembered = read_request_user(user)
    return set(remembered)


def load_request_user(pk: int | str) -> "User | None":
    """The logged-in user of a request (``implan.backends.RequestUserBackend.get_user``), read with what its pages ask
    of it — roles, unread notices, model permissions — in the same query on PostgreSQL; ``None`` if it is gone."""
    from django.contrib.auth import get_user_model

    users = get_user_model()._default_manager  # the portal's users are Django's own (no AUTH_USER_MODEL)
    if connection.vendor != "postgresql":
        user = users.filter(pk=pk).first()
        if user is not None:
            setattr(user, REQUEST_ROLES, None)  # read the first time a page asks (read_request_user)
        return user
    sql, params, at = _request_user_statement(connection.alias)
    user = next(iter(users.raw(sql, [*params[:at], pk, *params[at + 1 :]])), None)
    if user is not None:
        values = [getattr(user, name) for name in REQUEST_VALUES]
        for name in REQUEST_VALUES:
            delattr(user, name)
        _remember(user, *values)
    return user


# A key no user has: the statement is compiled with it, and each request puts its user's key in its place.
_ANY_USER = -1_987_654_321


@functools.cache
def _request_user_statement(alias: str) -> tuple[str, tuple[Any, ...], int]:
    """The SQL of ``load_request_user``'s query, its parameters and where the user's key goes among them: compiled
    once per process. Building and compiling the four annotated subqueries took 2 ms of every logged-in request, three
    times what PostgreSQL took to run them; the same text every time also lets PostgreSQL keep the statement prepared.
    """
    from django.contrib.auth import get_user_model

    query = _with_request_values(get_user_model()._default_manager.filter(pk=_ANY_USER)).query
    sql, params = query.get_compiler(alias).as_sql()
    return sql, tuple(params), list(params).index(_ANY_USER)


def read_request_user(user: AnyUser) -> frozenset[str]:
    """What the pages of one request ask of their logged-in user, read in one query the first time any is asked:
    the roles (``REQUEST_ROLES``), the unread notices of the header's «Avisos» link (``REQUEST_UNREAD``) and the
    model permissions Django's ModelBackend would read in two more (its own per-object cache, ``_perm_cache``, filled
    only when it has not read them already). Every page checks a role or shows the header; most do both. For a user
    the backend loaded (``load_request_user``) this was read with the user itself; on SQLite (the default run, where
    speed matters less) it takes two queries and the permissions are left to ModelBackend."""
    from django.contrib.auth import get_user_model

    from implan.models import Notification

    if connection.vendor != "postgresql":
        names = frozenset(user.groups.values_list("name", flat=True))
        unread = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()  # type: ignore[misc]  # logged in: pk set
        return _remember(user, names, unread, None, None)
    users = get_user_model()._default_manager.filter(pk=user.pk)  # type: ignore[misc]  # authenticated: pk is set
    return _remember(user, *_with_request_values(users).values_list(*REQUEST_VALUES).get())


def _with_request_values(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` annotated with ``REQUEST_VALUES``, as arrays and a count (PostgreSQL)."""
    from django.contrib.auth.models import Group, Permission
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce, Concat

    from implan.models import Notification

    def permissions(**lookup: object) -> ArraySubquery:
        named = Permission.objects.filter(**lookup).annotate(
            full=Concat("content_type__app_label", Value("."), "codename")
        )
        return ArraySubquery(named.values("full"))

    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return users.annotate(
        request_role_names=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).values("name")),
        request_unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
        request_user_perms=permissions(user=OuterRef("pk")),
        request_group_perms=permissions(group__user=OuterRef("pk")),
    )


REQUEST_VALUES = ("request_role_names", "request_unread", "request_user_perms", "request_group_perms")


def _remember(
    user: AnyUser,
    names: list[str] | frozenset[str],
    unread: int,
    user_perms: list[str] | None,
    group_perms: list[str] | None,
) -> frozenset[str]:
    remembered = frozenset(names)
    setattr(user, REQUEST_ROLES, remembered)
    setattr(user, REQUEST_UNREAD, unread)
    if user_perms is not None and user.is_active and not user.is_superuser and not hasattr(user, "_perm_cache"):
        user._perm_cache = {*user_perms, *(group_perms or [])}  # type: ignore[attr-defined]  # as ModelBackend's
    return remembered


# Set on the logged-in user of each request, by the backend that loads it (``load_request_user``: the roles themselves,
# or None on SQLite) or else by implan.middleware.RequestRolesMiddleware (None): the page's several role checks (the
# view's, the menu's, the template's) then read the user's groups once, with the user or at the first check. Other
# users (an actor in a script or a test, whose groups may change while it lives) are read every time.
REQUEST_ROLES = "_roles_of_this_request"
# The unread notices of the request's user, read with its roles (``read_request_user``); dropped when the person marks
# notices read, so a page drawn after that counts again.
REQUEST_UNREAD = "_unread_of_this_request"
