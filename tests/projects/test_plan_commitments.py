"""The projects a government plan commits to are part of what the Ayuntamiento votes on: they change only while the
plan is a draft, through projects.services, whether asked from a service or from the Django admin."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from implan.errors import DomainError
from implan.events import events_for
from implan.models import LifecycleState
from planning.models import GovernmentPlan
from planning.services import lifecycle
from planning.services import plan as plan_services
from projects import services
from projects.models import Project, ProjectStatus
from tests.factories import AdministrationTermFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_plan(planner):
    term = AdministrationTermFactory(name="2024–2027")
    return plan_services.government_plan_create(
        actor=planner, values={"administration_term": term, "title": "Programa de Gobierno 2024–2027"}
    )


def _approved(plan: GovernmentPlan) -> GovernmentPlan:
    # The vote itself is tested in planning; here only the state matters.
    GovernmentPlan.objects.filter(pk=plan.pk).update(state=LifecycleState.APPROVED)
    return GovernmentPlan.objects.get(pk=plan.pk)


def test_a_planner_commits_a_project_in_a_draft_plan_with_history_and_an_event(planner, draft_plan):
    project = ProjectFactory()
    assert services.project_commit_to_plan(actor=planner, project=project, plan=draft_plan) is True
    assert list(project.government_plans.all()) == [draft_plan]
    assert events_for(project).get(action="project_committed").actor == planner
    record = project.history.latest()
    assert record.history_user == planner and record.history_change_reason.startswith("Comprometido en")
    assert services.project_commit_to_plan(actor=planner, project=project, plan=draft_plan) is False
    assert services.project_remove_from_plan(actor=planner, project=project, plan=draft_plan) is True
    assert not project.government_plans.exists()


@pytest.mark.parametrize("service", [services.project_commit_to_plan, services.project_remove_from_plan])
def test_no_service_changes_the_projects_of_a_plan_in_review_or_approved(planner, draft_plan, service):
    kept, outside = ProjectFactory(), ProjectFactory()
    services.project_commit_to_plan(actor=planner, project=kept, plan=draft_plan)
    in_review = lifecycle.instrument_submit(instrument=draft_plan, actor=planner)
    for plan in (in_review, _approved(in_review)):
        for project in (kept, outside):
            with pytest.raises(DomainError):
                service(actor=planner, project=project, plan=plan)
    assert list(draft_plan.projects.all()) == [kept]


def test_a_new_version_of_the_plan_is_a_draft_whose_projects_change_again(planner, draft_plan):
    kept = ProjectFactory()
    services.project_commit_to_plan(actor=planner, project=kept, plan=draft_plan)
    new = lifecycle.instrument_new_version(instrument=_approved(draft_plan), actor=planner)
    assert list(new.projects.all()) == [kept]
    services.project_remove_from_plan(actor=planner, project=kept, plan=new)
    assert list(draft_plan.projects.all()) == [kept] and not new.projects.exists()


def test_only_planners_commit_projects(liaison, councillor, draft_plan):
    for actor in (liaison, councillor):
        with pytest.raises(PermissionDenied):
            services.project_commit_to_plan(actor=actor, project=ProjectFactory(), plan=draft_plan)
    assert not draft_plan.projects.exists()


def _change(client, project: Project, plans: list[GovernmentPlan], **fields):
    data = {"government_plans": [p.pk for p in plans], **fields}
    for prefix in ("milestones",):  # the read-only inline's management form
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return client.post(reverse("admin:projects_project_change", args=[project.pk]), data)


def test_the_admin_cannot_add_a_project_to_an_approved_plan(client, superuser, planner, draft_plan):
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    approved = _approved(draft_plan)
    client.force_login(superuser)
    response = _change(client, project, [approved])
    assert response.status_code == 200  # the form again, with the error
    assert not project.government_plans.exists()
    assert not services.has_approved_commitment(project)


def test_the_admin_cannot_take_a_project_out_of_an_approved_plan(client, superuser, planner, draft_plan):
    project = ProjectFactory()
    services.project_commit_to_plan(actor=planner, project=project, plan=draft_plan)
    approved = _approved(draft_plan)
    client.force_login(superuser)
    response = _change(client, project, [])
    assert "no se puede modificar" in response.content.decode()
    assert list(project.government_plans.all()) == [approved]


def test_the_admin_commits_to_a_draft_plan_through_the_service_and_changes_nothing_else(client, superuser, draft_plan):
    project = ProjectFactory(title="Parque lineal")
    client.force_login(superuser)
    response = _change(client, project, [draft_plan], title="Otro título", status=ProjectStatus.COMPLETED)
    assert response.status_code == 302
    project.refresh_from_db()
    assert list(project.government_plans.all()) == [draft_plan]
    assert project.title == "Parque lineal" and project.status == ProjectStatus.PROPOSED
    assert events_for(project).get(action="project_committed").actor == superuser


def test_projects_are_neither_added_nor_deleted_in_the_admin(client, superuser):
    project = ProjectFactory()
    client.force_login(superuser)
    assert client.get(reverse("admin:projects_project_add")).status_code == 403
    assert client.post(reverse("admin:projects_project_delete", args=[project.pk]), {"post": "yes"}).status_code == 403
    assert Project.objects.filter(pk=project.pk).exists()
