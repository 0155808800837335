"""Every historied model keeps its history manager's class (implan/historical.py), and the history reads as before."""

from __future__ import annotations

import pytest

from implan.historical import KeptHistoryManager
from implan.history import audited_models
from planning.models import Strategy
from tests.factories import StrategyFactory


def test_every_audited_model_declares_its_history_with_the_portals_records():
    models = audited_models()
    assert len(models) > 30
    plain = [model.__name__ for model in models if not isinstance(model.history, KeptHistoryManager)]
    assert not plain, f"declare history = implan.historical.HistoricalRecords() on {plain}"


@pytest.mark.django_db
def test_the_manager_class_is_built_once_and_reads_each_instances_own_history():
    first, second = StrategyFactory(), StrategyFactory()
    first.name = "Otro nombre"
    first.save()
    assert type(first.history) is type(second.history) is type(Strategy.history)
    assert [h.name for h in first.history.order_by("history_id")] == [first.history.earliest().name, "Otro nombre"]
    assert second.history.count() == 1
    assert Strategy.history.count() == 3
