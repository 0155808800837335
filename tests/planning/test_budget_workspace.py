"""The budget in the workspace: planners create a year's budget, lines and allocations through forms; refusals
are shown in Spanish and save nothing; once approved, only execution is recorded, with a reason."""

from decimal import Decimal

import pytest
from django.urls import reverse

from implan.concurrency import token_for
from implan.models import LifecycleState
from planning.models import Budget, BudgetExecution, BudgetLine, ProgrammeCeiling
from planning.services import budget as services
from tests.factories import (
    AgencyFactory,
    AllocationFactory,
    BudgetFactory,
    BudgetLineFactory,
    FiscalYearFactory,
    ProgrammeCeilingFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


def _line_post(programme, amount, agency=""):
    return {
        "programme": programme.pk,
        "agency": agency,
        "partida": "6140",
        "subfunction": "2.2.1",
        "modality": "K",
        "source": "11",
        "funding_source": "recursos_propios",
        "description": "Obra",
        "approved_amount": amount,
    }


def test_a_planner_creates_a_budget_and_lands_on_its_page(as_planner):
    year = FiscalYearFactory(year=2027)
    response = as_planner.post(
        reverse("planning:budget_create"),
        {"fiscal_year": year.pk, "title": "Presupuesto 2027", "ceiling": "2500000.50"},
    )
    budget = Budget.objects.get(fiscal_year=year)
    assert response.status_code == 302 and response["Location"] == reverse(
        "planning:budget_workspace", args=[budget.pk]
    )
    assert budget.ceiling == Decimal("2500000.50") and budget.state == LifecycleState.DRAFT
    page = as_planner.get(response["Location"])
    assert "Presupuesto 2027" in page.content.decode()


def test_a_second_budget_for_the_year_shows_the_refusal_and_saves_nothing(as_planner):
    budget = BudgetFactory()
    response = as_planner.post(
        reverse("planning:budget_create"), {"fiscal_year": budget.fiscal_year.pk, "title": "Otro", "ceiling": "1"}
    )
    assert response.status_code == 200
    assert "Ya existe un presupuesto del ejercicio 2025" in response.content.decode()
    assert Budget.objects.count() == 1


def test_a_line_without_agency_takes_the_programmes(as_planner):
    budget = BudgetFactory()
    agency = AgencyFactory()
    programme = ProgrammeFactory(agency=agency)
    response = as_planner.post(reverse("planning:budget_line_create", args=[budget.pk]), _line_post(programme, "1000"))
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert line.agency == agency
    assert line.modified_amount == line.approved_amount == Decimal("1000.00")
    assert line.executed_amount == Decimal("0")


def test_a_line_over_the_ceiling_is_refused_on_the_form_with_the_amounts(as_planner):
    budget = BudgetFactory(ceiling=Decimal("1000"))
    programme = ProgrammeFactory(agency=AgencyFactory())
    response = as_planner.post(
        reverse("planning:budget_line_create", args=[budget.pk]), _line_post(programme, "1000.01")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "rebasaría el techo presupuestal de $1,000.00 MXN" in body
    assert 'role="alert"' in body
    assert not BudgetLine.objects.exists()


def test_a_line_over_the_programmes_allocation_is_refused_on_the_form(as_planner):
    budget = BudgetFactory(ceiling=Decimal("100000"))
    programme = ProgrammeFactory(agency=AgencyFactory())
    ProgrammeCeilingFactory(budget=budget, programme=programme, amount=Decimal("500"))
    response = as_planner.post(
        reverse("planning:budget_line_create", args=[budget.pk]), _line_post(programme, "500.01")
    )
    assert "tiene asignados $500.00 MXN" in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_negative_or_malformed_amounts_are_refused_by_the_form(as_planner):
    budget = BudgetFactory()
    programme = ProgrammeFactory(agency=AgencyFactory())
    for amount in ("-5", "mil", ""):
        response = as_planner.post(
            reverse("planning:budget_line_create", args=[budget.pk]), _line_post(programme, amount)
        )
        assert response.status_code == 200
    assert not BudgetLine.objects.exists()


def test_editing_a_line_of_a_frozen_budget_is_refused(as_planner):
    line = BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.APPROVED), approved_amount=Decimal("10"))
    response = as_planner.post(
        reverse("planning:budget_line_edit", args=[line.pk]),
        {**_line_post(line.programme, "20", agency=line.agency.pk), "opened": token_for(line, services.LINE_FIELDS)},
    )
    assert "no se puede modificar" in response.content.decode()
    line.refresh_from_db()
    assert line.approved_amount == Decimal("10.00")


def test_deleting_a_line_of_a_frozen_budget_is_refused_with_a_message(as_planner):
    line = BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.PUBLISHED))
    response = as_planner.post(reverse("planning:budget_line_delete", args=[line.pk]), follow=True)
    assert "no se puede modificar" in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_a_draft_line_is_deleted(as_planner):
    line = BudgetLineFactory()
    as_planner.post(reverse("planning:budget_line_delete", args=[line.pk]))
    assert not BudgetLine.objects.exists()


def test_execution_is_recorded_through_its_form_on_the_approved_budget(as_planner, planner):
    line = BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.APPROVED), approved_amount=Decimal("100"))
    url = reverse("planning:budget_line_execution", args=[line.pk])
    opened = token_for(line, services.EXECUTION_FIELDS)
    response = as_planner.post(
        url, {"modified_amount": "100", "executed_amount": "150", "reason": "Trimestre", "opened": opened}
    )
    assert "no puede rebasar el presupuesto modificado" in response.content.decode()
    response = as_planner.post(
        url, {"modified_amount": "120", "executed_amount": "60.5", "reason": "Trimestre", "opened": opened}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert (line.modified_amount, line.executed_amount) == (Decimal("120.00"), Decimal("60.50"))
    assert line.history.first().history_user == planner


def test_the_detail_page_offers_edits_on_a_draft_and_execution_once_approved(as_planner):
    draft_line = BudgetLineFactory()
    project_line = BudgetLineFactory(
        budget=BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=2024))
    )
    AllocationFactory(budget_line=project_line, project__code="PE-2024-777")
    draft_page = as_planner.get(reverse("planning:budget_workspace", args=[draft_line.budget_id])).content.decode()
    assert reverse("planning:budget_line_edit", args=[draft_line.pk]) in draft_page
    assert "Registrar ejecución" not in draft_page
    page = as_planner.get(reverse("planning:budget_workspace", args=[project_line.budget_id])).content.decode()
    assert reverse("planning:budget_line_execution", args=[project_line.pk]) in page
    assert reverse("planning:budget_line_edit", args=[project_line.pk]) not in page
    assert "PE-2024-777" in page
    # Recorded by quarter, the line is offered only its quarterly form (the overall one would refuse it).
    BudgetExecution.objects.create(
        line=project_line, quarter=1, modified=1, committed=1, accrued=1, exercised=1, paid=1
    )
    page = as_planner.get(reverse("planning:budget_workspace", args=[project_line.budget_id])).content.decode()
    assert reverse("planning:budget_line_execution", args=[project_line.pk]) not in page
    assert reverse("planning:budget_line_stages", args=[project_line.pk]) in page


def test_a_planner_sets_and_removes_a_programme_allocation(as_planner):
    budget = BudgetFactory(ceiling=Decimal("1000"))
    programme = ProgrammeFactory()
    url = reverse("planning:programme_ceiling_set", args=[budget.pk])
    response = as_planner.post(url, {"programme": programme.pk, "amount": "1000.01"})
    assert "rebasarían el techo" in response.content.decode()
    assert not ProgrammeCeiling.objects.exists()
    as_planner.post(url, {"programme": programme.pk, "amount": "400"})
    ceiling = ProgrammeCeiling.objects.get()
    as_planner.post(reverse("planning:programme_ceiling_remove", args=[ceiling.pk]))
    assert not ProgrammeCeiling.objects.exists()


def test_the_budget_list_shows_every_version(as_planner):
    BudgetFactory(title="Presupuesto 2025", state=LifecycleState.SUPERSEDED)
    BudgetFactory(title="Presupuesto 2025 (modificación)", version=2)
    page = as_planner.get(reverse("planning:budget_list")).content.decode()
    assert "Presupuesto 2025 (modificación)" in page and "Sustituido" in page


def test_a_line_edit_without_what_the_editor_saw_is_refused_and_saves_nothing(as_planner):
    line = BudgetLineFactory(approved_amount=Decimal("10"))
    response = as_planner.post(
        reverse("planning:budget_line_edit", args=[line.pk]), _line_post(line.programme, "20", agency=line.agency.pk)
    )
    assert "El formulario llegó sin la marca de lo que usted vio al abrirlo" in response.content.decode()
    line.refresh_from_db()
    assert line.approved_amount == Decimal("10.00")


def test_the_budget_page_lists_its_events_in_the_procedure_section(as_planner, planner):
    from planning.services import lifecycle

    budget = BudgetLineFactory().budget
    url = reverse("planning:budget_workspace", args=[budget.pk])
    assert "Sin movimientos registrados." in as_planner.get(url).content.decode()
    lifecycle.instrument_submit(instrument=budget, actor=planner)
    page = as_planner.get(url).content.decode()
    section = page[page.index('id="tramite"') :]
    assert "Enviado a aprobación" in section and planner.get_full_name() in section


def test_the_lines_come_a_page_at_a_time_and_the_totals_and_allocations_count_them_all(as_planner):
    budget = BudgetFactory()
    programme, agency = ProgrammeFactory(code="E001"), AgencyFactory()
    ProgrammeCeilingFactory(budget=budget, programme=programme, amount=Decimal("100000000"))
    lines = [
        BudgetLineFactory(budget=budget, programme=programme, agency=agency, description=f"Concepto {n:03}")
        for n in range(53)
    ]
    url = reverse("planning:budget_workspace", args=[budget.pk])
    first, second = as_planner.get(url).content.decode(), as_planner.get(url, {"pagina": 2}).content.decode()

    def table(page: str) -> str:  # the lines' section (the history further down names lines of every page)
        return page[page.index('<h2 id="lineas">') : page.index('aria-labelledby="por-estrategia"')]

    assert "53 líneas · de la 1 a la 50" in table(first) and "53 líneas · de la 51 a la 53" in table(second)
    assert "Página 1 de 2" in table(first) and "Concepto 049" in table(first) and "Concepto 050" not in table(first)
    assert "Concepto 050" in table(second) and "Concepto 052" in table(second) and "Concepto 049" not in table(second)
    whole = "$26,500,000.00"  # 53 × 500,000: the summary and the allocation count every line, not the page's 50
    assert first.count(whole) >= 2 and second.count(whole) >= 2
    assert len(lines) == budget.lines.count()


def test_a_line_edited_or_deleted_from_the_second_page_of_lines_returns_the_planner_there(as_planner):
    budget = BudgetFactory(ceiling=Decimal("100000000"))
    programme = ProgrammeFactory(code="E001")
    lines = [BudgetLineFactory(budget=budget, programme=programme, description=f"Concepto {n:03}") for n in range(52)]
    workspace = reverse("planning:budget_workspace", args=[budget.pk])
    second = as_planner.get(workspace, {"pagina": 2}).content.decode()
    edit = reverse("planning:budget_line_edit", args=[lines[51].pk])
    assert f'href="{edit}?pagina=2"' in second and '<input type="hidden" name="pagina" value="2">' in second

    form = as_planner.get(f"{edit}?pagina=2")
    assert f'href="{workspace}?pagina=2">Cancelar</a>' in form.content.decode()
    post = {
        **_line_post(programme, "20", agency=lines[51].agency.pk),
        "opened": token_for(lines[51], services.LINE_FIELDS),
    }
    assert as_planner.post(f"{edit}?pagina=2", post)["Location"] == f"{workspace}?pagina=2"
    deleted = as_planner.post(reverse("planning:budget_line_delete", args=[lines[50].pk]), {"pagina": "2"})
    assert deleted["Location"] == f"{workspace}?pagina=2"
    assert not BudgetLine.objects.filter(pk=lines[50].pk).exists()


@pytest.mark.parametrize("page", ["1", "0", "-2", "2&x=1", "<b>2</b>", "9999999999", "", "²", "٣"])
def test_anything_but_a_later_page_number_returns_to_the_first_page(as_planner, page):
    line = BudgetLineFactory()
    response = as_planner.post(reverse("planning:budget_line_delete", args=[line.pk]), {"pagina": page})
    assert response["Location"] == reverse("planning:budget_workspace", args=[line.budget_id])
