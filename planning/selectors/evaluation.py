"""Reads behind the evaluation pages: each goal of the evaluated plan with its status, grouped by strategy, and the
findings and recommendations attached to it (a fixed number of queries whatever the number of goals); and what the
published evaluations leave as inputs of the next diagnosis."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Value, When
from django.http import Http404

from implan.models import LifecycleState, Territory
from indicators.models import Observation
from planning.models import Diagnosis, Evaluation, EvaluationFinding, FindingKind, Goal, Strategy
from planning.selectors.goals import GoalStatus, goals_with_status
from planning.selectors.mir import ProgrammeProgress, mir_progress

HUNDRED = Decimal("100")


@dataclass
class GoalEvaluation:
    goal: Goal
    observation: Observation | None
    status: str
    findings: list[EvaluationFinding] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(GoalStatus.LABELS[self.status])

    @property
    def progress(self) -> Decimal | None:
        """Share of the way from baseline to target covered by the latest value, 0–100 (None without data)."""
        if self.observation is None:
            return None
        distance = self.goal.target_value - self.goal.baseline_value
        if not distance:
            return HUNDRED
        share = (self.observation.value - self.goal.baseline_value) / distance * HUNDRED
        return max(Decimal("0"), min(HUNDRED, share)).quantize(Decimal("1"))


@dataclass
class StrategyEvaluation:
    strategy: Strategy
    goals: list[GoalEvaluation] = field(default_factory=list)


@dataclass
class EvaluationData:
    evaluation: Evaluation
    strategies: list[StrategyEvaluation]
    general: list[EvaluationFinding]
    mir: list[ProgrammeProgress] = field(default_factory=list)  # the MIR indicators of the published programmes

    @property
    def goals(self) -> list[GoalEvaluation]:
        return [g for s in self.strategies for g in s.goals]

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, label, how many goals) in the order cumplida, en camino, en riesgo, sin datos."""
        counts = Counter(g.status for g in self.goals)
        return [(status, str(label), counts[status]) for status, label in GoalStatus.LABELS.items()]

    @property
    def findings(self) -> list[EvaluationFinding]:
        """Every finding and recommendation: the general ones, then those about each goal in the goals' order."""
        return self.general + [f for g in self.goals for f in g.findings]

    @property
    def recommendations(self) -> list[EvaluationFinding]:
        return [f for f in self.findings if f.kind == FindingKind.RECOMMENDATION]


def evaluation_data(*, evaluation: Evaluation) -> EvaluationData:
    """Goals of the evaluated plan judged with the municipality's observations up to the evaluation's year."""
    municipality = Territory.objects.home_municipality().first()
    goals = Goal.objects.filter(objective__strategy__plan=evaluation.plan_id).order_by(
        "objective__strategy__number", "objective__number", "pk"
    )
    findings: dict[int | None, list[EvaluationFinding]] = defaultdict(list)
    for finding in evaluation.findings.select_related("goal").order_by("kind", "pk"):
        findings[finding.goal_id].append(finding)
    strategies: dict[int, StrategyEvaluation] = {}
    for goal, observation, status in goals_with_status(
        goals=goals, territory=municipality, until_year=evaluation.fiscal_year.year
    ):
        strategy = goal.objective.strategy
        group = strategies.setdefault(strategy.pk, StrategyEvaluation(strategy=strategy))
        group.goals.append(GoalEvaluation(goal, observation, status, findings.get(goal.pk, [])))
    return EvaluationData(
        evaluation=evaluation,
        strategies=list(strategies.values()),
        general=findings.get(None, []),
        mir=mir_progress(until_year=evaluation.fiscal_year.year),
    )


def published_evaluation(*, year: int) -> Evaluation:
    """The newest published evaluation of a fiscal year, or 404."""
    evaluation = (
        Evaluation.objects.filter(fiscal_year__year=year, state=LifecycleState.PUBLISHED)
        .select_related("fiscal_year", "plan")
        .order_by("-version", "-pk")
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


def diagnosis_inputs() -> list[Any]:
    """Findings and recommendations of published evaluations not yet taken up by a diagnosis: those published after
    the newest published diagnosis (all of them when no diagnosis has been published). Inputs of the next diagnosis,
    recommendations first; its draft's page and the evaluations list show them
    (``planning/workspace/partials/diagnosis_inputs.html``). Two queries.
    """
    last_diagnosis = (
        Diagnosis.objects.published()
        .exclude(published_at=None)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    evaluations = Evaluation.objects.published()
    if last_diagnosis is not None:
        evaluations = evaluations.filter(published_at__gt=last_diagnosis)
    recommendations_first = Case(When(kind=FindingKind.RECOMMENDATION, then=Value(0)), default=Value(1))
    return list(
        EvaluationFinding.objects.filter(evaluation__in=evaluations)
        .select_related("evaluation__fiscal_year", "goal")
        .order_by(recommendations_first, "-evaluation__fiscal_year__year", "pk")
    )
