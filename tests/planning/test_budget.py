"""Budget rules: the ceiling, programme allocations, frozen versions, totals."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from implan.errors import DomainError
from implan.models import Event
from planning.models import Budget, BudgetLine, SpendingChapter
from planning.selectors.budget import budget_totals
from planning.services import budget as services
from tests.factories import AgencyFactory, BudgetFactory, FiscalYearFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _data(programme, agency, amount, chapter=SpendingChapter.PUBLIC_WORKS, executed="0"):
    return services.LineData(
        programme=programme,
        agency=agency,
        chapter=chapter,
        funding_source="recursos_propios",
        approved_amount=Decimal(amount),
        executed_amount=Decimal(executed),
    )


@pytest.fixture
def world():
    return BudgetFactory(ceiling=Decimal("1000000.00")), ProgrammeFactory(), AgencyFactory()


def test_lines_up_to_the_ceiling_are_accepted(world, planner):
    budget, programme, agency = world
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "600000"))
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "400000"))
    assert budget.lines.count() == 2


def test_a_line_over_the_ceiling_is_refused_with_the_amounts_and_nothing_saved(world, planner):
    budget, programme, agency = world
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "999999.99"))
    with pytest.raises(DomainError) as refused:
        services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "0.02"))
    assert "$1,000,000.01 MXN" in refused.value.message
    assert "$1,000,000.00 MXN" in refused.value.message
    assert budget.lines.count() == 1


def test_editing_a_line_counts_its_new_amount_not_both(world, planner):
    budget, programme, agency = world
    line = services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "900000"))
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "1000000"), line=line)
    line.refresh_from_db()
    assert line.approved_amount == Decimal("1000000.00")


def test_a_line_over_the_programmes_allocation_is_refused(world, planner):
    budget, programme, agency = world
    services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("100000"))
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "100000"))
    with pytest.raises(DomainError, match="tiene asignados"):
        services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "1"))
    other = ProgrammeFactory()
    services.budget_line_save(actor=planner, budget=budget, data=_data(other, agency, "1"))


def test_an_allocation_below_existing_lines_is_refused(world, planner):
    budget, programme, agency = world
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "5000"))
    with pytest.raises(DomainError, match="ya suman"):
        services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("4999.99"))


def test_negative_amounts_are_refused(world, planner):
    budget, programme, agency = world
    with pytest.raises(DomainError, match="negativos"):
        services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "-1"))


@pytest.mark.parametrize("state", ["en_revision", "aprobado", "publicado"])
def test_a_budget_that_left_draft_is_frozen(world, planner, state):
    budget, programme, agency = world
    budget.state = state
    budget.save()
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "1"))
    assert not BudgetLine.objects.exists()


def test_only_planners_edit_budgets(world, councillor):
    budget, programme, agency = world
    with pytest.raises(PermissionDenied):
        services.budget_line_save(actor=councillor, budget=budget, data=_data(programme, agency, "1"))


def test_totals_equal_the_sums_of_the_lines(world, planner):
    budget, programme, agency = world
    other_agency = AgencyFactory()
    amounts = [
        ("100.10", agency, SpendingChapter.PUBLIC_WORKS),
        ("200.20", agency, SpendingChapter.SERVICES),
        ("300.30", other_agency, SpendingChapter.PUBLIC_WORKS),
    ]
    for amount, who, chapter in amounts:
        services.budget_line_save(
            actor=planner, budget=budget, data=_data(programme, who, amount, chapter, executed="10")
        )
    totals = budget_totals(budget=budget)
    assert totals["total"][0]["approved"] == Decimal("600.60")
    assert totals["total"][0]["executed"] == Decimal("30.00")
    by_chapter = {row["chapter"]: row["approved"] for row in totals["chapter"]}
    assert by_chapter == {"3000": Decimal("200.20"), "6000": Decimal("400.40")}
    by_agency = {row["agency__name"]: row["approved"] for row in totals["agency"]}
    assert by_agency[other_agency.name] == Decimal("300.30")
    assert sum(row["approved"] for row in totals["strategy"]) == Decimal("600.60")


def test_a_year_gets_one_budget_and_a_second_is_refused(planner):
    year = FiscalYearFactory(year=2027)
    budget = services.budget_create(
        actor=planner, fiscal_year=year, title="Presupuesto 2027", ceiling=Decimal("5000000")
    )
    assert budget.state == "borrador" and budget.version == 1
    assert Event.objects.filter(action="budget_created", object_id=budget.pk).exists()
    with pytest.raises(DomainError, match="Ya existe un presupuesto del ejercicio 2027"):
        services.budget_create(actor=planner, fiscal_year=year, title="Otro", ceiling=Decimal("1"))
    assert Budget.objects.filter(fiscal_year=year).count() == 1


def test_a_closed_fiscal_year_gets_no_new_budget(planner):
    year = FiscalYearFactory(year=2023, is_closed=True)
    with pytest.raises(DomainError, match="cerrado"):
        services.budget_create(actor=planner, fiscal_year=year, title="Tarde", ceiling=Decimal("1"))
    assert not Budget.objects.exists()


def test_the_ceiling_cannot_fall_below_the_lines(world, planner):
    budget, programme, agency = world
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "750000"))
    with pytest.raises(DomainError, match="no puede ser menor"):
        services.budget_update(actor=planner, budget=budget, title="Nuevo título", ceiling=Decimal("749999.99"))
    budget.refresh_from_db()
    assert (budget.title, budget.ceiling) == ("Presupuesto 2025", Decimal("1000000.00"))
    services.budget_update(actor=planner, budget=budget, title="Nuevo título", ceiling=Decimal("750000"))
    budget.refresh_from_db()
    assert budget.ceiling == Decimal("750000.00")
    assert budget.history.first().history_change_reason == "Datos generales del presupuesto"


def test_programme_allocations_together_cannot_exceed_the_ceiling(world, planner):
    budget, programme, _agency = world
    services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("600000"))
    other = ProgrammeFactory()
    with pytest.raises(DomainError, match="rebasarían el techo"):
        services.programme_ceiling_set(actor=planner, budget=budget, programme=other, amount=Decimal("400000.01"))
    assert not budget.programme_ceilings.filter(programme=other).exists()
    # Changing an allocation counts its new amount, not both.
    services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("1000000"))
    assert budget.programme_ceilings.get().amount == Decimal("1000000.00")


def test_removing_an_allocation_frees_the_programme_and_is_refused_once_frozen(world, planner):
    budget, programme, agency = world
    ceiling = services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("10"))
    services.programme_ceiling_remove(actor=planner, ceiling=ceiling)
    services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, "11"))
    ceiling = services.programme_ceiling_set(actor=planner, budget=budget, programme=programme, amount=Decimal("11"))
    Budget.objects.filter(pk=budget.pk).update(state="aprobado")
    with pytest.raises(DomainError, match="no se puede modificar"):
        services.programme_ceiling_remove(actor=planner, ceiling=ceiling)
    assert budget.programme_ceilings.count() == 1
