"""Who may use the indicators workspace: the planning staff (and the administration).

Loaded files are the planners' working material: to anyone else they do not exist (404). The catalogue pages
show public things, so others may see that they exist but not use them (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from implan.permissions import is_planner

View = Callable[..., HttpResponse]


def planner_required(view: View) -> View:
    """Anonymous → login; logged in without the planning role → 403."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_planner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def planner_only_sees(view: View) -> View:
    """Anonymous → login; logged in without the planning role → 404 (the object is not theirs to know of)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not is_planner(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
