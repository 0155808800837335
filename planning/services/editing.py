"""The steps every write to a planning instrument shares: refuse one that is no longer a draft (the one draft check
of the plan, the diagnosis, programmes, budgets, annual reports and evaluations, of their imports and of the admin),
and stamp history with the actor and a reason (budgets, reports and evaluations; the plan's parts save through
``planning.services.plan``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.limits import require_text_limits
from implan.models import Approvable, LifecycleState


def stamp(obj: Any, actor: Any, reason: str) -> None:
    """History's reason and actor for the next save or delete (the middleware covers requests; this, the rest).

    Every save of these services is stamped first, so this is also where a text over its maximum is refused.
    """
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    require_text_limits(obj)


def require_draft(instrument: Approvable) -> None:
    """Only a draft is edited: an instrument in review awaits a vote, an approved one is frozen."""
    if instrument.state == LifecycleState.DRAFT:
        return
    if instrument.state == LifecycleState.IN_REVIEW:
        raise DomainError(
            _(
                "«%(i)s» está en revisión y no se puede modificar mientras espera la votación: retírelo "
                "de aprobación para editarlo."
            )
            % {"i": instrument}
        )
    raise DomainError(
        _("«%(i)s» (versión %(v)s) está %(state)s y no se puede modificar; inicie una nueva versión para editarlo.")
        % {"i": instrument, "v": instrument.version, "state": instrument.get_state_display().lower()}
    )


def in_draft(obj: models.Model, path: str = "") -> bool:
    """Whether the instrument owning ``obj`` (reached through the dotted foreign keys of ``path``; none: ``obj``
    itself) is a draft, the only state in which its content may change (see ``require_draft``)."""
    instrument: Any = obj
    for name in filter(None, path.split(".")):
        instrument = getattr(instrument, name)
    return instrument.state == LifecycleState.DRAFT
