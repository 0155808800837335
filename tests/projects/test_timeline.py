"""The project timeline: proposal, assessment, the approval with its resolution, allocation, progress, status."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils import services as councils
from councils.models import BodyKind, VoteOption
from planning import lifecycle
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
    motion = councils.motion_open(actor=ayuntamiento.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(3):
        councils.vote_cast(actor=ayuntamiento.user(i), motion=motion, option=VoteOption.YES)
    return councils.motion_close(actor=ayuntamiento.secretary, motion=motion)


@pytest.fixture
def story(planner):
    """A proposal walked all the way into execution through the services, funded by a budget approved in session."""
    member = community_member()
    project = services.project_propose(actor=member.user, body=member.body, data=proposal_data(
        territory=member.body.territory))
    six = criteria()
    services.project_assess(actor=planner, project=project, ratings={c.pk: 80 for c in six}, notes="Prioritario")
    services.project_update(actor=planner, project=project, data=services.ProjectData(
        title=project.title, problem=project.problem, strategy=project.strategy, territory=project.territory,
        agency=AgencyFactory(name="Dirección General de Obra Pública", slug="obra-publica")))
    services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_PORTFOLIO)
    line = BudgetLineFactory(approved_amount=Decimal("900000"))
    resolution = _approve(line.budget, planner)
    services.allocation_add(actor=planner, project=project, budget_line=line, amount=Decimal("850000"))
    services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_EXECUTION)
    project.refresh_from_db()
    services.progress_report(actor=liaison_of(project), project=project, reported_on=datetime.date.today(),
                             physical_progress=Decimal("15"), amount_spent=Decimal("100000"), narrative="Cimentación")
    project.refresh_from_db()
    return project, member, resolution


def test_the_timeline_tells_the_whole_story_in_order(story):
    project, member, resolution = story
    entries = project_timeline(project, public=False)
    kinds = [e.kind for e in entries]
    assert kinds[0] == "proposal"
    assert {"assessment", "approval", "allocation", "progress", "status"} <= set(kinds)
    assert entries[0].detail == f"{member.membership.person}, {member.body}"
    [approval] = [e for e in entries if e.kind == "approval"]
    assert approval.resolution == resolution
    statuses = [e.title for e in entries if e.kind == "status"]
    assert statuses == ["De «Propuesto» a «En evaluación»", "De «En evaluación» a «En cartera»",
                        "De «En cartera» a «En ejecución»"]
    assert [e.when for e in entries] == sorted(e.when for e in entries)


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
        services.progress_report(actor=planner, project=project, reported_on=datetime.date.today(),
                                 physical_progress=Decimal(20 + n), amount_spent=Decimal("100000"), narrative="Más")
        services.milestone_save(actor=planner, project=project, title=f"Hito {n}",
                                planned_date=datetime.date(2025, 1, 1), actual_date=datetime.date(2025, 2, 1))
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
