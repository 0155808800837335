"""A project's timeline: proposal, assessments, approvals (with the resolution), allocations, progress, status.

Built from the record the portal keeps: the project's event rows, the approval events of the government plans and
budgets that commit it (each names its resolution), its history (creation of allocations), its assessments,
progress updates and met milestones. A fixed number of queries, whatever the length of the story.

Some facts are known only by their date (a resolution's session day, a progress report's date, a milestone met);
the rest carry the moment they happened. ``_placed`` puts a dated fact at a moment of its day such that a cause
comes before its effect whatever the hour, and equal moments fall back on the causal order of ``CAUSAL_RANK``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from councils.models import Resolution
from implan.models import Event
from implan.money import format_mxn
from planning.models import Budget, GovernmentPlan
from projects.models import Allocation, Assessment, Milestone, ProgressUpdate, Project, ProjectStatus
from projects.selectors import public_allocations

# For facts placed at the same moment: what the portal requires to exist before what (a project is proposed before
# it is assessed or moved; a budget is approved before money is allocated from it; money is allocated and the
# project put in execution before progress is reported and milestones are met).
CAUSAL_RANK = {
    "proposal": 0,
    "assessment": 1,
    "status": 2,
    "approval": 3,
    "allocation": 4,
    "progress": 5,
    "milestone": 6,
}


@dataclass(frozen=True)
class Entry:
    # For a date_only entry only the (local) date is a fact; the time is where the story places it in that day.
    when: datetime.datetime
    kind: str  # proposal, assessment, approval, allocation, progress, status, milestone
    title: str
    detail: str = ""
    actor: Any = None
    resolution: Resolution | None = None
    date_only: bool = False


def _placed(day: datetime.date, recorded_at: datetime.datetime | None) -> datetime.datetime:
    """The moment of ``day`` at which a fact known only by that date takes its place among timestamped ones.

    Recorded on its own day, the fact happened no later than its recording, and whatever the portal let follow from
    it (an allocation from the approved budget, the next report) was recorded afterwards: the recording moment is
    its place. Recorded on a later day (a resolution entered after the session, a report filed the next morning),
    nothing on its own day can have followed from it, so it closes the day; so does a fact with no recording moment
    (loaded without history). Recorded before its day, it opens it.
    """
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    if recorded_at is None:
        return end
    return timezone.localtime(min(max(recorded_at, start), end))


def _recorded(history: Any, **match: Any) -> Subquery:
    """When the portal first held the row with its current value of ``match`` (from its history), as a subquery."""
    return Subquery(history.filter(id=OuterRef("pk"), **match).order_by("history_date").values("history_date")[:1])


def _label(status: str) -> str:
    return str(ProjectStatus(status).label) if status in ProjectStatus.values else status


def _project_events(project: Project) -> list[Event]:
    return list(
        Event.objects.filter(content_type=ContentType.objects.get_for_model(Project), object_id=project.pk)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def _proposal(project: Project, events: list[Event]) -> Entry:
    proposed = next((e for e in events if e.action == "project_proposed"), None)
    who = ", ".join(str(x) for x in (project.proposed_by, project.origin_body) if x is not None)
    return Entry(
        when=proposed.created_at if proposed else project.created_at,
        kind="proposal",
        title=_("Propuesta"),
        detail=who,
        actor=proposed.actor if proposed else None,
    )


def _status_entries(events: list[Event]) -> list[Entry]:
    return [
        Entry(
            when=e.created_at,
            kind="status",
            actor=e.actor,
            detail=e.note,
            title=_("De «%(from)s» a «%(to)s»") % {"from": _label(e.from_state), "to": _label(e.to_state)},
        )
        for e in events
        if e.action == "project_status"
    ]


def _assessments(project: Project, *, public: bool) -> list[Entry]:
    # The score is public; the planners' notes on it are their working remarks and stay in the workspace.
    return [
        Entry(
            when=a.assessed_at,
            kind="assessment",
            actor=a.assessed_by,
            detail="" if public else a.notes,
            title=_("Evaluación: %(score)s de 100 puntos") % {"score": a.score},
        )
        for a in Assessment.objects.filter(project=project).select_related("assessed_by")
    ]


def _approvals(project: Project, allocations: list[Allocation]) -> list[Entry]:
    """Approval of each government plan and budget that commits the project, with the resolution that approved it."""
    plans = {p.pk: p for p in GovernmentPlan.objects.filter(projects=project)}
    budgets = {a.budget_line.budget_id: a.budget_line.budget for a in allocations if a.budget_line_id}
    subjects = {(ContentType.objects.get_for_model(GovernmentPlan).pk, pk): plan for pk, plan in plans.items()}
    subjects |= {(ContentType.objects.get_for_model(Budget).pk, pk): budget for pk, budget in budgets.items()}
    if not subjects:
        return []
    approvals = list(
        Event.objects.filter(
            action="instrument_aprobado",
            content_type_id__in={ct for ct, _pk in subjects},
            object_id__in={pk for _ct, pk in subjects},
        ).order_by("created_at")
    )
    resolutions = Resolution.objects.select_related("body", "session").in_bulk(
        [e.data["resolution"] for e in approvals if e.data.get("resolution")]
    )
    entries = []
    for event in approvals:
        subject = subjects.get((event.content_type_id, event.object_id))
        if subject is None:
            continue
        resolution = resolutions.get(event.data.get("resolution"))
        # The approval happened on the day the resolution was adopted in session, whenever the row was written.
        when = _placed(resolution.adopted_on, event.created_at) if resolution else event.created_at
        entries.append(
            Entry(
                when=when,
                kind="approval",
                resolution=resolution,
                date_only=resolution is not None,
                title=_("Aprobación de «%(subject)s»") % {"subject": subject},
                detail=str(resolution) if resolution else event.note,
            )
        )
    return entries


def _allocations(allocations: list[Allocation]) -> list[Entry]:
    created = dict(
        Allocation.history.filter(id__in=[a.pk for a in allocations], history_type="+").values_list(
            "id", "history_date"
        )
    )
    # An allocation loaded without history is known only by its fiscal year: it goes on the year's first day.
    return [
        Entry(
            when=created.get(a.pk) or _placed(datetime.date(a.fiscal_year.year, 1, 1), None),
            kind="allocation",
            date_only=a.pk not in created,
            title=_("Asignación %(year)s: %(amount)s") % {"year": a.fiscal_year.year, "amount": format_mxn(a.amount)},
            detail=str(a.budget_line.budget) if a.budget_line_id else "",
        )
        for a in allocations
    ]


def _progress(project: Project) -> list[Entry]:
    entries = []
    updates = (
        project.progress_updates.select_related("reported_by")
        .order_by("reported_on", "id")
        .annotate(recorded_at=_recorded(ProgressUpdate.history, reported_on=OuterRef("reported_on")))
    )
    for update in updates:
        detail = _("Ejercido acumulado: %(spent)s.") % {"spent": format_mxn(update.amount_spent)}
        if update.over_allocation:
            detail += " " + _("Gasto por encima de lo asignado.")
        entries.append(
            Entry(
                when=_placed(update.reported_on, update.recorded_at),
                kind="progress",
                actor=update.reported_by,
                title=_("Avance físico: %(p)s %%") % {"p": update.physical_progress},
                detail=detail,
                date_only=True,
            )
        )
    return entries


def _milestones(project: Project) -> list[Entry]:
    met = project.milestones.exclude(actual_date__isnull=True).annotate(
        recorded_at=_recorded(Milestone.history, actual_date=OuterRef("actual_date"))
    )
    return [
        Entry(
            when=_placed(m.actual_date, m.recorded_at),
            kind="milestone",
            date_only=True,
            title=_("Hito cumplido: %(t)s") % {"t": m.title},
        )
        for m in met
    ]


def project_timeline(project: Project, *, public: bool) -> list[Entry]:
    """The project's story in order, oldest first; ``public``: without drafts' figures and planners' notes."""
    events = _project_events(project)
    allocations = project.allocations.select_related("fiscal_year", "budget_line__budget")
    if public:
        allocations = allocations.filter(public_allocations())
    allocations = list(allocations)
    entries = [
        _proposal(project, events),
        *_status_entries(events),
        *_assessments(project, public=public),
        *_approvals(project, allocations),
        *_allocations(allocations),
        *_progress(project),
        *_milestones(project),
    ]
    return sorted(entries, key=lambda entry: (entry.when, CAUSAL_RANK[entry.kind]))
