"""Assessment: planners rate every active criterion 0–100; the weighted average is the priority score."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from implan.errors import DomainError
from implan.models import Event
from projects import services
from projects.models import Assessment, CriterionScore, ProjectStatus
from tests.factories import ProjectFactory, ScoringCriterionFactory
from tests.projects.builders import criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def six():
    return criteria()


def _ratings(criteria_list, values):
    return {c.pk: v for c, v in zip(criteria_list, values, strict=True)}


def test_the_score_is_the_weighted_average_and_the_proposal_enters_assessment(planner, six):
    project = ProjectFactory(status=ProjectStatus.PROPOSED)
    # weights 25, 20, 20, 15, 10, 10
    assessment = services.project_assess(
        actor=planner, project=project, ratings=_ratings(six, [100, 80, 60, 40, 0, 50]), notes="Muy alineado"
    )
    expected = (25 * 100 + 20 * 80 + 20 * 60 + 15 * 40 + 10 * 0 + 10 * 50) / Decimal(100)
    assert assessment.score == expected == Decimal("64.00")
    project.refresh_from_db()
    assert (project.priority_score, project.status) == (expected, ProjectStatus.UNDER_ASSESSMENT)
    assert CriterionScore.objects.filter(assessment=assessment).count() == 6
    assert set(Event.objects.values_list("action", flat=True)) == {"project_status", "project_assessed"}


def test_weights_in_force_are_kept_with_each_rating(planner, six):
    project = ProjectFactory(status=ProjectStatus.UNDER_ASSESSMENT)
    first = services.project_assess(actor=planner, project=project, ratings=_ratings(six, [100, 0, 0, 0, 0, 0]))
    six[0].weight = Decimal("50")
    six[0].save()
    second = services.project_assess(actor=planner, project=project, ratings=_ratings(six, [100, 0, 0, 0, 0, 0]))
    assert (first.score, second.score) == (Decimal("25.00"), Decimal("40.00"))
    assert first.scores.get(criterion=six[0]).weight == Decimal("25")
    project.refresh_from_db()
    assert project.priority_score == Decimal("40.00")


def test_inactive_criteria_are_not_asked(planner, six):
    six[5].is_active = False
    six[5].save()
    project = ProjectFactory(status=ProjectStatus.UNDER_ASSESSMENT)
    assessment = services.project_assess(actor=planner, project=project, ratings=_ratings(six[:5], [50] * 5))
    assert assessment.score == Decimal("50.00")


def test_every_active_criterion_must_be_rated(planner, six):
    project = ProjectFactory(status=ProjectStatus.PROPOSED)
    with pytest.raises(DomainError, match="falta «Demanda ciudadana»"):
        services.project_assess(actor=planner, project=project, ratings=_ratings(six[:5], [50] * 5))
    project.refresh_from_db()
    assert (project.status, project.priority_score) == (ProjectStatus.PROPOSED, None)
    assert not Assessment.objects.exists() and not Event.objects.exists()


@pytest.mark.parametrize("value", [101, -1])
def test_ratings_go_from_0_to_100(planner, six, value):
    project = ProjectFactory(status=ProjectStatus.PROPOSED)
    with pytest.raises(DomainError, match="de 0 a 100"):
        services.project_assess(actor=planner, project=project, ratings=_ratings(six, [50] * 5 + [value]))
    assert not Assessment.objects.exists()


def test_weights_adding_up_to_zero_are_refused(planner):
    zero = ScoringCriterionFactory(weight=Decimal("0"))
    with pytest.raises(DomainError, match="suman cero"):
        services.project_assess(actor=planner, project=ProjectFactory(), ratings={zero.pk: 50})


def test_without_criteria_there_is_no_assessment(planner):
    with pytest.raises(DomainError, match="No hay criterios"):
        services.project_assess(actor=planner, project=ProjectFactory(), ratings={})


@pytest.mark.parametrize("status", [ProjectStatus.IN_EXECUTION, ProjectStatus.COMPLETED, ProjectStatus.CANCELLED])
def test_projects_past_the_portfolio_are_not_assessed(planner, six, status):
    with pytest.raises(DomainError, match="Solo se evalúan"):
        services.project_assess(actor=planner, project=ProjectFactory(status=status), ratings=_ratings(six, [1] * 6))


@pytest.mark.parametrize("who", ["liaison", "councillor", "secretary"])
def test_only_planners_assess(request, six, who):
    with pytest.raises(PermissionDenied):
        services.project_assess(
            actor=request.getfixturevalue(who), project=ProjectFactory(), ratings=_ratings(six, [50] * 6)
        )
