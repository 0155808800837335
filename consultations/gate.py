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
from django.urls import reverse
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


def consultation_steps(instrument: Any) -> list[submission.PriorStep]:
    """The consultations of ``instrument`` for its approval chain (one query), each with its report once published;
    when one is required and none is reported yet, a step that says so."""
    steps = []
    for consultation in Consultation.objects.for_instrument(instrument).order_by("starts_on", "pk"):
        reported = consultation.state == ConsultationState.REPORTED
        steps.append(
            submission.PriorStep(
                label=_("Consulta pública «%(title)s»") % {"title": consultation.title},
                state=consultation.state,
                state_label=consultation.get_state_display(),
                url=reverse("consultations:workspace_detail", args=[consultation.pk]),
                public_url=reverse("consultations:report", args=[consultation.slug]) if reported else "",
                public_label=_("Informe de la consulta") if reported else "",
            )
        )
    kind = consultable_kind(instrument)
    required = kind is not None and kind in settings.CONSULTATION_REQUIRED_FOR
    if required and not any(step.state == ConsultationState.REPORTED for step in steps):
        steps.append(
            submission.PriorStep(
                label=_("Informe de la consulta pública (requerido antes de enviar a aprobación)"),
                state="falta",  # not a state of anything: the badge of a step still missing
                state_label=_("Pendiente"),
            )
        )
    return steps


def register_gate() -> None:
    submission.register(report_required_refusal)
    submission.register_steps(consultation_steps)
