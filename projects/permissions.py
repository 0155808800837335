"""Who may see and do what in the portfolio.

- Planners (and administrators) see every project and run the lifecycle.
- A liaison (``enlace``) reports progress only on projects of the agencies they are granted (``AgencyLiaison``).
- A member of a proposing council proposes in its name and follows that council's proposals.
- Everyone sees the published portfolio (``PUBLIC_STATUSES``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from councils.models import Membership
from implan import roles
from implan.permissions import has_role, is_planner
from projects.models import PROPOSING_BODY_KINDS, PUBLIC_STATUSES, AgencyLiaison, Project


def liaison_agency_ids(user: Any) -> QuerySet:
    """Ids of the agencies the user reports for (a subquery)."""
    return AgencyLiaison.objects.filter(user=user).values("agency_id")


def can_report_progress(user: Any, project: Project) -> bool:
    """Planners on any project; a liaison only on projects of an agency they are granted."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_planner(user):
        return True
    return (
        project.agency_id is not None
        and has_role(user, roles.AGENCY_LIAISON)
        and AgencyLiaison.objects.filter(user=user, agency_id=project.agency_id).exists()
    )


def proposing_memberships(user: Any) -> QuerySet[Membership]:
    """The user's current seats on bodies that may propose projects."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.current()
        .filter(person__user=user, body__kind__in=PROPOSING_BODY_KINDS, body__is_active=True)
        .select_related("body", "person")
        .order_by("body__name")
    )


def visible_projects(user: Any) -> QuerySet[Project]:
    """Projects the user may open in the workspace: all for planners; otherwise the published ones, their agency's,
    and those proposed by their councils or by themselves."""
    projects = Project.objects.all()
    if is_planner(user):
        return projects
    if not user.is_authenticated:
        return projects.public()
    bodies = Membership.objects.current().filter(person__user=user).values("body_id")
    return projects.filter(
        Q(status__in=PUBLIC_STATUSES)
        | Q(agency__in=liaison_agency_ids(user))
        | Q(origin_body__in=bodies)
        | Q(proposed_by__user=user)
    )


def liaison_projects(user: Any) -> QuerySet[Project]:
    """The projects the user reports on as liaison (their agencies' projects)."""
    if not user.is_authenticated or not has_role(user, roles.AGENCY_LIAISON):
        return Project.objects.none()
    return Project.objects.filter(agency__in=liaison_agency_ids(user))
