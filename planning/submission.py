"""Conditions an instrument must meet before it is sent to approval, set by the layers above planning.

``planning`` must not import the apps that sit above it (``consultations``), yet the law asks that a plan whose
public consultation is required is not submitted before the consultation's report is published. The app that knows
the condition registers a check here from its ``AppConfig.ready`` (as ``planning`` registers its approval chains
in ``councils.approvals``); ``instrument_submit`` asks every registered check and refuses with the first reason.

A registry rather than a signal: a refusal is a rule of the domain, not decoupled work (STYLE.md, habit 14), and
the order and outcome of the checks stay explicit and testable.

    submission.register(consultation_report_published)   # (instrument) -> str | None, the Spanish reason
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], "str | None"]

_checks: list[Check] = []


def register(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def refusal(instrument: Any) -> str | None:
    """The first reason a registered check gives against submitting ``instrument``, or None."""
    for check in _checks:
        reason = check(instrument)
        if reason:
            return reason
    return None
