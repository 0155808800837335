"""The portal's one permission vocabulary, shared by every app's views and services.

Roles are Django groups (``implan.roles``); object permissions come from django-guardian.
Rule of the portal: what a user may not see is a 404; what they may see but not change is a 403. Each app's
``permissions.py`` states its own rules (who sees a body, who edits a strategy) on these words.

- Who: ``has_role``, ``is_planner``, ``is_administrator``, ``objects_for``, ``objects_with_any``,
  ``has_object_perm``.
- Refusals: ``hide_unless`` (404), ``deny_unless`` (403), and the common cases ``require_planner`` and
  ``require_administrator`` (403, with the Spanish reason services give).
- Function views: ``planner_required`` (403) and ``planner_only_sees`` (404), both sending anonymous users to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from implan import roles
from implan.types import AnyUser, Label


def has_role(user: AnyUser, *role_names: str) -> bool:
    """True when the user is active and belongs to any of ``role_names`` (superusers always)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if hasattr(user, roles.REQUEST_ROLES):
        return not roles.user_roles(user).isdisjoint(role_names)
    return user.groups.filter(name__in=role_names).exists()


def is_planner(user: AnyUser) -> bool:
    """The planning staff; administrators too."""
    return has_role(user, roles.PLANNING, roles.ADMINISTRATION)


def is_administrator(user: AnyUser) -> bool:
    return has_role(user, roles.ADMINISTRATION)


def objects_for(user: AnyUser, perm: str, queryset: models.QuerySet) -> models.QuerySet:
    """The objects of ``queryset`` on which ``user`` holds ``perm`` (directly, by group, or globally): guardian's
    ``get_objects_for_user(..., accept_global_perms=True)``, built as ``objects_with_any`` builds it."""
    return objects_with_any(user, [perm], queryset)


def objects_with_any(user: AnyUser, perms: list[str], queryset: models.QuerySet) -> models.QuerySet:
    """The objects of ``queryset`` on which ``user`` holds any of ``perms`` (directly, by group, or globally): the
    union of ``objects_for`` of each, as one subquery built without django-guardian's general machinery, whose
    building took a third of a session page's time (the workspace asks this on every page of a body). As guardian's,
    it does not look at ``is_active``: an inactive account is never a request's user, and services that act for
    someone check it themselves."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or any(user.has_perm(perm) for perm in perms):  # a global permission: every object
        return queryset
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.functions import Cast
    from guardian.models import GroupObjectPermission, UserObjectPermission

    ctype = ContentType.objects.get_for_model(queryset.model)
    codenames = [_codename(perm, ctype) for perm in perms]
    on_model = {"content_type": ctype, "permission__content_type": ctype, "permission__codename__in": codenames}
    # guardian keeps every object's key as text: read back as the model's own key type (integer, UUID…)
    key = queryset.model._meta.pk
    pk = Cast("object_pk", output_field=getattr(key, "target_field", key).clone())
    own = UserObjectPermission.objects.filter(user=user, **on_model).values(key=pk)
    by_group = GroupObjectPermission.objects.filter(group__user=user, **on_model).values(key=pk)
    return queryset.filter(models.Q(pk__in=own) | models.Q(pk__in=by_group))


def has_object_perm(user: AnyUser, perm: str, obj: models.Model) -> bool:
    """``user.has_perm(perm, obj)`` as the portal's backends answer it (a superuser always; django-guardian's
    permissions on ``obj``, the user's own or a group's; a global permission never), in one query where guardian's
    checker takes two."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    ctype = ContentType.objects.get_for_model(obj)
    on_obj = {"content_type": ctype, "object_pk": str(obj.pk), "permission__codename": _codename(perm, ctype)}
    on_obj["permission__content_type"] = ctype
    own = UserObjectPermission.objects.filter(user=user, **on_obj)
    by_group = GroupObjectPermission.objects.filter(group__user=user, **on_obj)
    return ContentType.objects.filter(pk=ctype.pk).filter(models.Exists(own) | models.Exists(by_group)).exists()


def _codename(perm: str, ctype: Any) -> str:
    """The codename of ``perm`` («app_label.codename») for objects of ``ctype``; a name of another app or without its
    app is a mistake in the code (guardian raises too), never a silent «no»."""
    app_label, dot, codename = perm.partition(".")
    if not dot or app_label != ctype.app_label:
        raise ValueError(f"{perm!r} is not a permission of {ctype.app_label}.{ctype.model}")
    return codename


def hide_unless(allowed: bool) -> None:
    """404 unless ``allowed``: for what the user may not even know exists."""
    if not allowed:
        raise Http404


def deny_unless(allowed: bool, message: Label = "") -> None:
    """403 unless ``allowed``: for what the user may see but not change (``message`` says why, in Spanish)."""
    if not allowed:
        raise PermissionDenied(message)


def require_planner(user: AnyUser, message: Label = "") -> None:
    """403 unless ``user`` is on the planning staff (or an administrator)."""
    deny_unless(is_planner(user), message or _("Solo el cuerpo técnico de planeación puede hacerlo."))


def require_administrator(user: AnyUser, message: Label = "") -> None:
    """403 unless ``user`` is an administrator."""
    deny_unless(is_administrator(user), message)


View = Callable[..., HttpResponse]


def planner_required(view: View) -> View:
    """Anonymous → login; logged in without the planning role → 403 (they may know the page exists)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        deny_unless(is_planner(request.user))
        return view(request, *args, **kwargs)

    return wrapped


def planner_only_sees(view: View) -> View:
    """Anonymous → login; logged in without the planning role → 404 (the object is not theirs to know of)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        hide_unless(is_planner(request.user))
        return view(request, *args, **kwargs)

    return wrapped
