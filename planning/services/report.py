"""Writes of the annual report: the report of a fiscal year and its narrative sections (its figures are read
live, see ``planning.selectors.report``). Only a draft is written; the lifecycle lives in
``planning.services.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.models import FiscalYear
from implan.permissions import require_planner
from planning.models import AnnualReport, ReportSection, Strategy
from planning.services.editing import require_draft, stamp

# What a person edits on each record: the fields compared to detect a concurrent save (implan.concurrency).
REPORT_FIELDS = ("title",)
SECTION_FIELDS = ("order", "title", "strategy", "body")


@transaction.atomic
def annual_report_create(*, actor: Any, fiscal_year: FiscalYear, title: str) -> AnnualReport:
    """Open the draft annual report of a fiscal year (its figures are read live; planners add the narrative)."""
    require_planner(actor)
    fiscal_year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if AnnualReport.objects.filter(fiscal_year=fiscal_year).exists():
        raise DomainError(
            _(
                "Ya existe el informe anual del ejercicio %(year)s; para cambiarlo, cree una nueva "
                "versión desde su página."
            )
            % {"year": fiscal_year.year}
        )
    report = AnnualReport(fiscal_year=fiscal_year, title=title.strip())
    stamp(report, actor, _("Informe creado"))
    report.save()
    event_record(actor=actor, subject=report, action="report_created", to_state=report.state, note=_("Informe creado"))
    return report


@transaction.atomic
def annual_report_update(
    *, actor: Any, report: AnnualReport, title: str, seen: dict[str, str] | None = None
) -> AnnualReport:
    require_planner(actor)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    require_draft(report)
    check_unchanged(report, REPORT_FIELDS, seen)
    report.title = title.strip()
    stamp(report, actor, _("Título del informe"))
    report.save()
    return report


@dataclass(frozen=True)
class SectionData:
    order: int
    title: str
    body: str = ""
    strategy: Strategy | None = None


@transaction.atomic
def report_section_save(
    *,
    actor: Any,
    report: AnnualReport,
    data: SectionData,
    section: ReportSection | None = None,
    seen: dict[str, str] | None = None,
) -> ReportSection:
    """Add or change a narrative section; a section about a strategy is printed in that strategy's chapter."""
    require_planner(actor)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    require_draft(report)
    if section is not None and section.report_id != report.pk:
        raise DomainError(_("La sección no pertenece a este informe."))
    if section is not None:
        section = ReportSection.objects.select_for_update().get(pk=section.pk)
        check_unchanged(section, SECTION_FIELDS, seen)
    # exclude(pk=None) excludes nothing, as meant for a new section; the stubs refuse None for pk.
    others = report.sections.exclude(pk=section.pk if section else None)  # type: ignore[misc]
    if others.filter(order=data.order).exists():
        raise DomainError(_("Ya hay una sección con el orden %(order)s; elija otro número.") % {"order": data.order})
    section = section or ReportSection(report=report)
    section.order, section.title, section.body, section.strategy = (
        data.order,
        data.title.strip(),
        data.body,
        data.strategy,
    )
    stamp(section, actor, _("Sección del informe"))
    section.save()
    return section


@transaction.atomic
def report_section_delete(*, actor: Any, section: ReportSection) -> None:
    require_planner(actor)
    report = AnnualReport.objects.select_for_update().get(pk=section.report_id)
    require_draft(report)
    stamp(section, actor, _("Sección eliminada"))
    section.delete()
