"""One draft check for every planning instrument (plan, programme, budget, annual report, evaluation): only a draft
changes, and the refusal says why in the same words whichever instrument it is."""

import pytest

from implan.errors import DomainError
from implan.models import LifecycleState
from planning.services.editing import in_draft, require_draft
from tests.factories import (
    AnnualReportFactory,
    BudgetFactory,
    EvaluationFactory,
    GoalFactory,
    ProgrammeFactory,
    StrategicPlanFactory,
)

pytestmark = pytest.mark.django_db

INSTRUMENTS = [StrategicPlanFactory, ProgrammeFactory, BudgetFactory, AnnualReportFactory, EvaluationFactory]


@pytest.mark.parametrize("factory", INSTRUMENTS)
def test_only_a_draft_changes_and_every_instrument_says_why_in_the_same_words(factory):
    instrument = factory(state=LifecycleState.DRAFT)
    require_draft(instrument)
    assert in_draft(instrument)
    instrument.state = LifecycleState.IN_REVIEW
    with pytest.raises(DomainError, match="está en revisión y no se puede modificar mientras espera la votación"):
        require_draft(instrument)
    for state in (LifecycleState.APPROVED, LifecycleState.PUBLISHED, LifecycleState.SUPERSEDED):
        instrument.state = state
        with pytest.raises(DomainError, match=r"\(versión 1\) está .* y no se puede modificar; inicie una nueva"):
            require_draft(instrument)
        assert not in_draft(instrument)


def test_a_part_is_in_draft_when_the_instrument_that_owns_it_is():
    goal = GoalFactory(objective__strategy__vertiente__plan__state=LifecycleState.PUBLISHED)
    assert not in_draft(goal, "objective.strategy.plan")
    assert in_draft(GoalFactory(), "objective.strategy.plan")
