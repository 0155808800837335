"""CSV and XLSX exports of the public portfolio as filtered, through the portal's formula-safe writer.

``implan.exports`` neutralises any text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return;
amounts and coordinates go out as numbers, so a negative longitude stays a number and is not mistaken for text.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from implan.models import PUBLIC_RECORD_STATES
from projects.models import Project


def header() -> list[str]:
    return [
        _("Clave"),
        _("Título"),
        _("Estado"),
        _("Estrategia"),
        _("Programa"),
        _("Dependencia responsable"),
        _("Territorio"),
        _("Órgano que lo propuso"),
        _("Puntaje de prioridad"),
        _("Avance físico (%)"),
        _("Costo estimado (MXN)"),
        _("Personas beneficiarias"),
        _("Latitud"),
        _("Longitud"),
        _("Problema"),
    ]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def rows(projects: QuerySet[Project]) -> Iterator[list[Any]]:
    """One row per project, streamed in chunks (no query per row)."""
    queryset = projects.select_related("strategy", "programme", "agency", "territory", "origin_body")
    for p in queryset.iterator(chunk_size=2000):
        # A programme still in draft or under review is not named in public.
        programme = str(p.programme) if p.programme_id and p.programme.state in PUBLIC_RECORD_STATES else ""
        yield [
            p.code,
            p.title,
            str(p.get_status_display()),
            p.strategy.name if p.strategy_id else "",
            programme,
            p.agency.name if p.agency_id else "",
            p.territory.name,
            p.origin_body.name if p.origin_body_id else "",
            _number(p.priority_score),
            _number(p.physical_progress),
            _number(p.estimated_cost),
            p.beneficiaries,
            _number(p.latitude),
            _number(p.longitude),
            p.problem,
        ]
