"""Writes of the plan's content: the strategic plan, its vision, vertientes, strategies, objectives and goals;
programmes; the diagnosis and its sections; the three-year government plan.

Every service takes the acting user, runs in a transaction, locks the instrument it changes (so two saves on the
same plan are serialised), refuses to touch anything but a draft (``DomainError``), checks the optimistic
concurrency snapshot (``implan.concurrency``), validates the model (a refusal saves nothing) and records history
with the actor and a reason. Deleting a part records an event on its instrument, since the part itself is gone.
The lifecycle (submit, withdraw, publish, new version) lives in ``planning.services.lifecycle``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, ProtectedError
from django.utils.translation import gettext as _

from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.limits import require_text_limits
from implan.models import Approvable
from implan.permissions import require_planner
from implan.slugs import unique_slug
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)
from planning.permissions import require_strategy_content
from planning.services.editing import require_draft

M = TypeVar("M", bound=models.Model)
A = TypeVar("A", bound=Approvable)
Values = Mapping[str, Any]
Seen = dict[str, str] | None


# --- Shared steps ------------------------------------------------------------------------------------------


def _lock(obj: M) -> M:
    locked = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise DomainError(_("Alguien más eliminó este registro mientras usted lo editaba."))
    return locked


def _draft(instrument: A) -> A:
    locked = _lock(instrument)
    require_draft(locked)
    return locked


def _validate(obj: models.Model) -> None:
    require_text_limits(obj)  # names the field, where full_clean's message would not
    try:
        obj.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


def _save(obj: M, values: Values, *, actor: Any, reason: str) -> M:
    """Assign ``values`` (model field names), validate, save with history, then set many-to-many fields."""
    many: dict[str, Any] = {}
    for name, value in values.items():
        if obj._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(obj, name, value)
    _validate(obj)
    obj._change_reason = reason  # type: ignore[attr-defined]  # read by django-simple-history
    obj._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:  # a concurrent save won the unique number or slug
        raise DomainError(_("Otro registro ya usa ese número o identificador; elija otro.")) from error
    for name, items in many.items():
        getattr(obj, name).set(items)
    return obj


def _update(obj: M, values: Values, *, actor: Any, seen: Seen, reason: str) -> M:
    check_unchanged(obj, values.keys(), seen)
    return _save(obj, values, actor=actor, reason=reason)


def _delete(obj: models.Model, *, actor: Any, instrument: Approvable | None, what: str) -> None:
    obj._change_reason = _("Eliminado")  # type: ignore[attr-defined]  # read by django-simple-history
    obj._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as error:
        raise DomainError(
            _("No se puede eliminar %(what)s: otros registros dependen de él (%(deps)s).")
            % {"what": what, "deps": ", ".join(sorted({str(o._meta.verbose_name) for o in error.protected_objects}))}
        ) from error
    if instrument is not None:
        event_record(
            actor=actor, subject=instrument, action="part_deleted", note=_("Se eliminó %(what)s") % {"what": what}
        )


def _next(queryset: models.QuerySet, field: str) -> int:
    return (queryset.aggregate(last=Max(field))["last"] or 0) + 1


# --- The strategic plan and its parts -----------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, values: Values) -> StrategicPlan:
    """A new strategic plan, as a draft version 1."""
    require_planner(actor)
    slug = unique_slug(StrategicPlan.objects.all(), values.get("title", ""), fallback="registro")
    plan = StrategicPlan(slug=slug, version=1)
    return _save(plan, values, actor=actor, reason=_("Plan creado"))


@transaction.atomic
def plan_update(*, actor: Any, plan: StrategicPlan, values: Values, seen: Seen) -> StrategicPlan:
    require_planner(actor)
    return _update(_draft(plan), values, actor=actor, seen=seen, reason=_("Plan modificado"))


@transaction.atomic
def vision_save(*, actor: Any, plan: StrategicPlan, values: Values, seen: Seen) -> Vision:
    """Write the plan's vision (created on first save)."""
    require_planner(actor)
    plan = _draft(plan)
    vision = Vision.objects.select_for_update().filter(plan=plan).first()
    if vision is None:
        return _save(Vision(plan=plan), values, actor=actor, reason=_("Visión redactada"))
    return _update(vision, values, actor=actor, seen=seen, reason=_("Visión modificada"))


@transaction.atomic
def vertiente_create(*, actor: Any, plan: StrategicPlan, values: Values) -> Vertiente:
    require_planner(actor)
    plan = _draft(plan)
    vertiente = Vertiente(plan=plan, order=_next(plan.vertientes.all(), "order"))
    return _save(vertiente, values, actor=actor, reason=_("Vertiente agregada"))


@transaction.atomic
def vertiente_update(*, actor: Any, vertiente: Vertiente, values: Values, seen: Seen) -> Vertiente:
    require_planner(actor)
    _draft(vertiente.plan)
    return _update(_lock(vertiente), values, actor=actor, seen=seen, reason=_("Vertiente modificada"))


@transaction.atomic
def vertiente_delete(*, actor: Any, vertiente: Vertiente) -> None:
    require_planner(actor)
    plan = _draft(vertiente.plan)
    if vertiente.strategies.exists():
        raise DomainError(_("La vertiente tiene estrategias; muévalas a otra vertiente o elimínelas primero."))
    _delete(_lock(vertiente), actor=actor, instrument=plan, what=_("la vertiente «%(n)s»") % {"n": vertiente})


@transaction.atomic
def strategy_create(*, actor: Any, plan: StrategicPlan, values: Values) -> Strategy:
    require_planner(actor)
    plan = _draft(plan)
    strategy = Strategy(
        plan=plan,
        number=_next(plan.strategies.all(), "number"),
        slug=unique_slug(plan.strategies.all(), values.get("name", ""), fallback="registro"),
    )
    _require_same_plan(plan, values.get("vertiente"))
    return _save(strategy, values, actor=actor, reason=_("Estrategia agregada"))


def _require_same_plan(plan: StrategicPlan, vertiente: Vertiente | None) -> None:
    if vertiente is not None and vertiente.plan_id != plan.pk:
        raise DomainError(_("La vertiente elegida pertenece a otro plan."))


@transaction.atomic
def strategy_update(*, actor: Any, strategy: Strategy, values: Values, seen: Seen) -> Strategy:
    """The strategy's own text and placement: planners only (its commission edits objectives and programmes)."""
    require_planner(actor)
    plan = _draft(strategy.plan)
    _require_same_plan(plan, values.get("vertiente"))
    return _update(_lock(strategy), values, actor=actor, seen=seen, reason=_("Estrategia modificada"))


@transaction.atomic
def strategy_delete(*, actor: Any, strategy: Strategy) -> None:
    require_planner(actor)
    plan = _draft(strategy.plan)
    if strategy.objectives.exists():
        raise DomainError(_("La estrategia tiene objetivos; elimínelos primero."))
    _delete(_lock(strategy), actor=actor, instrument=plan, what=_("la estrategia «%(n)s»") % {"n": strategy})


@transaction.atomic
def objective_create(*, actor: Any, strategy: Strategy, values: Values) -> Objective:
    require_strategy_content(actor, strategy)
    _draft(strategy.plan)
    objective = Objective(strategy=strategy, number=_next(strategy.objectives.all(), "number"))
    return _save(objective, values, actor=actor, reason=_("Objetivo agregado"))


@transaction.atomic
def objective_update(*, actor: Any, objective: Objective, values: Values, seen: Seen) -> Objective:
    require_strategy_content(actor, objective.strategy)
    _draft(objective.strategy.plan)
    return _update(_lock(objective), values, actor=actor, seen=seen, reason=_("Objetivo modificado"))


@transaction.atomic
def objective_delete(*, actor: Any, objective: Objective) -> None:
    require_strategy_content(actor, objective.strategy)
    plan = _draft(objective.strategy.plan)
    if objective.goals.exists():
        raise DomainError(_("El objetivo tiene metas; elimínelas primero."))
    _delete(_lock(objective), actor=actor, instrument=plan, what=_("el objetivo «%(n)s»") % {"n": objective})


@transaction.atomic
def goal_create(*, actor: Any, objective: Objective, values: Values) -> Goal:
    require_planner(actor)
    _draft(objective.strategy.plan)
    return _save(Goal(objective=objective), values, actor=actor, reason=_("Meta agregada"))


@transaction.atomic
def goal_update(*, actor: Any, goal: Goal, values: Values, seen: Seen) -> Goal:
    require_planner(actor)
    _draft(goal.objective.strategy.plan)
    return _update(_lock(goal), values, actor=actor, seen=seen, reason=_("Meta modificada"))


@transaction.atomic
def goal_delete(*, actor: Any, goal: Goal) -> None:
    require_planner(actor)
    plan = _draft(goal.objective.strategy.plan)
    _delete(_lock(goal), actor=actor, instrument=plan, what=_("la meta «%(n)s»") % {"n": goal})


# --- Programmes ----------------------------------------------------------------------------------------------


def _require_objective_of(strategy: Strategy | None, objective: Objective | None) -> None:
    if objective is not None and (strategy is None or objective.strategy_id != strategy.pk):
        raise DomainError(_("El objetivo elegido no pertenece a la estrategia del programa."))


@transaction.atomic
def programme_create(*, actor: Any, values: Values) -> Programme:
    """A new programme (draft, version 1); a commission member may create one only for their own strategy."""
    require_strategy_content(actor, values.get("strategy"))
    _require_objective_of(values.get("strategy"), values.get("objective"))
    if Programme.objects.filter(code=values.get("code", "")).exists():
        raise DomainError(_("Ya existe un programa con la clave %(code)s.") % {"code": values.get("code")})
    slug = unique_slug(Programme.objects.all(), values.get("name", ""), fallback="registro")
    programme = Programme(version=1, slug=slug)
    return _save(programme, values, actor=actor, reason=_("Programa creado"))


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, values: Values, seen: Seen) -> Programme:
    require_strategy_content(actor, programme.strategy)
    if "strategy" in values:  # moving it: the commission must also own the strategy it moves to
        require_strategy_content(actor, values["strategy"])
    programme = _draft(programme)
    _require_objective_of(values.get("strategy", programme.strategy), values.get("objective", programme.objective))
    return _update(programme, values, actor=actor, seen=seen, reason=_("Programa modificado"))


@transaction.atomic
def programme_delete(*, actor: Any, programme: Programme) -> None:
    """Discard a draft programme; one already committed in a government plan stays."""
    require_strategy_content(actor, programme.strategy)
    programme = _draft(programme)
    if programme.government_plans.exists():
        raise DomainError(_("El programa está comprometido en un programa de gobierno; quítelo de ahí primero."))
    _delete(programme, actor=actor, instrument=None, what=_("el programa «%(n)s»") % {"n": programme})


# --- The diagnosis -----------------------------------------------------------------------------------------


@transaction.atomic
def diagnosis_create(*, actor: Any, plan: StrategicPlan, values: Values) -> Diagnosis:
    require_planner(actor)
    return _save(Diagnosis(plan=plan, version=1), values, actor=actor, reason=_("Diagnóstico creado"))


@transaction.atomic
def diagnosis_update(*, actor: Any, diagnosis: Diagnosis, values: Values, seen: Seen) -> Diagnosis:
    require_planner(actor)
    return _update(_draft(diagnosis), values, actor=actor, seen=seen, reason=_("Diagnóstico modificado"))


@transaction.atomic
def section_create(*, actor: Any, diagnosis: Diagnosis, values: Values) -> DiagnosisSection:
    require_planner(actor)
    diagnosis = _draft(diagnosis)
    section = DiagnosisSection(diagnosis=diagnosis, order=_next(diagnosis.sections.all(), "order"))
    return _save(section, values, actor=actor, reason=_("Sección agregada"))


@transaction.atomic
def section_update(*, actor: Any, section: DiagnosisSection, values: Values, seen: Seen) -> DiagnosisSection:
    require_planner(actor)
    _draft(section.diagnosis)
    return _update(_lock(section), values, actor=actor, seen=seen, reason=_("Sección modificada"))


@transaction.atomic
def section_delete(*, actor: Any, section: DiagnosisSection) -> None:
    require_planner(actor)
    diagnosis = _draft(section.diagnosis)
    _delete(_lock(section), actor=actor, instrument=diagnosis, what=_("la sección «%(n)s»") % {"n": section})


# --- The government plan -----------------------------------------------------------------------------------


@transaction.atomic
def government_plan_create(*, actor: Any, values: Values) -> GovernmentPlan:
    require_planner(actor)
    term = values.get("administration_term")
    if GovernmentPlan.objects.filter(administration_term=term).exists():
        raise DomainError(
            _("La administración %(t)s ya tiene programa de gobierno; edite su versión vigente o inicie una nueva.")
            % {"t": term}
        )
    return _save(GovernmentPlan(version=1), values, actor=actor, reason=_("Programa de gobierno creado"))


@transaction.atomic
def government_plan_update(*, actor: Any, plan: GovernmentPlan, values: Values, seen: Seen) -> GovernmentPlan:
    """Title, summary and the programmes it commits to."""
    require_planner(actor)
    return _update(_draft(plan), values, actor=actor, seen=seen, reason=_("Programa de gobierno modificado"))
