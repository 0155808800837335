"""The one permission vocabulary (implan/permissions.py): 404 for what a user may not see, 403 for what they may see
but not change, and no app writing its own copy of the planner or administrator checks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from implan.permissions import (
    deny_unless,
    hide_unless,
    planner_only_sees,
    planner_required,
    require_administrator,
    require_planner,
)

ROOT = Path(__file__).resolve().parents[2]
APPS = ["implan", "councils", "indicators", "planning", "projects"]
# Names that belong to the core's vocabulary alone; an app states its own rules on them (visible_bodies…).
CORE_WORDS = {
    "has_role",
    "is_planner",
    "is_administrator",
    "hide_unless",
    "deny_unless",
    "require",
    "require_planner",
    "require_administrator",
    "planner_required",
    "planner_only_sees",
}


def _view(request):
    return HttpResponse("ok")


def test_a_refusal_to_see_is_a_404_and_a_refusal_to_change_a_403():
    hide_unless(True)
    deny_unless(True)
    with pytest.raises(Http404):
        hide_unless(False)
    with pytest.raises(PermissionDenied, match="por esto"):
        deny_unless(False, "por esto")


@pytest.mark.django_db
def test_planners_pass_others_are_refused_with_the_service_s_reason(planner, councillor, administrator):
    require_planner(planner)
    require_planner(administrator)
    require_administrator(administrator)
    with pytest.raises(PermissionDenied, match="cuerpo técnico de planeación"):
        require_planner(councillor)
    with pytest.raises(PermissionDenied, match="Solo la administración"):
        require_administrator(planner, "Solo la administración fija esto.")


@pytest.mark.django_db
def test_the_view_decorators_send_anonymous_users_to_log_in_and_answer_others_403_or_404(planner, councillor):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/espacio/x/")
    request.user = AnonymousUser()
    assert planner_required(_view)(request).status_code == 302
    assert planner_only_sees(_view)(request).status_code == 302
    request.user = councillor
    with pytest.raises(PermissionDenied):
        planner_required(_view)(request)
    with pytest.raises(Http404):
        planner_only_sees(_view)(request)
    request.user = planner
    assert planner_required(_view)(request).status_code == 200
    assert planner_only_sees(_view)(request).status_code == 200


def _definitions() -> list[tuple[str, str]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.FunctionDef):
                    found.append((str(path.relative_to(ROOT)), node.name))
    return found


def test_the_planner_and_administrator_checks_are_written_once_in_the_core():
    copies = [
        (path, name)
        for path, name in _definitions()
        if (name.lstrip("_") in CORE_WORDS or name.lstrip("_").startswith(("require_planner", "require_admin")))
        and path != "implan/permissions.py"
        and not path.startswith("implan/templatetags/")
    ]
    assert copies == []
