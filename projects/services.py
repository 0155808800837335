"""Writes of the portfolio: proposals, assessments, status transitions, progress, milestones and allocations.

Each transition is declared in ``TRANSITIONS``; a move not listed there is refused. Entering the portfolio needs an
assessment and a responsible agency; entering execution needs an approved commitment: a government plan or a
budget, approved or published, that includes the project. Every service runs in a transaction, locks the project
row, refuses with a ``DomainError`` (nothing saved) and writes an event row.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from councils.models import Body, BodyKind, Membership
from implan import roles
from implan.concurrency import check_rows_unchanged, check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.formatting import account_name
from implan.limits import require_text_limits
from implan.models import RETIRED_STATES, Agency, LifecycleState, Territory
from implan.money import format_mxn, to_money
from implan.permissions import has_role, is_administrator, require_administrator, require_planner
from implan.slugs import unique_slug
from planning.models import BudgetLine, GovernmentPlan, Programme, Strategy
from planning.services.editing import require_draft
from projects import evidence as evidence_files
from projects.models import (
    PROPOSING_BODY_KINDS,
    AgencyLiaison,
    Allocation,
    Assessment,
    CriterionScore,
    Evidence,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectStatus,
    ScoringCriterion,
    validate_sdg_goals,
)
from projects.permissions import can_report_progress

S = ProjectStatus
TRANSITIONS: dict[str, set[str]] = {
    S.PROPOSED: {S.UNDER_ASSESSMENT, S.CANCELLED},
    S.UNDER_ASSESSMENT: {S.IN_PORTFOLIO, S.PROPOSED, S.CANCELLED},
    S.IN_PORTFOLIO: {S.IN_EXECUTION, S.SUSPENDED, S.CANCELLED},
    S.IN_EXECUTION: {S.COMPLETED, S.SUSPENDED, S.CANCELLED},
    S.SUSPENDED: {S.IN_PORTFOLIO, S.IN_EXECUTION, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}
NEEDS_REASON = {S.SUSPENDED, S.CANCELLED}
APPROVED_STATES = (LifecycleState.APPROVED, LifecycleState.PUBLISHED)
ASSESSABLE = {S.PROPOSED, S.UNDER_ASSESSMENT, S.IN_PORTFOLIO}
CLOSED = {S.COMPLETED, S.CANCELLED}
ALLOCATABLE = {S.IN_PORTFOLIO, S.IN_EXECUTION, S.SUSPENDED}
HUNDRED = Decimal("100")


def _stamp(obj: Any, actor: Any, reason: str) -> None:
    """What django-simple-history writes with the next save: who acted (also outside a request) and why.

    Every save of this module is stamped first, so this is also where a text over its maximum is refused.
    """
    obj._history_user = actor
    obj._change_reason = reason
    require_text_limits(obj)


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def has_approved_commitment(project: Project) -> bool:
    in_plan = project.government_plans.filter(state__in=APPROVED_STATES).exists()
    funded = project.allocations.filter(budget_line__budget__state__in=APPROVED_STATES).exists()
    return in_plan or funded


# --- Project data: proposals and planners' edits -------------------------------------------------------------


@dataclass(frozen=True)
class ProjectData:
    """What a proposal (and a planner's edit) says about a project."""

    title: str
    problem: str
    strategy: Strategy | None
    territory: Territory | None
    description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    beneficiaries: int | None = None
    estimated_cost: Decimal | None = None
    sector: str = ""
    # Only planners set these:
    programme: Programme | None = None
    agency: Any = None
    sdg_goals: list[int] = field(default_factory=list)


def point_in_municipality(latitude: Decimal, longitude: Decimal) -> bool:
    """Inside the municipality's bounding box (``settings.MUNICIPALITY_BBOX``: south, west, north, east)."""
    south, west, north, east = settings.MUNICIPALITY_BBOX
    return south <= float(latitude) <= north and west <= float(longitude) <= east


def _check_data(data: ProjectData) -> None:
    if not data.title.strip():
        raise DomainError(_("Escriba el título del proyecto."))
    if not data.problem.strip():
        raise DomainError(_("Describa el problema que atiende el proyecto."))
    if data.territory is None:
        raise DomainError(_("Indique el territorio (delegación, colonia o comunidad) donde se hará el proyecto."))
    if data.strategy is None:
        raise DomainError(_("Indique la estrategia del plan a la que sirve el proyecto."))
    if (data.latitude is None) != (data.longitude is None):
        raise DomainError(_("Indique latitud y longitud juntas, o ninguna."))
    if (
        data.latitude is not None
        and data.longitude is not None
        and not point_in_municipality(data.latitude, data.longitude)
    ):
        raise DomainError(
            _(
                "Las coordenadas %(lat)s, %(lon)s quedan fuera del municipio de %(municipality)s. "
                "Revise que no estén invertidas ni les falte el signo negativo de la longitud."
            )
            % {"lat": data.latitude, "lon": data.longitude, "municipality": settings.MUNICIPALITY_NAME}
        )
    if data.estimated_cost is not None and data.estimated_cost < 0:
        raise DomainError(_("El costo estimado no puede ser negativo."))
    if data.beneficiaries is not None and data.beneficiaries < 0:
        raise DomainError(_("El número de personas beneficiarias no puede ser negativo."))
    if data.programme is not None and data.programme.strategy_id not in (None, data.strategy.pk):
        raise DomainError(_("El programa «%(programme)s» pertenece a otra estrategia.") % {"programme": data.programme})
    try:
        validate_sdg_goals(list(data.sdg_goals))
    except ValidationError as error:
        raise DomainError(_("Los ODS se indican como números distintos del 1 al 17.")) from error


def _within(territory: Territory | None, ancestor: Territory) -> bool:
    node: Territory | None = territory
    for _depth in range(10):  # territories nest a few levels at most; the bound guards against a cycle
        if node is None:
            return False
        if node.pk == ancestor.pk:
            return True
        node = node.parent
    return False


def _check_origin(body: Body, data: ProjectData) -> None:
    """A council proposes for what it represents: its territory, its strategy."""
    if body.kind not in PROPOSING_BODY_KINDS:
        raise DomainError(
            _(
                "Los proyectos se proponen desde un consejo sectorial, un consejo comunitario o una "
                "comisión de planeación estratégica."
            )
        )
    community = body.kind in (BodyKind.URBAN_COMMUNITY_COUNCIL, BodyKind.RURAL_COMMUNITY_COUNCIL)
    if community and body.territory is not None and not _within(data.territory, body.territory):
        raise DomainError(
            _("%(body)s propone proyectos para %(territory)s; «%(chosen)s» queda fuera.")
            % {"body": body, "territory": body.territory, "chosen": data.territory}
        )
    assert data.strategy is not None  # _check_data, called first, refused a project without one
    if body.kind == BodyKind.STRATEGY_COMMISSION and not body.strategies.filter(pk=data.strategy.pk).exists():
        raise DomainError(_("%(body)s propone proyectos para su propia estrategia.") % {"body": body})


def _next_code(year: int) -> str:
    prefix = f"PE-{year}-"
    numbers = [
        int(code[len(prefix) :])
        for code in Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        if code[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _create_with_code(project: Project) -> Project:
    """Give the project the next free code of the year; a concurrent proposal taking it makes us try the next."""
    for _attempt in range(5):
        project.code = _next_code(timezone.localdate().year)
        try:
            with transaction.atomic():
                project.save()
            return project
        except IntegrityError:
            project.pk = None
    raise DomainError(_("No se pudo asignar una clave al proyecto; intente de nuevo."))


@transaction.atomic
def project_propose(*, actor: Any, body: Body, data: ProjectData) -> Project:
    """A member of a sectoral or community council (or a strategy commission) proposes a project in its name."""
    membership = (
        Membership.objects.current()
        .filter(person__user=actor, body=body, body__is_active=True)
        .select_related("person")
        .first()
    )
    if membership is None or not actor.is_active:
        raise PermissionDenied(_("Solo un integrante vigente del órgano puede proponer proyectos a su nombre."))
    _check_data(data)
    _check_origin(body, data)
    project = Project(
        title=data.title.strip(),
        slug=unique_slug(Project.objects.all(), data.title, fallback="proyecto"),
        problem=data.problem.strip(),
        description=data.description.strip(),
        strategy=data.strategy,
        territory=data.territory,
        latitude=data.latitude,
        longitude=data.longitude,
        beneficiaries=data.beneficiaries,
        estimated_cost=to_money(data.estimated_cost) if data.estimated_cost is not None else None,
        sector=data.sector,
        origin_body=body,
        proposed_by=membership.person,
        agency=body.agency if body.kind == BodyKind.SECTORAL_COUNCIL else None,
        status=S.PROPOSED,
    )
    _stamp(project, actor, _("Propuesto por %(body)s") % {"body": body})
    _create_with_code(project)
    event_record(
        actor=actor,
        subject=project,
        action="project_proposed",
        to_state=S.PROPOSED,
        note=str(body),
        data={"body": body.pk, "person": membership.person_id},
    )
    return project


@transaction.atomic
def project_register(*, actor: Any, data: ProjectData, origin: str) -> Project:
    """A planner enters in the portfolio a project that did not come through a council: a citizen's proposal taken
    from an open call (``origin`` says so on its record). It starts proposed, to be assessed like any other."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación incorpora proyectos a la cartera."))
    _check_data(data)
    project = Project(
        title=data.title.strip(),
        slug=unique_slug(Project.objects.all(), data.title, fallback="proyecto"),
        problem=data.problem.strip(),
        description=data.description.strip(),
        strategy=data.strategy,
        territory=data.territory,
        latitude=data.latitude,
        longitude=data.longitude,
        status=S.PROPOSED,
    )
    _stamp(project, actor, origin)
    _create_with_code(project)
    event_record(actor=actor, subject=project, action="project_registered", to_state=S.PROPOSED, note=origin)
    return project


# What a person edits on each record: the fields compared to detect a concurrent save (implan.concurrency).
EDITABLE_FIELDS = (
    "title",
    "problem",
    "description",
    "strategy",
    "territory",
    "latitude",
    "longitude",
    "beneficiaries",
    "estimated_cost",
    "sector",
    "programme",
    "agency",
    "sdg_goals",
)
MILESTONE_FIELDS = ("title", "planned_date", "actual_date")
CRITERION_FIELDS = ("weight", "is_active")


@transaction.atomic
def project_update(
    *, actor: Any, project: Project, data: ProjectData, reason: str = "", seen: dict[str, str] | None = None
) -> Project:
    """Planners complete or correct a project's data: alignment, agency, place, cost.

    ``seen`` is what the editor's form showed; ``EditConflict`` when someone saved the project in between.
    """
    require_planner(actor, _("Solo el cuerpo técnico de planeación modifica los datos de un proyecto."))
    project = _lock(project)
    check_unchanged(project, EDITABLE_FIELDS, seen)
    if project.status in CLOSED:
        raise DomainError(
            _("Un proyecto %(status)s ya no se modifica.") % {"status": project.get_status_display().lower()}
        )
    _check_data(data)
    for name in EDITABLE_FIELDS:
        value = getattr(data, name)
        setattr(project, name, value.strip() if isinstance(value, str) else value)
    if data.estimated_cost is not None:
        project.estimated_cost = to_money(data.estimated_cost)
    project.sdg_goals = sorted(data.sdg_goals)
    _stamp(project, actor, reason.strip() or _("Datos del proyecto actualizados"))
    project.save()
    return project


# --- Assessment -----------------------------------------------------------------------------------------------


def weighted_score(ratings: list[tuple[Decimal, int]]) -> Decimal:
    """Weighted average of (weight, rating 0–100) pairs, to two decimals."""
    total_weight = sum((weight for weight, _value in ratings), Decimal("0"))
    if total_weight <= 0:
        raise DomainError(_("Los pesos de los criterios suman cero; la administración debe asignar pesos."))
    total = sum((weight * value for weight, value in ratings), Decimal("0"))
    return (total / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ratings(criteria: list[ScoringCriterion], ratings: dict[int, int]) -> list[tuple[ScoringCriterion, int]]:
    if not criteria:
        raise DomainError(_("No hay criterios de evaluación vigentes; la administración debe registrarlos."))
    checked = []
    for criterion in criteria:
        value = ratings.get(criterion.pk)
        if value is None:
            raise DomainError(_("Califique todos los criterios: falta «%(c)s».") % {"c": criterion})
        if not 0 <= value <= 100:
            raise DomainError(_("Cada calificación va de 0 a 100; «%(c)s» tiene %(v)s.") % {"c": criterion, "v": value})
        checked.append((criterion, int(value)))
    return checked


MAX_WEIGHT = Decimal("100")


@dataclass(frozen=True)
class CriterionSetting:
    weight: Decimal
    is_active: bool


@transaction.atomic
def criteria_configure(
    *, actor: Any, settings_by_id: dict[int, CriterionSetting], seen: dict[str, str] | None = None
) -> list[ScoringCriterion]:
    """Administrators set every criterion's weight (0–100) and whether it is in force, all at once.

    Assessments already made keep the weights they were made with (``CriterionScore.weight``); the next ones use
    these. At least one criterion in force must weigh something, or no proposal could be scored. ``seen``: the
    weights the form showed (``EditConflict`` when another administrator saved in between).
    """
    require_administrator(actor, _("Solo la administración fija los criterios de evaluación y sus pesos."))
    criteria = list(ScoringCriterion.objects.select_for_update().order_by("order", "name"))
    if {c.pk for c in criteria} != set(settings_by_id):
        raise DomainError(_("La lista de criterios cambió mientras editaba; abra la página de nuevo."))
    check_rows_unchanged(criteria, CRITERION_FIELDS, seen)
    for criterion in criteria:
        weight = settings_by_id[criterion.pk].weight
        if not Decimal("0") <= weight <= MAX_WEIGHT:
            raise DomainError(
                _("El peso de «%(c)s» debe estar entre 0 y 100; se recibió %(w)s.") % {"c": criterion, "w": weight}
            )
    if not any(s.is_active and s.weight > 0 for s in settings_by_id.values()):
        raise DomainError(_("Al menos un criterio vigente debe tener un peso mayor que cero."))
    for criterion in criteria:
        wanted = settings_by_id[criterion.pk]
        weight = wanted.weight.quantize(Decimal("0.01"))
        if (criterion.weight, criterion.is_active) == (weight, wanted.is_active):
            continue
        before: dict[str, Any] = {"weight": str(criterion.weight), "is_active": criterion.is_active}
        criterion.weight, criterion.is_active = weight, wanted.is_active
        _stamp(criterion, actor, _("Pesos de los criterios de evaluación"))
        criterion.save(update_fields=["weight", "is_active"])
        event_record(
            actor=actor,
            subject=criterion,
            action="criterion_configured",
            from_state=before["weight"],
            to_state=str(weight),
            data={"before": before, "after": {"weight": str(weight), "is_active": wanted.is_active}},
        )
    return criteria


@transaction.atomic
def project_assess(*, actor: Any, project: Project, ratings: dict[int, int], notes: str = "") -> Assessment:
    """A planner rates a proposal on every active criterion (0–100); the weighted average becomes its priority score.

    Assessing a project that was only proposed starts its evaluation (propuesto → en evaluación).
    """
    require_planner(actor, _("Solo el cuerpo técnico de planeación evalúa proyectos."))
    project = _lock(project)
    if project.status not in ASSESSABLE:
        raise DomainError(
            _("Solo se evalúan proyectos propuestos, en evaluación o en cartera; este está %(s)s.")
            % {"s": project.get_status_display().lower()}
        )
    checked = _ratings(list(ScoringCriterion.objects.filter(is_active=True)), ratings)
    score = weighted_score([(criterion.weight, value) for criterion, value in checked])
    assessment = Assessment(project=project, assessed_by=actor, score=score, notes=notes.strip())
    _stamp(assessment, actor, _("Evaluación"))
    assessment.save()
    bulk_create_with_history(
        [
            CriterionScore(assessment=assessment, criterion=criterion, value=value, weight=criterion.weight)
            for criterion, value in checked
        ],
        CriterionScore,
        default_user=actor,
        default_change_reason=_("Evaluación"),
    )
    previous = project.status
    project.priority_score = score
    if previous == S.PROPOSED:
        project.status = S.UNDER_ASSESSMENT
        event_record(
            actor=actor,
            subject=project,
            action="project_status",
            from_state=previous,
            to_state=S.UNDER_ASSESSMENT,
            note=_("Inicia la evaluación"),
        )
    _stamp(project, actor, _("Evaluación: %(score)s puntos") % {"score": score})
    project.save()
    event_record(
        actor=actor,
        subject=project,
        action="project_assessed",
        to_state=str(score),
        note=notes.strip(),
        data={"assessment": assessment.pk},
    )
    return assessment


# --- Lifecycle ------------------------------------------------------------------------------------------------


def _check_entry(project: Project, to: str) -> None:
    if to == S.IN_PORTFOLIO and project.priority_score is None:
        raise DomainError(_("Evalúe el proyecto con los criterios ponderados antes de pasarlo a la cartera."))
    if to == S.IN_PORTFOLIO and project.agency_id is None:
        raise DomainError(_("Asigne la dependencia responsable antes de pasar el proyecto a la cartera."))
    if to == S.IN_EXECUTION and not has_approved_commitment(project):
        raise DomainError(
            _(
                "Para entrar en ejecución el proyecto debe estar comprometido en un programa de "
                "gobierno o en un presupuesto aprobado."
            )
        )
    if to == S.COMPLETED and project.physical_progress < HUNDRED:
        raise DomainError(
            _("Un proyecto se concluye con 100 %% de avance físico; el último reporte dice %(p)s %%.")
            % {"p": project.physical_progress}
        )


@transaction.atomic
def project_transition(*, actor: Any, project: Project, to: str, reason: str = "") -> Project:
    """Move a project along its lifecycle; planners only."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación cambia el estado de un proyecto."))
    project = _lock(project)
    if to not in TRANSITIONS.get(project.status, set()):
        raise DomainError(
            _("Un proyecto «%(from)s» no puede pasar a «%(to)s».")
            % {"from": project.get_status_display(), "to": ProjectStatus(to).label}
        )
    if to in NEEDS_REASON and not reason.strip():
        raise DomainError(_("Indique el motivo para suspender o cancelar el proyecto."))
    _check_entry(project, to)
    previous = project.status
    project.status = to
    project.status_reason = reason.strip()
    _stamp(project, actor, reason.strip() or _("Cambio de estado"))
    project.save()
    event_record(
        actor=actor, subject=project, action="project_status", from_state=previous, to_state=to, note=reason.strip()
    )
    return project


# --- Execution: progress, evidence, milestones, allocations -------------------------------------------------


def progress_report(
    *,
    actor: Any,
    project: Project,
    reported_on: datetime.date,
    physical_progress: Decimal,
    amount_spent: Decimal,
    narrative: str,
    decrease_reason: str = "",
    files: list | None = None,
) -> ProgressUpdate:
    """Record a progress update with its evidence; progress never above 100 % nor backwards without a reason.

    Spending above the project's allocations is recorded and flagged, not refused: the money was spent.
    Evidence files are written to storage, which no transaction covers: if the report is not committed (refused,
    failed, or failing at commit), the files it wrote are deleted again.
    """
    with evidence_files.removed_on_failure(Evidence.file.field.storage) as stored:
        return _progress_report(
            actor=actor,
            project=project,
            reported_on=reported_on,
            physical_progress=physical_progress,
            amount_spent=amount_spent,
            narrative=narrative,
            decrease_reason=decrease_reason,
            files=files or [],
            stored=stored,
        )


@transaction.atomic
def _progress_report(
    *,
    actor: Any,
    project: Project,
    reported_on: datetime.date,
    physical_progress: Decimal,
    amount_spent: Decimal,
    narrative: str,
    decrease_reason: str,
    files: list,
    stored: list[str],
) -> ProgressUpdate:
    project = _lock(project)
    if not can_report_progress(actor, project):
        raise PermissionDenied(_("Solo el enlace de la dependencia responsable reporta avances de este proyecto."))
    if project.status != S.IN_EXECUTION:
        raise DomainError(_("Solo se reportan avances de proyectos en ejecución."))
    progress, spent = to_money(physical_progress), to_money(amount_spent)
    _check_progress(project, reported_on, progress, spent, narrative, decrease_reason)
    checked = evidence_files.check_files(files)  # all files checked before anything is written
    allocated = project.allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    previous = project.physical_progress
    update = ProgressUpdate(
        project=project,
        reported_on=reported_on,
        physical_progress=progress,
        amount_spent=spent,
        narrative=narrative.strip(),
        decrease_reason=decrease_reason.strip(),
        reported_by=actor,
        over_allocation=spent > allocated,
    )
    _stamp(update, actor, _("Reporte de avance"))
    update.save()
    for item in checked:
        _save_evidence(update, item, actor, stored)
    project.physical_progress = progress
    _stamp(project, actor, _("Reporte de avance"))
    project.save(update_fields=["physical_progress", "updated_at"])
    note = _("Ejercido %(spent)s sobre %(allocated)s asignados") % {
        "spent": format_mxn(spent),
        "allocated": format_mxn(allocated),
    }
    event_record(
        actor=actor,
        subject=project,
        action="progress_reported",
        from_state=str(previous),
        to_state=str(progress),
        note=note if update.over_allocation else "",
        data={"update": update.pk, "evidence": len(checked)},
    )
    return update


def _check_progress(
    project: Project,
    reported_on: datetime.date,
    progress: Decimal,
    spent: Decimal,
    narrative: str,
    decrease_reason: str,
) -> None:
    if not Decimal("0") <= progress <= HUNDRED:
        raise DomainError(_("El avance físico debe estar entre 0 y 100 %."))
    if spent < 0:
        raise DomainError(_("El monto ejercido no puede ser negativo."))
    if reported_on > timezone.localdate():
        raise DomainError(_("La fecha del reporte no puede ser posterior a hoy."))
    if not narrative.strip():
        raise DomainError(_("Describa el avance."))
    if progress < project.physical_progress and not decrease_reason.strip():
        raise DomainError(
            _("El avance (%(new)s %%) es menor que el último reportado (%(old)s %%): explique el motivo.")
            % {"new": progress, "old": project.physical_progress}
        )


def _save_evidence(update: ProgressUpdate, item: evidence_files.CheckedFile, actor: Any, stored: list[str]) -> Evidence:
    evidence = Evidence(
        progress_update=update,
        original_name=item.name[:200],
        content_type=item.kind,
        size=item.size,
        sha256=item.sha256,
    )
    # The stored name is random (see ``evidence_path``); only the extension of the checked name is kept.
    evidence.file.save(item.name, item.file, save=False)
    stored.append(evidence.file.name)  # from here on, a failure must delete the file
    _stamp(evidence, actor, _("Evidencia del reporte de avance"))
    evidence.save()
    return evidence


@transaction.atomic
def milestone_save(
    *,
    actor: Any,
    project: Project,
    title: str,
    planned_date: datetime.date,
    actual_date: datetime.date | None = None,
    milestone: Milestone | None = None,
    seen: dict[str, str] | None = None,
) -> Milestone:
    """Add or update a milestone (planned and actual dates): planners, or the agency's liaison.

    ``seen``: the milestone as the editor's form showed it (``EditConflict`` when someone saved it in between).
    """
    project = _lock(project)
    if not can_report_progress(actor, project):
        raise PermissionDenied(_("Solo el enlace de la dependencia responsable o el cuerpo técnico registran hitos."))
    if project.status == S.CANCELLED:
        raise DomainError(_("Un proyecto cancelado ya no registra hitos."))
    if milestone is not None and milestone.project_id != project.pk:
        raise DomainError(_("El hito no pertenece a este proyecto."))
    if milestone is not None:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
        check_unchanged(milestone, MILESTONE_FIELDS, seen)
    if not title.strip():
        raise DomainError(_("Escriba el nombre del hito."))
    if actual_date is not None and actual_date > timezone.localdate():
        raise DomainError(_("La fecha real de un hito no puede ser posterior a hoy."))
    if milestone is None:
        last = project.milestones.order_by("-order").values_list("order", flat=True).first() or 0
        milestone = Milestone(project=project, order=last + 1)
    milestone.title, milestone.planned_date, milestone.actual_date = title.strip(), planned_date, actual_date
    _stamp(milestone, actor, _("Hito"))
    milestone.save()
    event_record(
        actor=actor, subject=project, action="milestone_saved", note=milestone.title, data={"milestone": milestone.pk}
    )
    return milestone


def line_capacity(line: BudgetLine) -> Decimal:
    """What a budget line can fund: its modified amount once modified, otherwise its approved amount."""
    return line.modified_amount if line.modified_amount > 0 else line.approved_amount


@transaction.atomic
def allocation_add(*, actor: Any, project: Project, budget_line: BudgetLine, amount: Decimal) -> Allocation:
    """Assign money of a budget line to the project for that budget's fiscal year; planners only.

    The allocations on one line cannot add up to more than the line has.
    """
    require_planner(actor, _("Solo el cuerpo técnico de planeación asigna recursos a los proyectos."))
    project = _lock(project)
    if project.status not in ALLOCATABLE:
        raise DomainError(_("Se asignan recursos a proyectos en cartera, en ejecución o suspendidos."))
    line = BudgetLine.objects.select_for_update().select_related("budget__fiscal_year").get(pk=budget_line.pk)
    if line.budget.state in RETIRED_STATES:
        raise DomainError(_("El presupuesto de esa línea ya fue sustituido o archivado."))
    amount = to_money(amount)
    if amount <= 0:
        raise DomainError(_("El monto asignado debe ser mayor que cero."))
    if project.allocations.filter(budget_line=line).exists():
        raise DomainError(_("El proyecto ya tiene una asignación en esa línea presupuestal."))
    used = line.allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if used + amount > line_capacity(line):
        raise DomainError(
            _("La línea %(line)s tiene %(capacity)s y ya asignó %(used)s; no alcanza para %(amount)s.")
            % {
                "line": line,
                "capacity": format_mxn(line_capacity(line)),
                "used": format_mxn(used),
                "amount": format_mxn(amount),
            }
        )
    allocation = Allocation(project=project, fiscal_year=line.budget.fiscal_year, budget_line=line, amount=amount)
    _stamp(allocation, actor, _("Asignación anual"))
    allocation.save()
    event_record(
        actor=actor,
        subject=project,
        action="allocation_added",
        to_state=str(amount),
        note=str(line.budget),
        data={"allocation": allocation.pk, "budget": line.budget_id},
    )
    return allocation


# --- Commitments in a government plan -------------------------------------------------------------------------
# The projects a government plan commits to are part of what the Ayuntamiento votes on: they are shown with the plan
# and an approved commitment lets a project enter execution. So they change only while the plan is a draft; a new
# version of the plan (a draft) carries them over and may change them.


def _plan_in_draft(plan: GovernmentPlan) -> GovernmentPlan:
    plan = GovernmentPlan.objects.select_for_update().get(pk=plan.pk)
    require_draft(plan)
    return plan


@transaction.atomic
def project_commit_to_plan(*, actor: Any, project: Project, plan: GovernmentPlan) -> bool:
    """Commit ``project`` in the draft government ``plan``; planners only. Returns whether anything changed."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación compromete proyectos en un programa de gobierno."))
    plan, project = _plan_in_draft(plan), _lock(project)
    if project.government_plans.filter(pk=plan.pk).exists():
        return False
    _stamp(project, actor, _("Comprometido en %(plan)s") % {"plan": plan})
    project.government_plans.add(plan)
    event_record(
        actor=actor, subject=project, action="project_committed", note=str(plan), data={"government_plan": plan.pk}
    )
    return True


@transaction.atomic
def project_remove_from_plan(*, actor: Any, project: Project, plan: GovernmentPlan) -> bool:
    """Take ``project`` out of the draft government ``plan``; planners only. Returns whether anything changed."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación compromete proyectos en un programa de gobierno."))
    plan, project = _plan_in_draft(plan), _lock(project)
    if not project.government_plans.filter(pk=plan.pk).exists():
        return False
    _stamp(project, actor, _("Retirado de %(plan)s") % {"plan": plan})
    project.government_plans.remove(plan)
    event_record(
        actor=actor, subject=project, action="project_uncommitted", note=str(plan), data={"government_plan": plan.pk}
    )
    return True


# --- Liaisons (enlaces de dependencia) -------------------------------------------------------------------------


def _agency_for_administrator(actor: Any, agency: Agency) -> Agency:
    """The agency, locked so that grants on it are serialised; administrators only."""
    if not is_administrator(actor):
        raise PermissionDenied(_("Solo la administración asigna y retira los enlaces de las dependencias."))
    return Agency.objects.select_for_update().get(pk=agency.pk)


def _liaison_event(*, actor: Any, agency: Agency, user: Any, action: str) -> None:
    event_record(
        actor=actor,
        subject=agency,
        action=action,
        note=account_name(user),
        data={"user": user.pk, "username": user.get_username(), "agency": agency.name},
    )


@transaction.atomic
def agency_liaison_grant(*, actor: Any, user: Any, agency: Agency) -> AgencyLiaison:
    """Let ``user`` report progress and spending of every project of ``agency``, present and future.

    Administrators only; the account must be active with the «Enlace de dependencia» role and the agency active.
    Granting again returns the grant as it is and records nothing.
    """
    agency = _agency_for_administrator(actor, agency)
    existing = AgencyLiaison.objects.filter(user=user, agency=agency).first()
    if existing is not None:
        return existing
    if not user.is_active or not has_role(user, roles.AGENCY_LIAISON):
        raise DomainError(
            _(
                "La cuenta %(user)s no tiene el rol «Enlace de dependencia»; asígneselo primero en la "
                "administración de cuentas."
            )
            % {"user": account_name(user)}
        )
    if not agency.is_active:
        raise DomainError(
            _("La dependencia %(agency)s ya no está activa; no recibe enlaces nuevos.") % {"agency": agency}
        )
    grant = AgencyLiaison(user=user, agency=agency)
    _stamp(grant, actor, _("Enlace asignado"))
    grant.save()
    _liaison_event(actor=actor, agency=agency, user=user, action="agency_liaison_granted")
    return grant


@transaction.atomic
def agency_liaison_revoke(*, actor: Any, user: Any, agency: Agency) -> bool:
    """Stop ``user`` reporting for ``agency``; their past reports stay theirs. Administrators only; returns whether
    there was a grant to remove (removing again changes nothing and records nothing)."""
    agency = _agency_for_administrator(actor, agency)
    grant = AgencyLiaison.objects.select_for_update().filter(user=user, agency=agency).first()
    if grant is None:
        return False
    _stamp(grant, actor, _("Enlace retirado"))
    grant.delete()
    _liaison_event(actor=actor, agency=agency, user=user, action="agency_liaison_revoked")
    return True
