"""The workspace forms of CONAC's classifications and of the quarterly stages: codes picked from the catalogues'
lists, bad codes refused in Spanish with nothing saved, a quarter recorded and then closed and frozen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from implan.models import LifecycleState
from planning.models import BudgetExecution, BudgetLine, BudgetQuarter
from tests.factories import AgencyFactory, BudgetFactory, BudgetLineFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_planner(client, planner):
    client.force_login(planner)
    return client


def _post(programme, **codes):
    return {
        "programme": programme.pk,
        "agency": AgencyFactory().pk,
        "partida": "2610 Combustibles, lubricantes y aditivos",  # as picked from the list: the code is read
        "specific_partida": "26101",
        "subfunction": "1.7.1",
        "modality": "e",
        "source": "11",
        "funding_source": "recursos_propios",
        "description": "Combustible de patrullas",
        "approved_amount": "125000",
        **codes,
    }


def test_the_line_form_offers_each_catalogue_as_a_searchable_list(as_planner):
    budget = BudgetFactory()
    page = as_planner.get(reverse("planning:budget_line_create", args=[budget.pk])).content.decode()
    assert 'list="id_partida-opciones"' in page and '<datalist id="id_partida-opciones">' in page
    assert '<option value="2110">2110 Materiales, útiles y equipos menores de oficina</option>' in page
    assert '<option value="2.2.4">2.2.4 Alumbrado público</option>' in page
    assert '<option value="2100">' not in page  # a concepto is not a partida genérica


def test_a_planner_saves_a_line_with_its_classifications(as_planner):
    budget = BudgetFactory(ceiling=Decimal("1000000"))
    programme = ProgrammeFactory()
    response = as_planner.post(reverse("planning:budget_line_create", args=[budget.pk]), _post(programme))
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert (line.partida.code, line.chapter, line.specific_partida) == ("2610", "2000", "26101")
    assert (line.subfunction.code, line.modality.code, line.source.code) == ("1.7.1", "E", "11")


def test_an_unknown_partida_is_refused_in_spanish_and_nothing_is_saved(as_planner):
    budget = BudgetFactory(ceiling=Decimal("1000000"))
    response = as_planner.post(
        reverse("planning:budget_line_create", args=[budget.pk]), _post(ProgrammeFactory(), partida="2115")
    )
    assert response.status_code == 200
    assert "La partida 2115 no existe en el Clasificador por Objeto del Gasto." in response.content.decode()
    assert not BudgetLine.objects.exists()


def _approved_line():
    budget = BudgetFactory(ceiling=Decimal("10000"), state=LifecycleState.PUBLISHED)
    return BudgetLineFactory(budget=budget, approved_amount=Decimal("4000"))


STAGES = {"modified": "4000", "committed": "3000", "accrued": "2000", "exercised": "1500", "paid": "1000"}


def test_a_planner_records_a_quarter_closes_it_and_it_is_frozen(as_planner):
    line = _approved_line()
    url = reverse("planning:budget_line_stages", args=[line.pk]) + "?trimestre=1"
    assert as_planner.post(url, STAGES).status_code == 302
    assert BudgetExecution.objects.get(line=line, quarter=1).exercised == Decimal("1500")
    response = as_planner.post(reverse("planning:budget_quarter_close", args=[line.budget_id]), {"quarter": "1"})
    assert response.status_code == 302 and BudgetQuarter.objects.filter(budget=line.budget, quarter=1).exists()
    page = as_planner.get(url).content.decode()
    assert "El trimestre 1 está cerrado" in page and 'name="paid"' not in page
    as_planner.post(url, {**STAGES, "paid": "0"})
    assert BudgetExecution.objects.get(line=line, quarter=1).paid == Decimal("1000")


def test_stages_out_of_order_are_refused_naming_them(as_planner):
    line = _approved_line()
    url = reverse("planning:budget_line_stages", args=[line.pk]) + "?trimestre=2"
    response = as_planner.post(url, {**STAGES, "paid": "1600"})
    assert response.status_code == 200
    assert "Lo pagado ($1,600.00 MXN) no puede rebasar lo ejercido ($1,500.00 MXN)." in response.content.decode()
    assert not BudgetExecution.objects.exists()
