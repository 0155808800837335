"""Writes of the portfolio: status transitions and progress reports.

Each transition is declared in ``TRANSITIONS``; a move not listed there is refused. Entering execution needs an
approved commitment: a government plan or a budget, approved or published, that includes the project.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.events import event_record
from implan.money import format_mxn, to_money
from implan.permissions import is_planner
from projects.models import ProgressUpdate, Project, ProjectStatus

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
APPROVED_STATES = ("aprobado", "publicado")


def can_report_progress(user: Any, project: Project) -> bool:
    """Liaisons report only on their agency's projects (object permission), planners on any."""
    return user.is_active and (user.has_perm("projects.report_progress", project) or is_planner(user))


def has_approved_commitment(project: Project) -> bool:
    in_plan = project.government_plans.filter(state__in=APPROVED_STATES).exists()
    funded = project.allocations.filter(budget_line__budget__state__in=APPROVED_STATES).exists()
    return in_plan or funded


@transaction.atomic
def project_transition(*, actor: Any, project: Project, to: str, reason: str = "") -> Project:
    """Move a project along its lifecycle; planners only."""
    if not is_planner(actor):
        raise PermissionDenied(_("Solo el cuerpo técnico de planeación cambia el estado de un proyecto."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to not in TRANSITIONS.get(project.status, set()):
        raise DomainError(_("Un proyecto «%(from)s» no puede pasar a «%(to)s».")
                          % {"from": project.get_status_display(), "to": ProjectStatus(to).label})
    if to in NEEDS_REASON and not reason.strip():
        raise DomainError(_("Indique el motivo para suspender o cancelar el proyecto."))
    if to == S.IN_EXECUTION and not has_approved_commitment(project):
        raise DomainError(_("Para entrar en ejecución el proyecto debe estar comprometido en un programa de "
                            "gobierno o en un presupuesto aprobado."))
    previous = project.status
    project.status = to
    project.status_reason = reason.strip()
    project._change_reason = reason or _("Cambio de estado")
    project.save()
    event_record(actor=actor, subject=project, action="project_status", from_state=previous, to_state=to,
                 note=reason)
    return project


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    project: Project,
    reported_on: datetime.date,
    physical_progress: Decimal,
    amount_spent: Decimal,
    narrative: str,
    decrease_reason: str = "",
) -> ProgressUpdate:
    """Record a progress update; progress never above 100 % nor backwards without a stated reason."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not can_report_progress(actor, project):
        raise PermissionDenied(_("Solo el enlace de la dependencia responsable reporta avances de este proyecto."))
    if project.status != S.IN_EXECUTION:
        raise DomainError(_("Solo se reportan avances de proyectos en ejecución."))
    progress, spent = to_money(physical_progress), to_money(amount_spent)
    if not Decimal("0") <= progress <= Decimal("100"):
        raise DomainError(_("El avance físico debe estar entre 0 y 100 %."))
    if spent < 0:
        raise DomainError(_("El monto ejercido no puede ser negativo."))
    if not narrative.strip():
        raise DomainError(_("Describa el avance."))
    if progress < project.physical_progress and not decrease_reason.strip():
        raise DomainError(_("El avance (%(new)s %%) es menor que el último reportado (%(old)s %%): explique el motivo.")
                          % {"new": progress, "old": project.physical_progress})
    allocated = project.allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    update = ProgressUpdate(project=project, reported_on=reported_on, physical_progress=progress,
                            amount_spent=spent, narrative=narrative.strip(), decrease_reason=decrease_reason.strip(),
                            reported_by=actor, over_allocation=spent > allocated)
    update._change_reason = _("Reporte de avance")
    update.save()
    project.physical_progress = progress
    project._change_reason = _("Reporte de avance")
    project.save(update_fields=["physical_progress"])
    note = _("Ejercido %(spent)s sobre %(allocated)s asignados") % {"spent": format_mxn(spent),
                                                                     "allocated": format_mxn(allocated)}
    event_record(actor=actor, subject=project, action="progress_reported", to_state=str(progress),
                 note=note if update.over_allocation else "", data={"update": update.pk})
    return update
