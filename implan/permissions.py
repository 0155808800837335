"""The portal's one permission vocabulary, shared by every view.

Roles are Django groups (``implan.roles``); object permissions come from django-guardian.
Rule of the portal: what a user may not see is a 404; what they may see but not change is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from implan import roles


def has_role(user, *role_names: str) -> bool:  # noqa: ANN001 - any user-like object
    """True when the user is active and belongs to any of ``role_names`` (superusers always)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=role_names).exists()


def is_planner(user) -> bool:  # noqa: ANN001
    return has_role(user, roles.PLANNING, roles.ADMINISTRATION)


def objects_for(user, perm: str, queryset: models.QuerySet) -> models.QuerySet:  # noqa: ANN001
    """The objects of ``queryset`` on which ``user`` holds ``perm`` (directly, by group, or globally)."""
    if not user.is_authenticated:
        return queryset.none()
    return get_objects_for_user(user, perm, klass=queryset, accept_global_perms=True)


def require_visible(user, obj: models.Model, visible: Iterable[models.Model] | models.QuerySet) -> None:  # noqa: ANN001
    """404 unless ``obj`` is in what the user may see."""
    if isinstance(visible, models.QuerySet):
        if not visible.filter(pk=obj.pk).exists():
            raise Http404
    elif obj not in visible:
        raise Http404


def require_perm(user, perm: str, obj: models.Model | None = None) -> None:  # noqa: ANN001
    """403 unless the user holds ``perm`` (on ``obj`` when given)."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class RoleRequiredMixin(LoginRequiredMixin):
    """Class views: a logged-in user with one of ``required_roles``; others get 403 (anonymous: login)."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):  # noqa: ANN001, ANN201
        if request.user.is_authenticated and self.required_roles and not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
