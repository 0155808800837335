"""Reads behind the plan's pages (public and workspace), each in a fixed number of queries.

Strategies are matched across versions of their plan by (plan slug, strategy slug): a programme approved under
version 1 of the plan keeps serving the same strategy in version 2, without rewriting the frozen programme.
Latest indicator values are the municipality's (the level the plan's goals are set at).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from implan.models import RETIRED_STATES, Territory
from implan.params import is_number
from implan.permissions import is_planner
from indicators.models import Indicator, Observation
from indicators.status import judged
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vision,
)
from planning.permissions import commission_strategies
from planning.selectors.goals import GoalStatus, goal_status

# --- Latest values ---------------------------------------------------------------------------------------------


def _latest(column: str, indicator_ref: str) -> Subquery:
    """The latest judged observation's ``column`` for the municipality the goals are set for (not any
    municipality): the total, with a value, final (``indicators.status.judged``, the one rule), so a preliminary year,
    a «sin dato» or one category of a breakdown never stands for the indicator."""
    municipality = Subquery(Territory.objects.home_municipality().values("pk"))
    observations = judged(
        Observation.objects.filter(indicator=OuterRef(indicator_ref), territory=municipality)
    ).order_by("-period_start")
    return Subquery(observations.values(column)[:1])


def indicators_with_latest() -> QuerySet[Indicator]:
    """Indicators annotated with their latest municipal value and period (``latest_value``, ``latest_period``)."""
    return Indicator.objects.annotate(
        latest_value=_latest("value", "pk"),
        latest_period=_latest("period", "pk"),
        latest_start=_latest("period_start", "pk"),
    )


def goals_with_latest() -> QuerySet[Goal]:
    return (
        Goal.objects.select_related("indicator")
        .annotate(
            latest_value=_latest("value", "indicator_id"),
            latest_period=_latest("period", "indicator_id"),
            latest_start=_latest("period_start", "indicator_id"),
        )
        .order_by("target_year", "pk")
    )


def _judge(goal: Goal) -> Goal:
    """Attach the goal's status (cumplida, en camino, en riesgo, sin datos) from its latest value."""
    goal.status = goal_status(
        goal, latest=goal.latest_value, latest_year=goal.latest_start.year if goal.latest_start else None
    )
    goal.status_label = GoalStatus.LABELS[goal.status]
    return goal


# --- The plan -------------------------------------------------------------------------------------------------


@dataclass
class StrategyOutline:
    strategy: Strategy
    objectives: list[Objective]
    programmes: list[Programme] = field(default_factory=list)


@dataclass
class VertienteOutline:
    vertiente: Any
    strategies: list[StrategyOutline]


@dataclass
class PlanOutline:
    plan: StrategicPlan
    vision: Vision | None
    vertientes: list[VertienteOutline]
    strategies: list[StrategyOutline]
    unplaced_programmes: list[Programme] = field(default_factory=list)


def public_plan() -> StrategicPlan | None:
    """The published version of the long-term plan (the newest, should there be more than one plan)."""
    return StrategicPlan.objects.published().order_by("-horizon_year", "-version").first()


def _strategies(plan: StrategicPlan) -> list[Strategy]:
    goals = Prefetch("goals", queryset=goals_with_latest())
    objectives = Prefetch("objectives", queryset=Objective.objects.order_by("number").prefetch_related(goals))
    strategies = list(
        plan.strategies.select_related("commission", "vertiente").prefetch_related(objectives).order_by("number")
    )
    for strategy in strategies:
        for objective in strategy.objectives.all():
            for goal in objective.goals.all():
                _judge(goal)
    return strategies


def strategy_objectives(strategy: Strategy) -> list[Objective]:
    """The strategy's objectives in order, each with its goals judged by their latest value (two queries)."""
    objectives = list(
        strategy.objectives.order_by("number").prefetch_related(Prefetch("goals", queryset=goals_with_latest()))
    )
    for objective in objectives:
        for goal in objective.goals.all():
            _judge(goal)
    return objectives


def latest_programmes(queryset: QuerySet[Programme] | None = None) -> list[Programme]:
    """The newest version of each programme that is not retired (superseded or archived)."""
    queryset = Programme.objects.all() if queryset is None else queryset
    newest: dict[str, Programme] = {}
    for programme in queryset.exclude(state__in=RETIRED_STATES).order_by("code", "-version"):
        newest.setdefault(programme.code, programme)
    return list(newest.values())


def plan_outline(plan: StrategicPlan, *, public: bool) -> PlanOutline:
    """The plan's vision, vertientes, strategies with objectives and goals (with latest values) and programmes.

    Public: published programmes only; workspace: the newest version of each. Seven queries whatever the size.
    """
    strategies = _strategies(plan)
    programmes = Programme.objects.filter(strategy__plan__slug=plan.slug).select_related("strategy", "agency")
    chosen = list(programmes.published().order_by("code")) if public else latest_programmes(programmes)
    by_slug: dict[str, list[Programme]] = defaultdict(list)
    for programme in chosen:
        by_slug[programme.strategy.slug].append(programme)
    outlines = [StrategyOutline(s, list(s.objectives.all()), by_slug.pop(s.slug, [])) for s in strategies]
    vertientes = [
        VertienteOutline(v, [o for o in outlines if o.strategy.vertiente_id == v.pk])
        for v in plan.vertientes.order_by("order")
    ]
    return PlanOutline(
        plan=plan,
        vision=Vision.objects.filter(plan=plan).first(),
        vertientes=vertientes,
        strategies=outlines,
        unplaced_programmes=[p for ps in by_slug.values() for p in ps],
    )


def public_strategy_or_404(slug: str) -> tuple[StrategicPlan, Strategy]:
    """The published plan and its strategy ``slug``, or 404."""
    plan = public_plan()
    if plan is None:
        raise Http404
    strategy = plan.strategies.select_related("vertiente", "commission").filter(slug=slug).first()
    if strategy is None:
        raise Http404
    return plan, strategy


def strategy_outline(strategy: Strategy) -> StrategyOutline:
    """A strategy of the published plan with its objectives, goals and published programmes."""
    programmes = list(
        Programme.objects.published()
        .filter(strategy__plan__slug=strategy.plan.slug, strategy__slug=strategy.slug)
        .select_related("agency")
        .order_by("code")
    )
    return StrategyOutline(strategy, strategy_objectives(strategy), programmes)


# --- The workspace -----------------------------------------------------------------------------------------------


def lineages(queryset: QuerySet, key: str) -> list[list[Any]]:
    """Versions grouped by lineage key, newest first inside each group."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for instrument in queryset.order_by(key, "-version"):
        groups[getattr(instrument, key)].append(instrument)
    return list(groups.values())


def workspace_index(user: Any) -> dict[str, Any]:
    """What the plan's workspace lists for ``user``: everything for planners, their strategies for a commission."""
    if not is_planner(user):
        strategies = commission_strategies(user).exclude(plan__state__in=RETIRED_STATES).select_related("plan")
        return {
            "planner": False,
            "strategies": list(strategies.order_by("plan__slug", "-plan__version", "number")),
            "programmes": latest_programmes(
                Programme.objects.filter(strategy__in=commission_strategies(user)).select_related("strategy")
            ),
        }
    return {
        "planner": True,
        "plans": lineages(StrategicPlan.objects.all(), "slug"),
        "diagnoses": list(Diagnosis.objects.order_by("-pk")[:30]),
        "government_plans": list(
            GovernmentPlan.objects.select_related("administration_term").order_by(
                "-administration_term__start_date", "-version"
            )
        ),
        "programmes": latest_programmes(Programme.objects.select_related("strategy", "agency")),
    }


def working_strategies(user: Any) -> QuerySet[Strategy]:
    """Strategies a programme may be aligned to by ``user``: those of live plan versions (commission: its own)."""
    strategies = Strategy.objects.exclude(plan__state__in=RETIRED_STATES)
    return strategies if is_planner(user) else strategies.filter(pk__in=commission_strategies(user).values("pk"))


def government_plan_programme_choices(plan: GovernmentPlan | None = None) -> QuerySet[Programme]:
    """Programmes a government plan may commit to: the newest live version of each (plus those it already has)."""
    ids = [p.pk for p in latest_programmes()]
    if plan is not None:
        ids += list(plan.programmes.values_list("pk", flat=True))
    return Programme.objects.filter(pk__in=ids).select_related("strategy").order_by("code")


def public_diagnosis() -> Diagnosis | None:
    """The newest published diagnosis."""
    return Diagnosis.objects.published().select_related("plan").order_by("-published_at", "-version").first()


def diagnosis_sections(diagnosis: Diagnosis) -> list[DiagnosisSection]:
    """Sections in order, each with its cited indicators and their latest municipal value (two queries)."""
    cited = Prefetch("indicators", queryset=indicators_with_latest().order_by("code"))
    return list(diagnosis.sections.prefetch_related(cited).order_by("order"))


# --- The government plan ----------------------------------------------------------------------------------------


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
    strategies = [
        s
        for s in Strategy.objects.of_published_plans()
        .select_related("plan", "vertiente")
        .order_by("plan__slug", "number")
        if (s.plan.slug, s.slug) not in committed
    ]
    orphans = list(plan.programmes.filter(strategy__isnull=True).select_related("agency").order_by("code"))
    return Alignment(strategies_without_commitments=strategies, orphan_programmes=orphans)


@dataclass
class CommittedStrategy:
    name: str
    slug: str
    programmes: list[Programme]


@dataclass
class GovernmentPlanOutline:
    plan: GovernmentPlan
    by_strategy: list[CommittedStrategy]
    projects_without_programme: list[Any]
    alignment: Alignment


def government_plan_outline(plan: GovernmentPlan, *, public: bool) -> GovernmentPlanOutline:
    """The programmes a government plan commits to, grouped by strategy, with their projects and the alignment.

    Projects come through the reverse relation ``plan.projects`` (planning never imports projects); the public
    sees only the projects the portfolio makes public.
    """
    programmes = list(plan.programmes.select_related("strategy", "agency").order_by("strategy__number", "code"))
    groups: dict[str, CommittedStrategy] = {}
    for programme in programmes:
        strategy = programme.strategy
        key = strategy.slug if strategy else ""
        groups.setdefault(key, CommittedStrategy(strategy.name if strategy else "", key, [])).programmes.append(
            programme
        )
    projects = plan.projects.public() if public else plan.projects.all()
    by_programme: dict[int, list[Any]] = defaultdict(list)
    loose = []
    committed = {p.pk for p in programmes}
    for project in projects.order_by("code"):
        (by_programme[project.programme_id] if project.programme_id in committed else loose).append(project)
    for programme in programmes:
        programme.committed_projects = by_programme.get(programme.pk, [])
    return GovernmentPlanOutline(
        plan=plan,
        by_strategy=list(groups.values()),
        projects_without_programme=loose,
        alignment=government_plan_alignment(plan=plan),
    )


def public_government_plan(term: str | None) -> GovernmentPlan:
    """The published government plan of a term named like «2024-2027» (the newest when no term is given)."""
    plans = (
        GovernmentPlan.objects.published()
        .select_related("administration_term")
        .order_by("-administration_term__start_date", "-version")
    )
    if term is not None:
        start, _, end = term.partition("-")
        if not (is_number(start) and is_number(end)):
            raise Http404
        plans = plans.filter(
            administration_term__start_date__year=int(start), administration_term__end_date__year=int(end)
        )
    plan = plans.first()
    if plan is None:
        raise Http404
    return plan


def term_slug(plan: GovernmentPlan) -> str:
    term = plan.administration_term
    return f"{term.start_date.year}-{term.end_date.year}"
