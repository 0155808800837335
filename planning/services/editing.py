"""The steps every write to a budget, an annual report or an evaluation shares: refuse an instrument that is no
longer a draft (approved versions are frozen), and stamp history with the actor and a reason.

The plan's own parts follow their own steps (``planning.services.plan``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.limits import require_text_limits
from implan.models import Approvable


def stamp(obj: Any, actor: Any, reason: str) -> None:
    """History's reason and actor for the next save or delete (the middleware covers requests; this, the rest).

    Every save of these services is stamped first, so this is also where a text over its maximum is refused.
    """
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None
    require_text_limits(obj)


def require_editable(instrument: Approvable) -> None:
    if instrument.is_frozen or instrument.state != "borrador":
        raise DomainError(
            _("«%(name)s» está %(state)s y no se puede modificar; cree una nueva versión para cambiarlo.")
            % {"name": instrument, "state": instrument.get_state_display().lower()}
        )
