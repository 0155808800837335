"""Who may see and change the planning instruments in the workspace.

Planners (and administrators) see and edit everything. The current members of a strategy's commission (or a user
holding ``planning.edit_strategy_content`` on that strategy) see their strategy and may change its objectives and
programmes, nothing else. Everyone else sees none of the workspace's plan pages.

Budgets, annual reports and evaluations are written by the planning staff alone: any other logged-in user gets 403
on their list and creation pages (they may know the section exists) and 404 on an instrument's own pages (drafts
are not theirs to see). Published versions are on the public site.

The portal's rule: not allowed to see → 404; allowed to see but not to change → 403.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from implan.permissions import deny_unless, hide_unless, is_planner, objects_for, require_planner
from planning.models import Programme, Strategy


def commission_strategies(user: Any) -> QuerySet[Strategy]:
    """Strategies whose content ``user`` may change as a current commission member (or by an explicit grant)."""
    if not user.is_authenticated or not user.is_active:
        return Strategy.objects.none()
    today = timezone.localdate()
    member = Q(commission__memberships__person__user=user, commission__memberships__start_date__lte=today) & (
        Q(commission__memberships__end_date__isnull=True) | Q(commission__memberships__end_date__gte=today)
    )
    granted = Q(pk__in=objects_for(user, "planning.edit_strategy_content", Strategy.objects.all()).values("pk"))
    return Strategy.objects.filter(pk__in=Strategy.objects.filter(member | granted).values("pk"))


def can_edit_strategy_content(user: Any, strategy: Strategy) -> bool:
    """Objectives and programmes of ``strategy``: planners, and its own commission."""
    return is_planner(user) or commission_strategies(user).filter(pk=strategy.pk).exists()


def require_strategy_content(user: Any, strategy: Strategy | None) -> None:
    """Service-side check (views check first to answer 404 or 403)."""
    if strategy is None:
        require_planner(user)
        return
    deny_unless(
        can_edit_strategy_content(user, strategy),
        _("Solo el cuerpo técnico o la comisión de esta estrategia pueden modificarla."),
    )


# --- Views: 404 for what the user may not see, 403 for what they may see but not change ----------------------


def may_see_strategy(user: Any, strategy: Strategy) -> bool:
    return can_edit_strategy_content(user, strategy)


def view_strategy(user: Any, strategy: Strategy) -> None:
    hide_unless(may_see_strategy(user, strategy))


def can_edit_programme(user: Any, programme: Programme) -> bool:
    """A programme's content (its MIR included): the same rule as ``require_strategy_content`` (planners, and the
    commission of its strategy; planners only for a programme without one)."""
    if programme.strategy is None:
        return is_planner(user)
    return can_edit_strategy_content(user, programme.strategy)


def view_programme(user: Any, programme: Programme) -> None:
    hide_unless(can_edit_programme(user, programme))


def planner_object(request: HttpRequest, queryset: models.QuerySet | type[models.Model], **lookup: Any) -> Any:
    """An instrument (or a part of one) for a planner; 404 for everyone else."""
    hide_unless(is_planner(request.user))
    return get_object_or_404(queryset, **lookup)
