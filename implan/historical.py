"""The audit trail's model field: django-simple-history's ``HistoricalRecords``, with its manager's class built once.

Why: simple-history builds a new manager class (``Manager.from_queryset``, which inspects every method of the
queryset class) each time ``instance.history`` is read — once for every historied save, and once per model on a
history page: ~0.07 ms each, for a class that is the same every time.
"""

from __future__ import annotations

import functools
from typing import Any

from simple_history import models as simple_history_models
from simple_history.manager import HistoryManager


class KeptHistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class: type, class_name: str | None = None) -> type:
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(simple_history_models.HistoricalRecords):
    """Every historied model of the portal declares ``history = HistoricalRecords(...)`` from here."""

    def __init__(self, *args: Any, history_manager: type = KeptHistoryManager, **kwargs: Any) -> None:
        super().__init__(*args, history_manager=history_manager, **kwargs)
