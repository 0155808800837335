"""Writes of the evaluation of an approved plan: the evaluation of a fiscal year and its findings and
recommendations (goal statuses are read live, see ``planning.selectors.evaluation``). Only a draft is written; the
lifecycle lives in ``planning.services.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.models import FiscalYear, LifecycleState
from implan.permissions import require_planner
from planning.models import Evaluation, EvaluationFinding, Goal, StrategicPlan
from planning.services.editing import require_draft, stamp

# What a person edits on each record: the fields compared to detect a concurrent save (implan.concurrency).
EVALUATION_FIELDS = ("title",)
FINDING_FIELDS = ("kind", "goal", "text")

# A plan is evaluated once a body approved it: the version in force or one it replaced.
EVALUABLE_PLAN_STATES = frozenset({LifecycleState.APPROVED, LifecycleState.PUBLISHED, LifecycleState.SUPERSEDED})


@transaction.atomic
def evaluation_create(*, actor: Any, plan: StrategicPlan, fiscal_year: FiscalYear, title: str) -> Evaluation:
    """Open the draft evaluation of an approved plan for a fiscal year (goal statuses are read live)."""
    require_planner(actor)
    plan = StrategicPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state not in EVALUABLE_PLAN_STATES:
        raise DomainError(
            _("Solo se evalúa un plan aprobado; «%(plan)s» está %(state)s.")
            % {"plan": plan, "state": plan.get_state_display().lower()}
        )
    if Evaluation.objects.filter(plan=plan, fiscal_year=fiscal_year).exists():
        raise DomainError(
            _(
                "Ya existe la evaluación de este plan para el ejercicio %(year)s; para cambiarla, cree "
                "una nueva versión desde su página."
            )
            % {"year": fiscal_year.year}
        )
    evaluation = Evaluation(plan=plan, fiscal_year=fiscal_year, title=title.strip())
    stamp(evaluation, actor, _("Evaluación creada"))
    evaluation.save()
    event_record(
        actor=actor,
        subject=evaluation,
        action="evaluation_created",
        to_state=evaluation.state,
        note=_("Evaluación creada"),
    )
    return evaluation


@transaction.atomic
def evaluation_update(
    *, actor: Any, evaluation: Evaluation, title: str, seen: dict[str, str] | None = None
) -> Evaluation:
    require_planner(actor)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_draft(evaluation)
    check_unchanged(evaluation, EVALUATION_FIELDS, seen)
    evaluation.title = title.strip()
    stamp(evaluation, actor, _("Título de la evaluación"))
    evaluation.save()
    return evaluation


@dataclass(frozen=True)
class FindingData:
    kind: str
    text: str
    goal: Goal | None = None


@transaction.atomic
def evaluation_finding_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    data: FindingData,
    finding: EvaluationFinding | None = None,
    seen: dict[str, str] | None = None,
) -> EvaluationFinding:
    """Add or change a finding or recommendation; one about a goal must name a goal of the evaluated plan."""
    require_planner(actor)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_draft(evaluation)
    if finding is not None and finding.evaluation_id != evaluation.pk:
        raise DomainError(_("El hallazgo no pertenece a esta evaluación."))
    if finding is not None:
        finding = EvaluationFinding.objects.select_for_update().get(pk=finding.pk)
        check_unchanged(finding, FINDING_FIELDS, seen)
    if (
        data.goal is not None
        and not Goal.objects.filter(pk=data.goal.pk, objective__strategy__plan=evaluation.plan_id).exists()
    ):
        raise DomainError(_("La meta «%(goal)s» no pertenece al plan evaluado.") % {"goal": data.goal})
    if not data.text.strip():
        raise DomainError(_("Escriba el texto del hallazgo o la recomendación."))
    finding = finding or EvaluationFinding(evaluation=evaluation)
    finding.kind, finding.text, finding.goal = data.kind, data.text.strip(), data.goal
    stamp(finding, actor, finding.get_kind_display())
    finding.save()
    return finding


@transaction.atomic
def evaluation_finding_delete(*, actor: Any, finding: EvaluationFinding) -> None:
    require_planner(actor)
    evaluation = Evaluation.objects.select_for_update().get(pk=finding.evaluation_id)
    require_draft(evaluation)
    stamp(finding, actor, _("Hallazgo eliminado"))
    finding.delete()
