"""The demo portfolio (one load, several checks: loading the demo is the slow part)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from councils.models import BodyKind
from implan.models import Event
from projects.models import AgencyLiaison, Assessment, Project, ProjectStatus, ScoringCriterion
from projects.permissions import proposing_memberships
from projects.timeline import project_timeline
from tests.projects.test_oc4ids import assert_valid

pytestmark = pytest.mark.django_db


def test_the_demo_portfolio_is_assessed_told_open_and_valid_oc4ids(client, demo):

    # Criteria with weights that add up to 100; every project past the proposal assessed, ratings consistent.
    assert sum(c.weight for c in ScoringCriterion.objects.all()) == 100
    assessed = Project.objects.exclude(status=ProjectStatus.PROPOSED)
    assert Assessment.objects.filter(project__in=assessed).count() == assessed.count()
    for assessment in Assessment.objects.prefetch_related("scores"):
        assert sum(s.weight * s.value for s in assessment.scores.all()) / 100 == assessment.score

    # consejero01 can propose from a community council; the liaison reports for Obra Pública.
    kinds = {m.body.kind for m in proposing_memberships(get_user_model().objects.get(username="consejero01"))}
    assert BodyKind.URBAN_COMMUNITY_COUNCIL in kinds
    grant = AgencyLiaison.objects.get(user__username="enlace")
    assert Project.objects.filter(agency=grant.agency, status=ProjectStatus.IN_EXECUTION).exists()

    # A project in execution tells its story, with the resolution that approved its funding.
    project = Project.objects.filter(status=ProjectStatus.IN_EXECUTION).order_by("code").first()
    kinds = [e.kind for e in project_timeline(project, public=True)]
    assert kinds[0] == "proposal" and {"assessment", "approval", "allocation", "progress", "status"} <= set(kinds)
    assert Event.objects.filter(action="project_status", object_id=project.pk).count() == 3
    html = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert "Acuerdo" in html and "H. Ayuntamiento de León" in html

    # The published portfolio as OC4IDS validates with zero errors.
    data = client.get(reverse("projects:oc4ids")).json()
    assert_valid(data)
    assert len(data["projects"]) >= 20
    assert {"preparation", "implementation", "completion"} <= {p["status"] for p in data["projects"]}
    assert any("budgetBreakdowns" in p.get("budget", {}) for p in data["projects"])
