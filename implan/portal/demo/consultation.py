"""An open public consultation on a new draft of the diagnosis (2026 update), with comments in every state:
published, rejected with its reason, and one held for moderation. Fictional people; their e-mails are private."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.utils import timezone

from consultations import services
from consultations.models import Consultation, RejectionReason
from planning.models import Diagnosis, StrategicPlan
from planning.services.lifecycle import instrument_new_version

SLUG = "actualizacion-del-diagnostico-2026"
RULES = (
    "Esta consulta recoge opiniones sobre el borrador de la actualización 2026 del diagnóstico municipal.\n\n"
    "- Cualquier persona puede comentar una sección, con su nombre o un seudónimo.\n"
    "- Los comentarios se publican después de moderarlos; se rechazan los ofensivos, los que exponen datos "
    "personales de otras personas, la publicidad y los que no tratan del diagnóstico.\n"
    "- Al cerrar la consulta, el instituto responde cada aportación en el informe de la consulta."
)
# (section, name, place, text, decision): None keeps the comment held for moderation.
COMMENTS = [
    (0, "Mariana Soto", "Colonia Obregón", "Falta medir el arbolado urbano por colonia, no solo por delegación.", True),
    (1, "Vecino de Los Castillos", "Los Castillos", "El diagnóstico debería contar los viajes en bicicleta.", True),
    (2, "Don Ramiro", "San Juan de Dios", "Los datos de pobreza son de 2020; ¿habrá una actualización?", True),
    (1, "Promociones XYZ", "León", "¡Compre terrenos a meses sin intereses!", RejectionReason.ADVERTISING),
    (0, "Lucía", "Colonia Centro", "Propongo incluir el ruido como indicador de calidad de vida.", None),
]


def build_consultation(*, planner: Any, plan: StrategicPlan) -> None:
    if Consultation.objects.filter(slug=SLUG).exists():
        return
    published = Diagnosis.objects.filter(plan=plan).order_by("-version").first()
    assert published is not None  # the plan's builder made its diagnosis
    draft = cast(Diagnosis, instrument_new_version(instrument=published, actor=planner))
    draft.title = "Diagnóstico municipal 2026 (actualización)"
    draft._change_reason = "Datos de demostración"  # type: ignore[attr-defined]  # read by django-simple-history
    draft.save()
    today = timezone.localdate()
    consultation = services.consultation_create(
        actor=planner,
        instrument=draft,
        title="Actualización del diagnóstico 2026",
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=25),
        rules=RULES,
    )
    consultation.slug = SLUG
    consultation.save()
    services.sections_from_instrument(actor=planner, consultation=consultation)
    services.consultation_open(actor=planner, consultation=consultation)
    sections = list(consultation.sections.all())
    for n, (section, name, place, text, decision) in enumerate(COMMENTS, start=1):
        comment = services.comment_submit(
            actor=None,
            section=sections[section % len(sections)],
            author_name=name,
            place=place,
            email=f"participante{n}@correo-privado.example",
            text=text,
        )
        if decision is not None:
            accept = decision is True
            services.comment_moderate(
                actor=planner, comment=comment, accept=accept, reason="" if accept else str(decision)
            )
