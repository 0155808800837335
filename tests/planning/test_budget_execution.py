"""Recording the execution of an approved budget: only modified and executed amounts move, with a reason and
history; drafts, replaced versions and closed years refuse; nothing else of the approved budget changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from implan.errors import DomainError
from implan.integrity import verify_all
from implan.models import Event, LifecycleState
from planning.services import budget as services
from planning.services import lifecycle
from tests.factories import BudgetFactory, BudgetLineFactory

pytestmark = pytest.mark.django_db


def _approved_line(**kwargs):
    budget = BudgetFactory(ceiling=Decimal("10000.00"))
    line = BudgetLineFactory(budget=budget, approved_amount=Decimal("4000.00"), **kwargs)
    BudgetLineFactory(budget=budget, approved_amount=Decimal("5000.00"))
    budget.state = LifecycleState.APPROVED
    budget.content_hash = lifecycle.content_hash(budget.hashed_content())
    budget.save()
    return line


def _record(actor, line, modified, executed, reason="Cierre del primer trimestre"):
    return services.budget_line_record_execution(
        actor=actor,
        line=line,
        data=services.ExecutionData(
            modified_amount=Decimal(modified), executed_amount=Decimal(executed), reason=reason
        ),
    )


def test_execution_is_recorded_with_its_reason_in_history_and_an_event(planner):
    line = _approved_line()
    _record(planner, line, "4500", "1234.56")
    line.refresh_from_db()
    assert (line.approved_amount, line.modified_amount, line.executed_amount) == (
        Decimal("4000.00"),
        Decimal("4500.00"),
        Decimal("1234.56"),
    )
    last = line.history.first()
    assert last.history_change_reason == "Cierre del primer trimestre"
    assert last.history_user == planner
    event = Event.objects.get(action="budget_execution_recorded")
    assert event.actor == planner and event.object_id == line.budget_id
    assert event.data["before"] == {"modified": "4000.00", "executed": "0.00"}
    assert event.data["after"] == {"modified": "4500.00", "executed": "1234.56"}


def test_recording_execution_leaves_the_approved_budget_hash_intact(planner):
    line = _approved_line()
    _record(planner, line, "4000", "3999.99")
    assert verify_all()[1] == []


def test_a_published_budget_also_takes_execution(planner):
    line = _approved_line()
    type(line.budget).objects.filter(pk=line.budget_id).update(state=LifecycleState.PUBLISHED)
    _record(planner, line, "4000", "10")
    line.refresh_from_db()
    assert line.executed_amount == Decimal("10.00")


@pytest.mark.parametrize("state", [LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.SUPERSEDED])
def test_execution_is_refused_outside_the_approved_budget_in_force(planner, state):
    line = _approved_line()
    type(line.budget).objects.filter(pk=line.budget_id).update(state=state)
    with pytest.raises(DomainError, match="se registra en el presupuesto aprobado"):
        _record(planner, line, "4000", "10")
    line.refresh_from_db()
    assert line.executed_amount == Decimal("0.00")
    assert not Event.objects.filter(action="budget_execution_recorded").exists()


def test_a_closed_fiscal_year_refuses_execution(planner):
    line = _approved_line()
    year = line.budget.fiscal_year
    year.is_closed = True
    year.save()
    with pytest.raises(DomainError, match="está cerrado"):
        _record(planner, line, "4000", "10")
    line.refresh_from_db()
    assert line.executed_amount == Decimal("0.00")


def test_executed_cannot_exceed_modified(planner):
    line = _approved_line()
    with pytest.raises(DomainError, match=r"Lo ejercido \(\$4,000.01 MXN\) no puede rebasar"):
        _record(planner, line, "4000", "4000.01")
    line.refresh_from_db()
    assert line.executed_amount == Decimal("0.00")


def test_modified_amounts_together_cannot_exceed_the_ceiling(planner):
    line = _approved_line()  # the other line has 5,000 modified; the ceiling is 10,000
    with pytest.raises(DomainError, match="nueva versión del presupuesto aprobada por el Ayuntamiento"):
        _record(planner, line, "5000.01", "0")
    _record(planner, line, "5000.00", "0")
    line.refresh_from_db()
    assert line.modified_amount == Decimal("5000.00")


@pytest.mark.parametrize(
    ("modified", "executed", "reason", "message"),
    [
        ("-1", "0", "motivo", "negativos"),
        ("10", "-0.01", "motivo", "negativos"),
        ("10", "1", "   ", "motivo del registro"),
    ],
)
def test_bad_execution_input_is_refused_and_saves_nothing(planner, modified, executed, reason, message):
    line = _approved_line()
    with pytest.raises(DomainError, match=message):
        _record(planner, line, modified, executed, reason=reason)
    line.refresh_from_db()
    assert (line.modified_amount, line.executed_amount) == (Decimal("4000.00"), Decimal("0.00"))
    assert line.history.count() == 1


def test_only_planners_record_execution(liaison):
    line = _approved_line()
    with pytest.raises(PermissionDenied):
        _record(liaison, line, "4000", "1")
