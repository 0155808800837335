"""Evaluations in the workspace and on the public site: planners create one for an approved plan and a year, add
findings and recommendations (about goals of that plan only); recommendations of published evaluations become
inputs of the next diagnosis; the public page shows statuses in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from implan.errors import DomainError
from implan.models import LifecycleState
from planning.models import Evaluation, EvaluationFinding, FindingKind
from planning.selectors.evaluation import diagnosis_inputs
from planning.services import evaluation as services
from tests.factories import (
    DiagnosisFactory,
    EvaluationFactory,
    EvaluationFindingFactory,
    FiscalYearFactory,
    GoalFactory,
    ObjectiveFactory,
    StrategicPlanFactory,
    StrategyFactory,
    VertienteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


def _plan_goal(plan):
    strategy = StrategyFactory(plan=plan, vertiente=VertienteFactory(plan=plan))
    return GoalFactory(objective=ObjectiveFactory(strategy=strategy))


def test_an_evaluation_is_created_only_for_an_approved_plan_once_per_year(planner):
    year = FiscalYearFactory()
    draft_plan = StrategicPlanFactory()
    with pytest.raises(DomainError, match="Solo se evalúa un plan aprobado"):
        services.evaluation_create(actor=planner, plan=draft_plan, fiscal_year=year, title="Evaluación")
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED)
    services.evaluation_create(actor=planner, plan=plan, fiscal_year=year, title="Evaluación 2025")
    with pytest.raises(DomainError, match="Ya existe la evaluación de este plan"):
        services.evaluation_create(actor=planner, plan=plan, fiscal_year=year, title="Otra")
    assert Evaluation.objects.count() == 1


def test_a_finding_about_a_goal_of_another_plan_is_refused(planner):
    evaluation = EvaluationFactory()
    foreign_goal = _plan_goal(StrategicPlanFactory(state=LifecycleState.PUBLISHED))
    data = services.FindingData(kind=FindingKind.FINDING, text="No corresponde", goal=foreign_goal)
    with pytest.raises(DomainError, match="no pertenece al plan evaluado"):
        services.evaluation_finding_save(actor=planner, evaluation=evaluation, data=data)
    assert not EvaluationFinding.objects.exists()


def test_findings_are_frozen_with_their_evaluation(planner):
    finding = EvaluationFindingFactory(evaluation__state=LifecycleState.IN_REVIEW)
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.evaluation_finding_save(
            actor=planner,
            evaluation=finding.evaluation,
            finding=finding,
            data=services.FindingData(kind=FindingKind.FINDING, text="Cambio"),
        )
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.evaluation_finding_delete(actor=planner, finding=finding)
    finding.refresh_from_db()
    assert finding.text.startswith("Hallazgo")


def test_only_planners_write_evaluations(regidor):
    with pytest.raises(PermissionDenied):
        services.evaluation_finding_save(
            actor=regidor, evaluation=EvaluationFactory(), data=services.FindingData(kind=FindingKind.FINDING, text="x")
        )


def test_a_planner_adds_a_recommendation_about_a_goal_through_the_form(as_planner, planner):
    evaluation = EvaluationFactory()
    goal = _plan_goal(evaluation.plan)
    url = reverse("planning:finding_create", args=[evaluation.pk])
    form = as_planner.get(f"{url}?meta={goal.pk}").content.decode()
    assert f'<option value="{goal.pk}" selected>' in form
    response = as_planner.post(
        url, {"kind": FindingKind.RECOMMENDATION, "goal": goal.pk, "text": "Medir la cobertura cada año."}
    )
    assert response.status_code == 302
    finding = EvaluationFinding.objects.get()
    assert (finding.goal, finding.kind) == (goal, FindingKind.RECOMMENDATION)
    assert finding.history.first().history_user == planner
    page = as_planner.get(reverse("planning:evaluation_workspace", args=[evaluation.pk])).content.decode()
    assert "Medir la cobertura cada año." in page and "Sin datos" in page


def test_an_empty_finding_is_refused_by_the_form(as_planner):
    evaluation = EvaluationFactory()
    response = as_planner.post(
        reverse("planning:finding_create", args=[evaluation.pk]), {"kind": FindingKind.FINDING, "text": ""}
    )
    assert response.status_code == 200 and not EvaluationFinding.objects.exists()


def test_findings_and_recommendations_of_evaluations_published_after_the_last_diagnosis_are_its_inputs():
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED)
    now = timezone.now()
    old = EvaluationFactory(
        plan=plan,
        fiscal_year=FiscalYearFactory(year=2023),
        state=LifecycleState.PUBLISHED,
        published_at=now - datetime.timedelta(days=400),
    )
    EvaluationFindingFactory(evaluation=old, kind=FindingKind.RECOMMENDATION, text="Ya atendida")
    DiagnosisFactory(
        plan=plan,
        title="Diagnóstico 2024",
        state=LifecycleState.PUBLISHED,
        published_at=now - datetime.timedelta(days=200),
    )
    new = EvaluationFactory(plan=plan, state=LifecycleState.PUBLISHED, published_at=now)
    EvaluationFindingFactory(evaluation=new, kind=FindingKind.RECOMMENDATION, text="Pendiente")
    EvaluationFindingFactory(evaluation=new, kind=FindingKind.FINDING, text="Un hallazgo no es recomendación")
    draft = EvaluationFactory(plan=plan, fiscal_year=FiscalYearFactory(year=2026))
    EvaluationFindingFactory(evaluation=draft, kind=FindingKind.RECOMMENDATION, text="Aún en borrador")
    assert [f.text for f in diagnosis_inputs()] == ["Pendiente", "Un hallazgo no es recomendación"]


def test_the_public_evaluation_shows_statuses_and_findings_of_the_published_version(client):
    evaluation = EvaluationFactory(state=LifecycleState.PUBLISHED, title="Evaluación 2025 del plan")
    goal = _plan_goal(evaluation.plan)
    EvaluationFindingFactory(evaluation=evaluation, goal=goal, text="La meta carece de datos recientes.")
    EvaluationFindingFactory(evaluation=evaluation, kind=FindingKind.RECOMMENDATION, text="Actualizar la fuente.")
    page = client.get(reverse("planning:evaluation_year", args=[2025])).content.decode()
    assert "La meta carece de datos recientes." in page and "Actualizar la fuente." in page
    assert 'class="badge badge-sin_datos">Sin datos' in page
    assert "Agregar hallazgo" not in page
    assert "Evaluación 2025 del plan" in client.get(reverse("planning:evaluation_index")).content.decode()


def test_an_unpublished_evaluation_is_not_public(client):
    EvaluationFactory(state=LifecycleState.APPROVED)
    assert client.get(reverse("planning:evaluation_year", args=[2025])).status_code == 404


def test_the_public_evaluation_keeps_a_constant_query_count_as_goals_grow(client):
    evaluation = EvaluationFactory(state=LifecycleState.PUBLISHED)
    _plan_goal(evaluation.plan)
    url = reverse("planning:evaluation_year", args=[2025])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        goal = _plan_goal(evaluation.plan)
        EvaluationFindingFactory(evaluation=evaluation, goal=goal)
        goal.target_value = Decimal("80")
        goal.save()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_draft_diagnosis_page_shows_the_evaluations_findings_and_recommendations(as_planner):
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED)
    evaluation = EvaluationFactory(plan=plan, state=LifecycleState.PUBLISHED, published_at=timezone.now())
    EvaluationFindingFactory(evaluation=evaluation, kind=FindingKind.RECOMMENDATION, text="Medir por delegación.")
    EvaluationFindingFactory(evaluation=evaluation, kind=FindingKind.FINDING, text="La cobertura bajó en el norte.")
    draft = DiagnosisFactory(plan=plan, title="Diagnóstico 2027")
    page = as_planner.get(reverse("planning:diagnosis_detail", args=[draft.pk])).content.decode()
    assert "Hallazgos y recomendaciones de la evaluación para el próximo diagnóstico" in page
    assert "<strong>Recomendación:</strong> Medir por delegación." in page
    assert "<strong>Hallazgo:</strong> La cobertura bajó en el norte." in page
