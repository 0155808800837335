"""The execution of a budget by stages (momentos contables), quarter by quarter: the stages keep their order
(pagado ≤ ejercido ≤ devengado ≤ comprometido ≤ modificado) in the service and in the database, a closed quarter
is frozen, and the line's figures to date follow the latest quarter."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.models import BudgetExecution
from planning.services import budget as budget_services
from planning.services import execution as services
from planning.services import lifecycle
from tests.factories import BudgetFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


def _approved_line():
    """An approved budget with two lines; the first is returned, the second is ``_other(line)``."""
    budget = BudgetFactory(ceiling=Decimal("10000.00"))
    line = BudgetLineFactory(budget=budget, approved_amount=Decimal("4000.00"))
    BudgetLineFactory(budget=budget, approved_amount=Decimal("5000.00"))
    budget.state = LifecycleState.APPROVED
    budget.content_hash = lifecycle.content_hash(budget.hashed_content())
    budget.save()
    return line


def _other(line):
    return line.budget.lines.exclude(pk=line.pk).get()


def _record_others(planner, line, quarter):
    """The budget's other line records ``quarter`` too: a quarter closes only with every line's figures."""
    services.budget_execution_record(
        actor=planner, line=_other(line), quarter=quarter, data=_stages("5000", "100", "100", "100", "100")
    )


def _stages(modified="4000", committed="3000", accrued="2500", exercised="2000", paid="1500"):
    return services.StageData(
        modified=Decimal(modified),
        committed=Decimal(committed),
        accrued=Decimal(accrued),
        exercised=Decimal(exercised),
        paid=Decimal(paid),
    )


def test_a_quarter_is_recorded_and_the_line_follows_it(planner):
    line = _approved_line()
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    services.budget_execution_record(actor=planner, line=line, quarter=2, data=_stages(exercised="2400", paid="2000"))
    line.refresh_from_db()
    assert (line.approved_amount, line.modified_amount, line.executed_amount) == (
        Decimal("4000.00"),
        Decimal("4000.00"),
        Decimal("2400.00"),
    )
    assert BudgetExecution.objects.filter(line=line).count() == 2
    assert Event.objects.filter(action="budget_stages_recorded").count() == 2


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ({"paid": "2001"}, "Lo pagado"),
        ({"exercised": "2600"}, "Lo ejercido"),
        ({"accrued": "3001"}, "Lo devengado"),
        ({"committed": "4001"}, "Lo comprometido"),
    ],
)
def test_a_stage_above_the_one_before_it_is_refused_naming_both(planner, stages, message):
    line = _approved_line()
    with pytest.raises(DomainError, match=message) as refused:
        services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages(**stages))
    assert "no puede rebasar lo" in refused.value.message
    assert not BudgetExecution.objects.exists()
    line.refresh_from_db()
    assert line.executed_amount == Decimal("0")


def test_the_database_refuses_stages_out_of_order_too(planner):
    line = _approved_line()
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetExecution.objects.create(line=line, quarter=1, modified=1, committed=1, accrued=1, exercised=1, paid=2)


def test_a_closed_quarter_is_frozen_and_the_next_one_stays_open(planner):
    line = _approved_line()
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    _record_others(planner, line, 1)
    services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)
    with pytest.raises(DomainError, match="El trimestre 1 de .* está cerrado"):
        services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages(paid="0"))
    assert BudgetExecution.objects.get(line=line, quarter=1).paid == Decimal("1500.00")
    services.budget_execution_record(actor=planner, line=line, quarter=2, data=_stages(paid="1600"))
    event = Event.objects.get(action="budget_quarter_closed")
    assert event.actor == planner and event.data == {"quarter": 1}


def test_quarters_close_in_order_and_once(planner):
    line = _approved_line()
    with pytest.raises(DomainError, match="Cierre primero el trimestre 1"):
        services.budget_quarter_close(actor=planner, budget=line.budget, quarter=2)
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    _record_others(planner, line, 1)
    services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)
    with pytest.raises(DomainError, match="está cerrado"):
        services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)


def test_a_draft_budget_has_no_execution(planner):
    line = BudgetLineFactory()
    with pytest.raises(DomainError, match="presupuesto aprobado"):
        services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())


def test_a_modified_budget_over_the_ceiling_is_refused(planner):
    line = _approved_line()
    with pytest.raises(DomainError, match="rebasaría el techo"):
        services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages(modified="5001"))
    assert not BudgetExecution.objects.exists()


def test_a_line_recorded_by_quarter_no_longer_takes_the_overall_execution_form(planner):
    """Two ways into the same figures would disagree: once a quarter is recorded, the quarters decide."""
    line = _approved_line()
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    with pytest.raises(DomainError, match="registra su ejecución por trimestre"):
        budget_services.budget_line_record_execution(
            actor=planner,
            line=line,
            data=budget_services.ExecutionData(
                modified_amount=Decimal("4000"), executed_amount=Decimal("3999"), reason="Cierre"
            ),
        )
    line.refresh_from_db()
    assert line.executed_amount == Decimal("2000.00")


def test_a_quarter_with_a_line_still_unrecorded_cannot_close(planner):
    line = _approved_line()
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    with pytest.raises(DomainError, match="Falta registrar el trimestre 1 en 1 línea"):
        services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)
    assert not line.budget.closed_quarters.exists()
    _record_others(planner, line, 1)
    services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)
    assert line.budget.closed_quarters.get().quarter == 1


def test_a_new_version_keeps_the_execution_and_its_closed_quarters(planner):
    line = _approved_line()
    services.budget_execution_record(actor=planner, line=line, quarter=1, data=_stages())
    _record_others(planner, line, 1)
    services.budget_quarter_close(actor=planner, budget=line.budget, quarter=1)
    budget = line.budget
    budget.state = LifecycleState.PUBLISHED
    budget.save()

    draft = lifecycle.instrument_new_version(instrument=budget, actor=planner)

    copied = BudgetExecution.objects.filter(line__budget=draft).order_by("line__approved_amount")
    assert [(e.quarter, e.exercised) for e in copied] == [(1, Decimal("2000.00")), (1, Decimal("100.00"))]
    assert list(draft.closed_quarters.values_list("quarter", flat=True)) == [1]
    assert BudgetExecution.objects.filter(line__budget=budget).count() == 2  # the published version keeps its own
