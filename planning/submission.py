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
from dataclasses import dataclass
from typing import Any

Check = Callable[[Any], "str | None"]

_checks: list[Check] = []


@dataclass(frozen=True)
class PriorStep:
    """A step of an instrument's way to approval that a layer above planning keeps (its public consultation and the
    consultation's report): shown at the head of the approval chain, before the bodies' votes."""

    label: str
    state: str  # a code for the badge's style
    state_label: str
    url: str = ""  # the step's page in the workspace
    public_url: str = ""  # its public page, if any (the published report)
    public_label: str = ""


StepReader = Callable[[Any], list[PriorStep]]
_step_readers: list[StepReader] = []


def register_steps(reader: StepReader) -> None:
    if reader not in _step_readers:
        _step_readers.append(reader)


def prior_steps(instrument: Any) -> list[PriorStep]:
    """Every registered layer's steps for ``instrument``, in registration order."""
    return [step for reader in _step_readers for step in reader(instrument)]


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
