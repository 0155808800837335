"""Reads of the citizen proposals' pages, map and open data (a fixed number of queries each).

Nothing here reads a proposer's e-mail: public rows are built from named fields (``PUBLIC_FIELDS``), never from
whole objects.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from consultations.models import PROPOSAL_PUBLIC_STATES, Proposal, ProposalCall

# What a public page or file may read of a proposal: no e-mail, no address hash, no moderator.
PUBLIC_FIELDS = (
    "id",
    "call_id",
    "title",
    "description",
    "author_name",
    "territory_id",
    "strategy_id",
    "latitude",
    "longitude",
    "state",
    "state_reason",
    "project_id",
    "created_at",
    "updated_at",
)
RELATED = ("call", "territory", "strategy", "project")


def public_calls() -> QuerySet[ProposalCall]:
    return ProposalCall.objects.public().annotate(
        published=Count("proposals", filter=Q(proposals__state__in=PROPOSAL_PUBLIC_STATES))
    )


def published_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.published().select_related(*RELATED).only(*PUBLIC_FIELDS, *_related_fields())


def _related_fields() -> tuple[str, ...]:
    return (
        "call__slug",
        "call__title",
        "call__state",
        "territory__name",
        "strategy__name",
        "strategy__number",
        "project__slug",
        "project__code",
        "project__title",
        "project__status",
    )


def proposal_url(proposal: Proposal) -> str:
    return reverse("consultations:proposal_detail", args=[proposal.call.slug, proposal.pk])


def geojson(proposals: QuerySet[Proposal]) -> dict[str, Any]:
    """The call's published proposals as GeoJSON points for the map (the map script builds popups as text)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
                "properties": {
                    "title": p.title,
                    "status": p.state,
                    "status_label": p.get_state_display(),
                    "territory": p.territory.name,
                    "url": proposal_url(p),
                },
            }
            for p in proposals
        ],
    }


OPEN_DATA_HEADER = [
    "id",
    "convocatoria",
    "titulo",
    "descripcion",
    "autor",
    "territorio",
    "tema",
    "latitud",
    "longitud",
    "estado",
    "razon_del_estado",
    "proyecto",
    "fecha_de_recepcion",
    "fecha_de_actualizacion",
]


def open_data_rows() -> list[list[Any]]:
    return [
        [
            p.pk,
            p.call.slug,
            p.title,
            p.description,
            p.author_name,
            p.territory.name,
            p.strategy.name,
            str(p.latitude),
            str(p.longitude),
            p.state,
            p.state_reason,
            p.public_project.code if p.public_project else "",
            p.created_at.isoformat(),
            p.updated_at.isoformat(),
        ]
        for p in published_proposals().order_by("created_at", "pk")
    ]


def open_data_json() -> list[dict[str, Any]]:
    return [dict(zip(OPEN_DATA_HEADER, row, strict=True)) for row in open_data_rows()]
