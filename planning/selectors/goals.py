"""Reads of the planning app: budget totals, plan alignment, goal evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from indicators.models import Observation, Polarity
from planning.models import (
    Budget,
    Diagnosis,
    Evaluation,
    EvaluationFinding,
    FindingKind,
    Goal,
    GovernmentPlan,
    Programme,
    Strategy,
)


def budget_totals(*, budget: Budget) -> dict[str, list[dict[str, Any]]]:
    """Approved, modified and executed sums by strategy, agency and chapter (one query each)."""
    sums = {"approved": Sum("approved_amount"), "modified": Sum("modified_amount"),
            "executed": Sum("executed_amount")}
    lines = budget.lines.all()
    return {
        "strategy": list(lines.values("programme__strategy__name").annotate(**sums)
                         .order_by("programme__strategy__number")),
        "agency": list(lines.values("agency__name").annotate(**sums).order_by("agency__name")),
        "chapter": list(lines.values("chapter").annotate(**sums).order_by("chapter")),
        "total": [lines.aggregate(**sums)],
    }


@dataclass(frozen=True)
class Alignment:
    strategies_without_commitments: list[Strategy]
    orphan_programmes: list[Programme]


def government_plan_alignment(*, plan: GovernmentPlan) -> Alignment:
    """Strategies of the published long-term plan with nothing committed in the government plan (no programme and
    no project), and the committed programmes that serve no strategy (the orphans). Four queries.

    A strategy is matched across versions of its plan by the plan's and its own slug: a programme approved under
    version 1 of the plan still serves the same strategy once version 2 is published.
    """
    keys = ("strategy__plan__slug", "strategy__slug")
    committed = set(plan.programmes.filter(strategy__isnull=False).values_list(*keys))
    committed |= set(plan.projects.values_list(*keys))  # reverse relation: planning never imports projects
    strategies = [s for s in Strategy.objects.of_published_plans().select_related("plan", "vertiente")
                  .order_by("plan__slug", "number") if (s.plan.slug, s.slug) not in committed]
    orphans = list(plan.programmes.filter(strategy__isnull=True).select_related("agency").order_by("code"))
    return Alignment(strategies_without_commitments=strategies, orphan_programmes=orphans)


class GoalStatus:
    MET = "cumplida"
    ON_TRACK = "en_camino"
    AT_RISK = "en_riesgo"
    NO_DATA = "sin_datos"

    LABELS = {MET: _("Cumplida"), ON_TRACK: _("En camino"), AT_RISK: _("En riesgo"), NO_DATA: _("Sin datos")}


def goal_status(*, polarity: str, baseline: Decimal, baseline_year: int, target: Decimal, target_year: int,
                latest: Decimal | None, latest_year: int | None) -> str:
    """Judge a goal by its latest observation, respecting which way is better.

    Met when the value reached the target in the good direction; on track when the share of the way covered is
    at least the share of the time elapsed; at risk otherwise; no data without an observation after the baseline.
    """
    if latest is None or latest_year is None or latest_year < baseline_year:
        return GoalStatus.NO_DATA
    higher_is_better = polarity == Polarity.HIGHER_IS_BETTER
    if (latest >= target) if higher_is_better else (latest <= target):
        return GoalStatus.MET
    distance = target - baseline
    covered = (latest - baseline) / distance if distance else Decimal("0")
    span = target_year - baseline_year
    elapsed = Decimal(latest_year - baseline_year) / span if span else Decimal("1")
    return GoalStatus.ON_TRACK if covered >= elapsed else GoalStatus.AT_RISK


def goals_with_status(*, goals: Any, territory: Any,
                      until_year: int | None = None) -> list[tuple[Goal, Observation | None, str]]:
    """Each goal with its indicator's latest observation for ``territory`` and its status (two queries).

    With ``until_year``, observations of later periods are ignored: a report or evaluation of a fiscal year judges
    goals with what was known of that year, however much data arrived since.
    """
    goals = list(goals.select_related("indicator", "objective__strategy"))
    latest: dict[int, Observation] = {}
    observations = (Observation.objects.filter(indicator__in=[g.indicator_id for g in goals], territory=territory)
                    .order_by("indicator_id", "-period_start"))
    if until_year is not None:
        observations = observations.filter(period_start__year__lte=until_year)
    for observation in observations:
        latest.setdefault(observation.indicator_id, observation)
    result = []
    for goal in goals:
        obs = latest.get(goal.indicator_id)
        status = goal_status(polarity=goal.indicator.polarity, baseline=goal.baseline_value,
                             baseline_year=goal.baseline_year, target=goal.target_value,
                             target_year=goal.target_year, latest=obs.value if obs else None,
                             latest_year=obs.period_start.year if obs else None)
        result.append((goal, obs, status))
    return result


def diagnosis_inputs() -> list[Any]:
    """Findings and recommendations of published evaluations not yet taken up by a diagnosis: those published after
    the newest published diagnosis (all of them when no diagnosis has been published). Inputs of the next diagnosis,
    recommendations first; its draft's page and the evaluations list show them
    (``planning/partials/diagnosis_inputs.html``). Two queries.
    """
    last_diagnosis = (Diagnosis.objects.published().exclude(published_at=None).order_by("-published_at")
                      .values_list("published_at", flat=True).first())
    evaluations = Evaluation.objects.published()
    if last_diagnosis is not None:
        evaluations = evaluations.filter(published_at__gt=last_diagnosis)
    recommendations_first = Case(When(kind=FindingKind.RECOMMENDATION, then=Value(0)), default=Value(1))
    return list(EvaluationFinding.objects.filter(evaluation__in=evaluations)
                .select_related("evaluation__fiscal_year", "goal")
                .order_by(recommendations_first, "-evaluation__fiscal_year__year", "pk"))
