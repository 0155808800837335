"""The annual report read from live data: its totals are the sums of the underlying rows, it counts only what
belongs to the year (budget in force, public projects, observations up to the year, concluded sessions), and it
runs a fixed number of queries however large the year."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from implan.errors import DomainError
from implan.models import LifecycleState
from planning.models import AnnualReport, ReportSection
from planning.selectors import report as reporting
from planning.selectors.goals import GoalStatus
from planning.services import report as services
from projects.models import Allocation
from tests.factories import (
    AnnualReportFactory,
    BudgetLineFactory,
    FiscalYearFactory,
    MunicipalityFactory,
    ProgrammeFactory,
    ReportSectionFactory,
    StrategyFactory,
)
from tests.planning.report_world import build_year, grow_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_year()


def test_the_reports_totals_equal_the_sums_of_the_underlying_rows(world):
    data = reporting.annual_report_data(fiscal_year=world.year)
    lines = world.budget.lines.aggregate(a=Sum("approved_amount"), m=Sum("modified_amount"), e=Sum("executed_amount"))
    assert (data.approved, data.modified, data.executed) == (lines["a"], lines["m"], lines["e"])
    assert data.approved == Decimal("6002.40")
    for chapter in data.chapters:
        if chapter.strategy is None:
            continue
        own = world.budget.lines.filter(programme__strategy=chapter.strategy)
        assert chapter.approved == own.aggregate(t=Sum("approved_amount"))["t"]
        assert chapter.executed == own.aggregate(t=Sum("executed_amount"))["t"]
    public = Allocation.objects.filter(fiscal_year=world.year, project__status="en_ejecucion")
    assert data.allocated == public.aggregate(t=Sum("amount"))["t"] == Decimal("1401.00")
    assert data.project_count == public.values("project").distinct().count() == 4
    assert sum(count for _status, _label, count in data.goal_counts) == 2


def test_only_the_approved_budget_public_projects_and_the_years_allocations_count(world):
    data = reporting.annual_report_data(fiscal_year=world.year)
    assert data.budget == world.budget
    codes = [p.code for c in data.chapters for p in c.projects]
    assert len(codes) == 4
    assert not any(p.allocated in (Decimal("777"), Decimal("555")) for c in data.chapters for p in c.projects)


def test_goals_are_judged_with_observations_up_to_the_reports_year(world):
    data = reporting.annual_report_data(fiscal_year=world.year)
    rows = [g for c in data.chapters for g in c.goals]
    assert {(r.observation.period, r.status) for r in rows} == {("2025", GoalStatus.ON_TRACK)}
    world.year.year = 2026  # the same goals read a year later: the 2026 value meets the target
    assert {r.status for c in reporting.annual_report_data(fiscal_year=world.year).chapters for r in c.goals} == {
        GoalStatus.MET
    }


def test_council_activity_counts_concluded_sessions_and_resolutions_of_the_year(world):
    data = reporting.annual_report_data(fiscal_year=world.year)
    by_body = {a.body.name: (a.sessions, a.resolutions) for a in data.bodies}
    assert by_body == {"Ayuntamiento de León": (2, 2), "Comisión de Hábitat": (1, 1)}
    assert data.sessions == 3 and len(data.resolutions) == 3
    habitat = next(c for c in data.chapters if c.key == "habitat")
    assert (habitat.commission_sessions, habitat.commission_resolutions) == (1, 1)


def test_money_of_an_earlier_version_of_a_strategy_lands_in_its_chapter(world):
    """A new plan version copies strategies; lines and projects still point at the old copy (same slug)."""
    old = StrategyFactory(slug="habitat", name="Hábitat (versión anterior)")
    BudgetLineFactory(budget=world.budget, programme=ProgrammeFactory(strategy=old), approved_amount=Decimal("5"))
    orphan = ProgrammeFactory(strategy=None)
    BudgetLineFactory(budget=world.budget, programme=orphan, approved_amount=Decimal("7"))
    data = reporting.annual_report_data(fiscal_year=world.year)
    habitat = next(c for c in data.chapters if c.key == "habitat")
    assert habitat.approved == Decimal("2006.20")
    other = next(c for c in data.chapters if c.strategy is None)
    assert other.approved == Decimal("7.00")
    assert data.approved == world.budget.lines.aggregate(t=Sum("approved_amount"))["t"]


def test_sections_go_to_their_chapter_the_opening_or_the_closing(world):
    report = AnnualReportFactory(fiscal_year=world.year)
    ReportSectionFactory(report=report, order=1, title="Presentación")
    ReportSectionFactory(report=report, order=5, title="Lo hecho en Hábitat", strategy=world.strategies[0])
    ReportSectionFactory(report=report, order=100, title="Conclusiones")
    data = reporting.annual_report_data(fiscal_year=world.year, report=report)
    assert [s.title for s in data.opening] == ["Presentación"]
    assert [s.title for s in data.closing] == ["Conclusiones"]
    assert [s.title for s in data.chapters[0].sections] == ["Lo hecho en Hábitat"]


def test_the_report_data_takes_a_fixed_number_of_queries_as_the_year_grows(world):
    report = AnnualReportFactory(fiscal_year=world.year)
    with CaptureQueriesContext(connection) as small:
        reporting.annual_report_data(fiscal_year=world.year, report=report)
    extra = build_more(world)
    with CaptureQueriesContext(connection) as large:
        data = reporting.annual_report_data(fiscal_year=world.year, report=report)
    assert data.project_count == 4 + extra
    assert len(large.captured_queries) == len(small.captured_queries)


def build_more(world) -> int:
    for strategy in world.strategies:
        grow_strategy(strategy, world.budget, world.year, MunicipalityFactory(), 3, lines=5, projects=5)
    ReportSectionFactory.create_batch(3, report=AnnualReport.objects.get())
    return 10


# --- Services of the report ---------------------------------------------------------------------------------


def test_a_year_gets_one_report_and_a_second_is_refused(planner, world):
    services.annual_report_create(actor=planner, fiscal_year=world.year, title="Informe anual 2025")
    with pytest.raises(DomainError, match="Ya existe el informe anual del ejercicio 2025"):
        services.annual_report_create(actor=planner, fiscal_year=world.year, title="Otro")
    assert AnnualReport.objects.count() == 1


def test_sections_need_a_free_order_and_a_draft_report(planner):
    report = AnnualReportFactory()
    data = services.SectionData(order=1, title="Presentación", body="**Hola**")
    services.report_section_save(actor=planner, report=report, data=data)
    with pytest.raises(DomainError, match="Ya hay una sección con el orden 1"):
        services.report_section_save(actor=planner, report=report, data=data)
    AnnualReport.objects.filter(pk=report.pk).update(state=LifecycleState.IN_REVIEW)
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.report_section_save(actor=planner, report=report, data=services.SectionData(order=2, title="X"))
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.report_section_delete(actor=planner, section=report.sections.get())
    assert report.sections.count() == 1


def test_a_section_cannot_be_saved_into_another_report(planner):
    section = ReportSectionFactory()
    other = AnnualReportFactory(fiscal_year__year=2024)
    with pytest.raises(DomainError, match="no pertenece"):
        services.report_section_save(
            actor=planner, report=other, section=section, data=services.SectionData(order=9, title="Robada")
        )
    section.refresh_from_db()
    assert section.report_id != other.pk and ReportSection.objects.count() == 1


def test_only_planners_write_reports(councillor, world):
    with pytest.raises(PermissionDenied):
        services.annual_report_create(actor=councillor, fiscal_year=world.year, title="Informe")


def test_a_year_without_approved_budget_reports_zero_money():
    data = reporting.annual_report_data(fiscal_year=FiscalYearFactory(year=2030))
    assert data.budget is None and data.approved == 0 and data.chapters == []
