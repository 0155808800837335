"""Budget lines, strategies and programmes imported in the Django admin are saved by the workspace's services."""

import pytest

from implan.models import LifecycleState
from planning.models import BudgetLine, Programme, Strategy
from tests.admin_files import confirm, csv_file, imported, preview, row_errors
from tests.factories import AgencyFactory, BudgetFactory, BudgetLineFactory, ProgrammeFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db

LINE = [
    "id",
    "budget",
    "programme",
    "agency",
    "chapter",
    "funding_source",
    "description",
    "approved_amount",
    "modified_amount",
    "executed_amount",
]


@pytest.fixture
def draft_budget():
    """A draft budget with a ceiling of 1,000,000 of which 500,000 is taken by one line."""
    line = BudgetLineFactory()
    ProgrammeFactory(code="P-AGUA")
    AgencyFactory(slug="sapal")
    return line.budget


def _line(budget, amount: str) -> list[object]:
    return ["", budget.pk, "P-AGUA", "sapal", "6000", "recursos_propios", "Colectores", amount, amount, "0"]


def test_a_budget_line_over_the_ceiling_is_refused_at_the_preview(client, superuser, draft_budget):
    client.force_login(superuser)
    response = preview(client, BudgetLine, csv_file("lineas.csv", [LINE, _line(draft_budget, "600000")]))
    [message] = row_errors(response)
    assert message.startswith("La suma de lo aprobado ($1,100,000.00 MXN) rebasaría el techo presupuestal")
    assert draft_budget.lines.count() == 1


def test_a_budget_line_within_the_ceiling_is_saved_by_the_service(client, superuser, draft_budget):
    client.force_login(superuser)
    previewed = preview(client, BudgetLine, csv_file("lineas.csv", [LINE, _line(draft_budget, "400000")]))
    assert imported(confirm(client, BudgetLine, previewed))
    line = draft_budget.lines.get(programme__code="P-AGUA")
    assert line.history.first().history_change_reason == "Línea presupuestal"


def test_no_budget_line_is_imported_into_an_approved_budget(client, superuser):
    budget = BudgetFactory(state=LifecycleState.APPROVED)
    ProgrammeFactory(code="P-AGUA")
    AgencyFactory(slug="sapal")
    client.force_login(superuser)
    response = preview(client, BudgetLine, csv_file("lineas.csv", [LINE, _line(budget, "1")]))
    assert row_errors(response) == [
        "Solo se importan filas de instrumentos en borrador; para cambiar uno aprobado o "
        "publicado cree una nueva versión."
    ]
    assert not budget.lines.exists()


def test_a_strategy_imported_into_a_draft_plan_is_created_by_the_service(client, superuser):
    world = plan_world()
    vertiente = world.strategies[0].vertiente
    client.force_login(superuser)
    rows = [
        ["plan", "slug", "number", "name", "vertiente", "description"],
        [world.plan.pk, "movilidad", "10", "Movilidad", vertiente.pk, ""],
    ]
    assert imported(confirm(client, Strategy, preview(client, Strategy, csv_file("estrategias.csv", rows))))
    strategy = world.plan.strategies.get(slug="movilidad")
    assert (strategy.number, strategy.history.first().history_change_reason) == (10, "Estrategia agregada")


def test_a_later_programme_version_is_not_created_by_a_file(client, superuser):
    programme = ProgrammeFactory(code="P-AGUA")
    client.force_login(superuser)
    rows = [
        ["code", "version", "name", "slug", "description", "strategy", "agency"],
        ["P-AGUA", "2", "Agua para todos", "agua", "", programme.strategy_id, ""],
    ]
    response = preview(client, Programme, csv_file("programas.csv", rows))
    assert row_errors(response) == [
        "La versión 2 del programa P-AGUA no existe: una versión nueva se inicia en el "
        "espacio de trabajo, a partir de la anterior."
    ]
