"""What every council service shares: who may run a body's sessions and memberships, the reason history records,
and how a percentage of a body's rules is read."""

from __future__ import annotations

import functools
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from councils.models import (
    Body,
)
from implan.limits import require_text_limits
from implan.permissions import has_object_perm
from implan.types import Actor


def can_manage_sessions(user: Actor, body: Body) -> bool:
    return has_object_perm(user, "councils.manage_sessions", body)


def can_manage_memberships(user: Actor, body: Body) -> bool:
    return user.is_active and user.has_perm("councils.manage_memberships", body)


def require_session_manager(actor: Actor, body: Body) -> None:
    if not can_manage_sessions(actor, body):
        raise PermissionDenied(_("Solo la secretaría técnica de este órgano puede hacerlo."))


def require_membership_manager(actor: Actor, body: Body) -> None:
    if not can_manage_memberships(actor, body):
        raise PermissionDenied(_("No tiene permiso para administrar las membresías de este órgano."))


def with_reason(obj: Any, reason: str) -> Any:
    """The object, refused if a text is over its maximum, with the reason django-simple-history records."""
    obj._change_reason = reason  # read by django-simple-history when the row is saved
    require_text_limits(obj)
    return obj


def percent_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@functools.cache
def percent_share(percent: Decimal) -> Fraction:
    """The share a percentage of the body's rules stands for, read at the two decimals it is typed with.

    Any share from 66.665 % up to (not including) 66.675 % reads as 66.67 %; the simplest of them, two thirds, is
    the one people mean, so 10 of 15 reach it. Taken literally, 6667/10000 of 15 is 10.0005 and «two thirds» would
    ask for 11. Likewise 33.33 is one third, 75 three quarters and 50 one half; a share with no simpler reading keeps
    its exact value (66.66 stays 66.66 %).
    """
    hundredths = int(percent.quantize(Decimal("0.01")) * 100)  # 66.67 → 6667
    low, high = 2 * hundredths - 1, 2 * hundredths + 1  # the shares that read as it: [low, high) / 20000
    for denominator in range(1, 10000):
        numerator = -(-low * denominator // 20000)  # the smallest numerator that reaches low
        if numerator * 20000 < high * denominator:
            return Fraction(numerator, denominator)
    return Fraction(hundredths, 10000)  # the typed value itself, always in the range
