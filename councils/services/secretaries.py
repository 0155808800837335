"""A body's technical secretaries: the object permissions an administrator grants and revokes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_user_perms, remove_perm

from councils import selectors
from councils.models import (
    Body,
)
from implan import roles
from implan.errors import DomainError
from implan.events import event_record
from implan.formatting import account_name
from implan.permissions import has_role, is_administrator
from implan.types import Actor


def _secretary_event(*, actor: Actor, body: Body, user: Actor, action: str, permissions: list[str]) -> None:
    event_record(
        actor=actor,
        subject=body,
        action=action,
        note=account_name(user),
        data={"user": user.pk, "username": user.get_username(), "permissions": permissions},
    )


def _locked_for_administrator(actor: Actor, body: Body) -> Body:
    if not is_administrator(actor):
        raise PermissionDenied(_("Solo la administración asigna y quita la secretaría técnica de los órganos."))
    return Body.objects.select_for_update().get(pk=body.pk)


@transaction.atomic
def body_secretary_grant(*, actor: Actor, body: Body, user: Actor) -> bool:
    """Make ``user`` a technical secretary of ``body``: they convene and conduct its sessions and keep its members.

    Administrators only; the account must be active and hold the «Secretaría técnica» role. Returns whether
    anything was granted: granting again changes nothing and records nothing.
    """
    body = _locked_for_administrator(actor, body)
    if not user.is_active or not has_role(user, roles.TECHNICAL_SECRETARY):
        raise DomainError(
            _(
                "La cuenta %(user)s no tiene el rol «Secretaría técnica»; asígneselo primero en la "
                "administración de cuentas."
            )
            % {"user": account_name(user)}
        )
    held = set(get_user_perms(user, body))
    missing = [p for p in selectors.SECRETARY_PERMISSIONS if p not in held]
    for codename in missing:
        assign_perm(f"councils.{codename}", user, body)
    if missing:
        _secretary_event(actor=actor, body=body, user=user, action="body_secretary_granted", permissions=missing)
    return bool(missing)


@transaction.atomic
def body_secretary_revoke(*, actor: Actor, body: Body, user: Actor) -> bool:
    """Take a body's technical secretary away from ``user`` (both permissions). Administrators only; returns whether
    the account held anything (revoking again changes nothing and records nothing)."""
    body = _locked_for_administrator(actor, body)
    held = set(get_user_perms(user, body))
    removed = [p for p in selectors.SECRETARY_PERMISSIONS if p in held]
    for codename in removed:
        remove_perm(f"councils.{codename}", user, body)
    if removed:
        _secretary_event(actor=actor, body=body, user=user, action="body_secretary_revoked", permissions=removed)
    return bool(removed)
