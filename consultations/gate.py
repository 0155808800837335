"""The approval gate: an instrument whose consultation is required is not sent to approval before the report of
its consultation is published.

Which kinds of instrument require one is a setting (``CONSULTATION_REQUIRED_FOR``, kind names as in planning's
URLs: ``plan``, ``diagnostico``, ``programa``, ``programa-de-gobierno``), since each state's planning law asks for it
of different instruments. ``planning`` cannot import this app (it sits below it), so the check is registered in
``planning.submission`` when the app starts, and ``planning.services.lifecycle.instrument_submit`` asks it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from consultations.instruments import consultable_kind
from consultations.models import Consultation, ConsultationState
from planning import submission


def report_required_refusal(instrument: Any) -> str | None:
    kind = consultable_kind(instrument)
    if kind is None or kind not in settings.CONSULTATION_REQUIRED_FOR:
        return None
    if Consultation.objects.for_instrument(instrument).filter(state=ConsultationState.REPORTED).exists():
        return None
    return _(
        "Esta versión requiere consulta pública: no puede enviarse a aprobación hasta que se publique el informe "
        "de su consulta."
    )


def register_gate() -> None:
    submission.register(report_required_refusal)
