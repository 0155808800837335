"""The admin's import of projects corrects them through the planners' service: never their status or score."""

from decimal import Decimal

import pytest
import tablib
from django.urls import reverse

from projects.models import ProjectStatus
from projects.resources import ProjectResource
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_import_leaves_status_and_score_alone_but_updates_the_rest(planner):
    project = ProjectFactory(code="PE-2025-001", status=ProjectStatus.PROPOSED, priority_score=Decimal("40"))
    exported = ProjectResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["status"] == ProjectStatus.PROPOSED
    row |= {"status": ProjectStatus.IN_EXECUTION, "priority_score": "99", "title": "Título corregido"}
    result = ProjectResource().import_data(
        tablib.Dataset(list(row.values()), headers=list(row)), dry_run=False, user=planner
    )
    assert not result.has_errors() and not result.has_validation_errors()
    project.refresh_from_db()
    assert (project.title, project.status, project.priority_score) == (
        "Título corregido",
        ProjectStatus.PROPOSED,
        Decimal("40"),
    )


@pytest.mark.parametrize("name", ["milestone", "progressupdate", "allocation"])
def test_a_projects_milestones_progress_and_allocations_are_not_added_in_the_admin(client, superuser, name):
    """Their services check progress, spending and allocations; the admin's forms would skip them."""
    client.force_login(superuser)
    assert client.get(reverse(f"admin:projects_{name}_add")).status_code == 403
    assert client.post(reverse(f"admin:projects_{name}_add"), {}).status_code == 403
