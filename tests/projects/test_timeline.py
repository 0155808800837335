"""The project timeline: proposal, assessment, the approval with its resolution, allocation, progress, status."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import BodyKind, VoteOption
from councils.services import votes as vote_services
from planning.services import lifecycle
from projects import services
from projects.models import Project, ProjectStatus
from projects.timeline import project_timeline
from tests.councils.builders import council, session_in_progress
from tests.factories import AgencyFactory, BudgetLineFactory
from tests.projects.builders import community_member, criteria, liaison_of, proposal_data

pytestmark = pytest.mark.django_db


def _approve(subject, planner):
    ayuntamiento = council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    lifecycle.instrument_submit(instrument=subject, actor=planner)
    session = session_in_progress(ayuntamiento, present=3, subject=subject)
    motion = vote_services.motion_open(actor=ayuntamiento.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(3):
        vote_services.vote_cast(actor=ayuntamiento.user(i), motion=motion, option=VoteOption.YES)
    return vote_services.motion_close(actor=ayuntamiento.secretary, motion=motion)


def _in_leon(instant: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(instant).replace(tzinfo=ZoneInfo("America/Mexico_City"))


def _story(planner, *, report: bool = True):
    """A proposal walked all the way into execution through the services, funded by a budget approved in session."""
    member = community_member()
    project = services.project_propose(
        actor=member.user, body=member.body, data=proposal_data(territory=member.body.territory)
    )
    six = criteria()
    services.project_assess(actor=planner, project=project, ratings={c.pk: 80 for c in six}, notes="Prioritario")
    services.project_update(
        actor=planner,
        project=project,
        data=services.ProjectData(
            title=project.title,
            problem=project.problem,
            strategy=project.strategy,
            territory=project.territory,
            agency=AgencyFactory(name="Dirección General de Obra Pública", slug="obra-publica"),
        ),
    )
    services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_PORTFOLIO)
    line = BudgetLineFactory(approved_amount=Decimal("900000"))
    resolution = _approve(line.budget, planner)
    services.allocation_add(actor=planner, project=project, budget_line=line, amount=Decimal("850000"))
    services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)
    project.refresh_from_db()
    if report:
        services.progress_report(
            actor=liaison_of(project),
            project=project,
            reported_on=timezone.localdate(),
            physical_progress=Decimal("15"),
            amount_spent=Decimal("100000"),
            narrative="Cimentación",
        )
        project.refresh_from_db()
    return project, member, resolution


@pytest.fixture
def story(planner):
    """The story told on a December morning; the test that uses it runs on from there."""
    with time_machine.travel(_in_leon("2026-12-03T10:00"), tick=True):
        yield _story(planner)


# Dated facts (the resolution's session day, the report's date) used to sit at noon among timestamped ones: in the
# afternoon the approval and the report came before the proposal. Midnight in León and midnight UTC (18:00) too.
@pytest.mark.parametrize(
    "hour", ["00:00:01", "08:10", "11:59:59", "12:00:01", "15:30", "17:59:59", "18:00:01", "23:40", "23:59:59"]
)
def test_the_timeline_tells_the_whole_story_in_order_at_any_hour(planner, hour):
    with time_machine.travel(_in_leon(f"2026-12-03T{hour}"), tick=True):
        project, member, resolution = _story(planner)
        entries = project_timeline(project, public=False)
    assert [e.kind for e in entries] == [
        "proposal",
        "assessment",
        "status",
        "status",
        "approval",
        "allocation",
        "status",
        "progress",
    ]
    assert [e.title for e in entries if e.kind == "status"] == [
        "De «Propuesto» a «En evaluación»",
        "De «En evaluación» a «En cartera»",
        "De «En cartera» a «En ejecución»",
    ]
    assert entries[0].detail == f"{member.membership.person}, {member.body}"
    assert entries[4].resolution == resolution


def test_facts_filed_the_next_morning_for_yesterday_follow_what_happened_yesterday_afternoon(planner):
    """Known only by their date and recorded a day late, they close their day: after the afternoon's move into
    execution that allowed them, the report (which the milestone's work went into) before the milestone."""
    with time_machine.travel(_in_leon("2026-12-03T16:00"), tick=True):
        project, _member, _resolution = _story(planner, report=False)
    with time_machine.travel(_in_leon("2026-12-04T08:00"), tick=True):
        services.milestone_save(
            actor=planner,
            project=project,
            title="Cimentación terminada",
            planned_date=datetime.date(2026, 12, 1),
            actual_date=datetime.date(2026, 12, 3),
        )
        services.progress_report(
            actor=liaison_of(project),
            project=project,
            reported_on=datetime.date(2026, 12, 3),
            physical_progress=Decimal("15"),
            amount_spent=Decimal("100000"),
            narrative="Cimiento",
        )
        entries = project_timeline(project, public=False)
    assert [(e.kind, e.title) for e in entries[-3:]] == [
        ("status", "De «En cartera» a «En ejecución»"),
        ("progress", "Avance físico: 15.00 %"),
        ("milestone", "Hito cumplido: Cimentación terminada"),
    ]
    assert {e.when.date() for e in entries[-2:]} == {datetime.date(2026, 12, 3)}


def test_the_public_page_names_the_resolution_that_approved_the_funding(client, story):
    project, _member, resolution = story
    html = client.get(reverse("projects:project_detail", args=[project.slug])).content.decode()
    assert f"Acuerdo {resolution.number}/{resolution.year} de {resolution.body.name}" in html
    assert reverse("councils:session_detail", args=[resolution.body.slug, resolution.session.number]) in html


def test_the_timeline_costs_a_fixed_number_of_queries(story, planner):
    project = story[0]
    with CaptureQueriesContext(connection) as first:
        project_timeline(Project.objects.get(pk=project.pk), public=True)
    for n in range(5):
        services.progress_report(
            actor=planner,
            project=project,
            reported_on=timezone.localdate(),
            physical_progress=Decimal(20 + n),
            amount_spent=Decimal("100000"),
            narrative="Más",
        )
        services.milestone_save(
            actor=planner,
            project=project,
            title=f"Hito {n}",
            planned_date=datetime.date(2025, 1, 1),
            actual_date=datetime.date(2025, 2, 1),
        )
    with CaptureQueriesContext(connection) as second:
        project_timeline(Project.objects.get(pk=project.pk), public=True)
    assert len(second) == len(first)


def test_an_approval_is_dated_by_its_resolution_not_by_when_the_row_was_written(story):
    """A resolution recorded after the fact (or loaded later) still places the approval on its session's day."""
    from councils.models import Resolution

    project, _member, resolution = story
    Resolution.objects.filter(pk=resolution.pk).update(adopted_on=datetime.date(2024, 12, 15))
    [approval] = [e for e in project_timeline(project, public=True) if e.kind == "approval"]
    assert approval.when.date() == datetime.date(2024, 12, 15) and approval.date_only
