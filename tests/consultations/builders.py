"""A consultation on a draft plan, ready for each test to take further."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from consultations import services
from consultations.models import Comment, Consultation
from tests.factories import StrategicPlanFactory

RULES = "Comente cada sección con respeto. Los comentarios se moderan antes de publicarse."


def draft_consultation(
    planner: Any, *, days_left: int = 10, slug: str = "leon-2040", sections: int = 2
) -> Consultation:
    plan = StrategicPlanFactory(slug=slug, title="Plan Municipal de Desarrollo León 2040")
    today = timezone.localdate()
    consultation = services.consultation_create(
        actor=planner,
        instrument=plan,
        title="Consulta del Plan León 2040",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=days_left),
        rules=RULES,
    )
    for n in range(1, sections + 1):
        services.section_add(actor=planner, consultation=consultation, title=f"Estrategia {n}")
    return consultation


def open_consultation(planner: Any, **kwargs: Any) -> Consultation:
    return services.consultation_open(actor=planner, consultation=draft_consultation(planner, **kwargs))


def comment(consultation: Consultation, *, n: int = 0, section: int = 0, email: str = "", **fields: Any) -> Comment:
    cache.clear()  # each comment from a fresh address and session: the rate limit is tested on its own
    data = {
        "author_name": f"Vecina {n}",
        "place": "Colonia Centro",
        "email": email or f"vecina{n}@correo-privado.example",
        "text": f"Propongo más arbolado en la calle {n}.",
        **fields,
    }
    return services.comment_submit(
        actor=None, section=consultation.sections.all()[section], address=f"10.0.0.{n}", session_key=f"s{n}", **data
    )


def close(consultation: Consultation, planner: Any) -> Consultation:
    """Move the period's end into the past, then close it."""
    Consultation.objects.filter(pk=consultation.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    consultation.refresh_from_db()
    return services.consultation_close(actor=planner, consultation=consultation)
