"""Template helpers of the plan's pages: the lifecycle actions an instrument offers to the person looking at it."""

from __future__ import annotations

from typing import Any

from django import template

from councils import approvals
from implan.errors import DomainError
from implan.models import LifecycleState
from implan.permissions import is_planner
from planning import submission
from planning.services.lifecycle import awaiting_body
from planning.versions import kind_of, version_in_preparation, versions_of, workspace_url

register = template.Library()
# The states in which the approval chain tells the planner something: before, during and right after approval.
CHAIN_STATES = (LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.APPROVED)


@register.simple_tag(takes_context=True)
def instrument_actions(context: template.Context, instrument: Any) -> dict[str, Any]:
    """What ``planning/workspace/partials/lifecycle_actions.html`` shows: state, whose vote it awaits, the buttons.

    There is no approve button: an instrument is approved only by the competent body's vote in session.
    """
    user = context["request"].user
    state = instrument.state
    planner = is_planner(user)
    versions = versions_of(instrument)
    newer = version_in_preparation(instrument, versions)
    is_newest = versions[0].pk == instrument.pk
    return {
        "kind": kind_of(instrument),
        "planner": planner,
        "can_submit": planner and state == LifecycleState.DRAFT,
        "can_withdraw": planner and state == LifecycleState.IN_REVIEW,
        "can_publish": planner and state == LifecycleState.APPROVED,
        "can_new_version": planner and is_newest and state in (LifecycleState.APPROVED, LifecycleState.PUBLISHED),
        "awaiting": awaiting_body(instrument) if state == LifecycleState.IN_REVIEW else None,
        "chain": _chain(instrument) if state in CHAIN_STATES else [],
        # Steps kept by the layers above (its public consultation and report), shown at the head of the chain.
        "prior_steps": submission.prior_steps(instrument) if state in CHAIN_STATES else [],
        "newer": newer,
        "newer_url": workspace_url(newer) if newer else None,
        "versions": versions,
        "previous": next((v for v in versions if v.version < instrument.version), None),
    }


def _chain(instrument: Any) -> list[approvals.ChainStep]:
    """Every body that must approve the instrument and where it stands with each (none when a body is missing)."""
    try:
        return approvals.approval_chain(instrument)
    except DomainError:  # a competent body is not registered yet
        return []


@register.filter
def state_label(code: str) -> str:
    """The Spanish label of a lifecycle state code (for event rows, which store codes)."""
    try:
        return str(LifecycleState(code).label)
    except ValueError:
        return code


@register.filter
def instrument_url(instrument: Any) -> str:
    return workspace_url(instrument) or ""
