"""Who may see and act on which body in the workspace.

Seeing a body: its current members, whoever manages its sessions or memberships, and administrators (who set
every body's voting rules). Not allowed to see → 404;
allowed to see but not to act → 403 (the portal's rule, see implan.permissions).
"""

from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from councils.models import Body, Membership, Session
from councils.selectors import PUBLIC_SESSION_STATES
from implan.permissions import is_administrator, objects_with_any


def visible_bodies(user: Any) -> QuerySet[Body]:
    if not user.is_authenticated or not user.is_active:
        return Body.objects.none()
    if is_administrator(user):
        return Body.objects.all()
    today = timezone.localdate()
    member_of = Q(memberships__person__user=user, memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    secretary = ["councils.manage_sessions", "councils.manage_memberships"]
    managed = Q(pk__in=objects_with_any(user, secretary, Body.objects.all()).values("pk"))
    return Body.objects.filter(pk__in=Body.objects.filter(member_of | managed).values("pk"))


def sits_on(user: Any, body: Any) -> Exists:
    """Whether ``user`` holds a seat in force today on ``body`` (a body, its key or an ``OuterRef``): the first of
    ``visible_bodies``' reasons, as an expression to read with the row that names the body. When it holds, the user
    sees the body and nothing else needs asking (no roles, no permissions); when it does not, ask ``visible_bodies``
    (a secretary, an administrator)."""
    return Exists(Membership.objects.current().filter(person__user=user, body=body))


def get_visible_body(user: Any, **lookup: Any) -> Body:
    body = visible_bodies(user).filter(**lookup).first()
    if body is None:
        raise Http404
    return body


def session_is_public(session: Session) -> bool:
    """Whether anyone may see the session, its agenda, documents and packet: a public body's session, convened,
    under way or concluded (a cancelled one is not on the public record)."""
    return session.body.is_public and session.body.is_active and session.state in PUBLIC_SESSION_STATES


def can_see_session(user: Any, session: Session) -> bool:
    """A public session: everyone. Any other (a private body's, a cancelled one): whoever sees its body."""
    return session_is_public(session) or visible_bodies(user).filter(pk=session.body_id).exists()
