"""Access rules shared by the workspace pages of budgets, annual reports and evaluations.

These instruments are written by the planning staff: a planner (or an administrator) sees and edits them; any
other logged-in user gets 403 on the list and creation pages (they may know the section exists) and 404 on an
instrument's own pages (drafts are not theirs to see). Published versions are on the public site.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from implan.errors import DomainError
from implan.permissions import is_planner


def planner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in (else the login page) and a planner (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_planner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def planner_object(request: HttpRequest, queryset: models.QuerySet | type[models.Model], **lookup: Any) -> Any:
    """An instrument (or a part of one) for a planner; 404 for everyone else."""
    if not is_planner(request.user):
        raise Http404
    return get_object_or_404(queryset, **lookup)


def refused(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)

