"""A body's voting rules (majority and qualified majority, each with its base and percentage)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from councils.models import (
    Body,
    MajorityBase,
)
from councils.services.base import with_reason
from councils.services.votes import majority_rule_text
from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.permissions import is_administrator
from implan.types import Actor

# What an administrator edits: the fields compared to detect a concurrent save (implan.concurrency).
VOTING_RULES_FIELDS = ("majority_base", "majority_percent", "qualified_majority_base", "qualified_majority_percent")


@dataclass(frozen=True)
class VotingRules:
    """How a body's majorities are counted: a percentage of a base, for simple and for qualified majorities."""

    majority_base: str
    majority_percent: Decimal
    qualified_majority_base: str
    qualified_majority_percent: Decimal

    @classmethod
    def of(cls, body: Body) -> VotingRules:
        return cls(
            majority_base=body.majority_base,
            majority_percent=body.majority_percent,
            qualified_majority_base=body.qualified_majority_base,
            qualified_majority_percent=body.qualified_majority_percent,
        )

    def simple_text(self) -> str:
        return majority_rule_text(base=self.majority_base, required_percent=self.majority_percent, qualified=False)

    def qualified_text(self) -> str:
        return majority_rule_text(
            base=self.qualified_majority_base, required_percent=self.qualified_majority_percent, qualified=True
        )

    def describe(self) -> str:
        return _("mayoría simple: %(simple)s; mayoría calificada: %(qualified)s") % {
            "simple": self.simple_text(),
            "qualified": self.qualified_text(),
        }

    def as_data(self) -> dict[str, str]:
        return {field.name: str(getattr(self, field.name)) for field in fields(self)}


def can_set_voting_rules(user: Actor) -> bool:
    return is_administrator(user)


def _check_voting_rules(rules: VotingRules) -> VotingRules:
    if {rules.majority_base, rules.qualified_majority_base} - set(MajorityBase.values):
        raise DomainError(_("Elija la base de cada mayoría entre las opciones ofrecidas."))
    for percent in (rules.majority_percent, rules.qualified_majority_percent):
        if not Decimal("0") <= percent <= Decimal("100"):
            raise DomainError(_("Cada porcentaje debe estar entre 0 y 100; se recibió %(p)s.") % {"p": percent})
    if rules.qualified_majority_percent < rules.majority_percent:
        raise DomainError(_("La mayoría calificada no puede pedir menos que la simple."))
    cents = Decimal("0.01")
    return replace(
        rules,
        majority_percent=rules.majority_percent.quantize(cents),
        qualified_majority_percent=rules.qualified_majority_percent.quantize(cents),
    )


@transaction.atomic
def body_set_voting_rules(*, actor: Actor, body: Body, rules: VotingRules, seen: dict[str, str] | None) -> Body:
    """Administrators set how a body's majorities are counted. Votes already open keep the rule they opened with.

    ``seen`` is the rules as the editor's form showed them: ``EditConflict`` (what changed, before → now) when
    someone else changed them meanwhile, and nothing is saved.
    """
    if not can_set_voting_rules(actor):
        raise PermissionDenied(_("Solo la administración fija las reglas de votación de los órganos."))
    body = Body.objects.select_for_update().get(pk=body.pk)
    check_unchanged(body, VOTING_RULES_FIELDS, seen)
    before = VotingRules.of(body)
    rules = _check_voting_rules(rules)
    if rules == before:
        return body
    names = [field.name for field in fields(VotingRules)]
    for name in names:
        setattr(body, name, getattr(rules, name))
    body._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history when it saves
    with_reason(body, _("Reglas de votación")).save(update_fields=names)
    event_record(
        actor=actor,
        subject=body,
        action="body_voting_rules_set",
        note=rules.describe(),
        data={"before": before.as_data(), "after": rules.as_data()},
    )
    return body


# --- Notice periods -----------------------------------------------------------------------------------------------

NOTICE_FIELDS = ("notice_hours_ordinary", "notice_hours_extraordinary")
# A week and a half: past it, a number typed in hours is surely a mistake (days typed as hours, an extra zero).
MAX_NOTICE_HOURS = 240


@transaction.atomic
def body_set_notice_periods(
    *, actor: Actor, body: Body, ordinary_hours: int, extraordinary_hours: int, seen: dict[str, str] | None
) -> Body:
    """Administrators set how long before an ordinary and an extraordinary session the body must be convened.

    Sessions already convened keep the reason (if any) they were convened with. ``seen``: as in
    ``body_set_voting_rules``.
    """
    if not can_set_voting_rules(actor):
        raise PermissionDenied(_("Solo la administración fija los plazos de convocatoria de los órganos."))
    body = Body.objects.select_for_update().get(pk=body.pk)
    check_unchanged(body, NOTICE_FIELDS, seen)
    for hours in (ordinary_hours, extraordinary_hours):
        if not 0 <= hours <= MAX_NOTICE_HOURS:
            raise DomainError(
                _("Cada plazo debe estar entre 0 y %(max)s horas; se recibió %(h)s.")
                % {"max": MAX_NOTICE_HOURS, "h": hours}
            )
    before = {"ordinary": body.notice_hours_ordinary, "extraordinary": body.notice_hours_extraordinary}
    after = {"ordinary": ordinary_hours, "extraordinary": extraordinary_hours}
    if before == after:
        return body
    body.notice_hours_ordinary, body.notice_hours_extraordinary = ordinary_hours, extraordinary_hours
    body._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history when it saves
    with_reason(body, _("Plazos de convocatoria")).save(update_fields=list(NOTICE_FIELDS))
    event_record(
        actor=actor,
        subject=body,
        action="body_notice_periods_set",
        note=_("ordinarias: %(o)s h; extraordinarias: %(e)s h") % {"o": ordinary_hours, "e": extraordinary_hours},
        data={"before": before, "after": after},
    )
    return body
