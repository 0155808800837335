"""The open-data hub: every file the portal publishes, with its format, licence and last update.

Part of the site layer: it lists the files of every app. The last update of a file is the newest change recorded in
the history of the models it is made from (one query per model), or the publication date of the instrument.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from consultations.models import Answer, Consultation, Contribution, Forum, Proposal, ProposalCall
from councils.models import Body, Membership, Minutes, Person, Resolution, Session, Vote
from implan.models import LifecycleState, Territory
from indicators.models import Indicator, Observation
from planning.models import Budget, BudgetLine, MirIndicator, MirRow, Programme
from projects.models import Allocation, Milestone, ProgressUpdate, Project


@dataclass(frozen=True)
class DataFile:
    title: Any
    description: Any
    format: str
    url: str
    updated: datetime.datetime | None


@dataclass(frozen=True)
class Dataset:
    title: Any
    files: list[DataFile]


def last_change(*sources: type[models.Model]) -> datetime.datetime | None:
    dates = [
        model.history.aggregate(  # type: ignore[attr-defined]  # django-simple-history's manager
            last=Max("history_date")
        )["last"]
        for model in sources
    ]
    return max((d for d in dates if d is not None), default=None)


def datasets() -> list[Dataset]:
    councils = last_change(Body, Membership, Person, Session, Resolution, Minutes, Vote)
    portfolio = last_change(Project, Milestone, ProgressUpdate, Allocation)
    indicators = last_change(Indicator, Observation)
    territories = last_change(Territory)
    consultations = last_change(Consultation, Forum, Contribution, Answer)
    proposals = last_change(ProposalCall, Proposal)
    return [
        Dataset(
            _("Órganos, integrantes, sesiones y votaciones"),
            [
                DataFile(
                    _("Órganos, personas, membresías y votaciones"),
                    _("Popolo (JSON), el estándar abierto de órganos legislativos y de gobierno."),
                    "JSON (Popolo)",
                    reverse("councils:popolo"),
                    councils,
                ),
                DataFile(
                    _("Calendario de sesiones"),
                    _("Para suscribirse desde cualquier agenda."),
                    "iCalendar",
                    reverse("councils:sessions_ics"),
                    councils,
                ),
                DataFile(
                    _("Órganos"),
                    _("Lista de órganos del sistema de planeación."),
                    "CSV",
                    reverse("councils:bodies_csv"),
                    councils,
                ),
                DataFile(
                    _("Integrantes vigentes"),
                    _("Nombre, órgano, cargo y sector; sin datos de contacto."),
                    "CSV",
                    reverse("councils:members_csv"),
                    councils,
                ),
                DataFile(
                    _("Acuerdos"),
                    _("Todos los acuerdos con su órgano, número y fecha."),
                    "CSV",
                    reverse("councils:resolutions_csv"),
                    councils,
                ),
            ],
        ),
        Dataset(
            _("Cartera de proyectos estratégicos"),
            [
                DataFile(
                    _("Cartera publicada"),
                    _("Paquete de proyectos OC4IDS (infraestructura y contrataciones abiertas)."),
                    "JSON (OC4IDS)",
                    reverse("projects:oc4ids"),
                    portfolio,
                ),
                DataFile(
                    _("Ubicación de los proyectos"),
                    _("Puntos del mapa de proyectos."),
                    "GeoJSON",
                    reverse("projects:project_geojson"),
                    portfolio,
                ),
                DataFile(
                    _("Lista de proyectos"),
                    _("La lista pública de proyectos."),
                    "CSV",
                    reverse("projects:project_export", args=["csv"]),
                    portfolio,
                ),
                DataFile(
                    _("Lista de proyectos"),
                    _("La lista pública de proyectos."),
                    "XLSX",
                    reverse("projects:project_export", args=["xlsx"]),
                    portfolio,
                ),
            ],
        ),
        Dataset(_("Presupuesto"), list(_budget_files())),
        Dataset(_("Matrices de Indicadores para Resultados (MIR)"), list(_mir_files())),
        Dataset(
            _("Consultas públicas"),
            [
                DataFile(
                    _("Consultas públicas"),
                    _("Cada consulta con su instrumento, periodo, estado y secciones."),
                    "JSON",
                    reverse("consultations:opendata_json"),
                    consultations,
                ),
                DataFile(
                    _("Aportaciones publicadas"),
                    _("Comentarios publicados y aportaciones de foros, con su respuesta; sin datos de contacto."),
                    "CSV",
                    reverse("consultations:opendata_csv"),
                    consultations,
                ),
            ],
        ),
        Dataset(
            _("Propuestas ciudadanas"),
            [
                DataFile(
                    _("Propuestas ciudadanas"),
                    _("Cada propuesta publicada con su lugar, tema, estado y proyecto; sin datos de contacto."),
                    "JSON",
                    reverse("consultations:proposals_json"),
                    proposals,
                ),
                DataFile(
                    _("Propuestas ciudadanas"),
                    _("Las mismas propuestas, una por fila."),
                    "CSV",
                    reverse("consultations:proposals_csv"),
                    proposals,
                ),
            ],
        ),
        Dataset(
            _("Indicadores de desarrollo"),
            [
                DataFile(
                    _("Indicadores y observaciones"),
                    _("Paquete de datos Frictionless con esquemas de tabla."),
                    "JSON (Data Package)",
                    reverse("indicators:datapackage"),
                    indicators,
                ),
                *[
                    DataFile(title, "", fmt.upper(), reverse("indicators:export", args=[resource, fmt]), indicators)
                    for resource, title in (
                        ("indicadores", _("Catálogo de indicadores")),
                        ("observaciones", _("Observaciones")),
                    )
                    for fmt in ("csv", "xlsx")
                ],
            ],
        ),
        Dataset(
            _("Territorios"),
            [
                DataFile(
                    _("Catálogo de territorios"),
                    _(
                        "País, entidades, municipios, delegaciones, colonias y localidades: claves del INEGI, nivel, "
                        "clave del territorio al que pertenece, población con su año y fuente."
                    ),
                    fmt,
                    reverse(route),
                    territories,
                )
                for fmt, route in (("CSV", "indicators:territories_csv"), ("JSON", "indicators:territories_json"))
            ],
        ),
        Dataset(
            _("Publicaciones"),
            [
                DataFile(
                    _("Novedades"),
                    _("Planes, programas, presupuestos, informes y actas al publicarse."),
                    "Atom",
                    reverse("implan:feed"),
                    None,
                ),
            ],
        ),
    ]


def _mir_files() -> Iterable[DataFile]:
    updated = last_change(Programme, MirRow, MirIndicator)
    description = _(
        "Una fila por nivel e indicador de la MIR de cada programa publicado, con la clave del programa y del "
        "indicador, su ficha técnica, línea base y metas anuales."
    )
    yield DataFile(_("MIR de los programas"), description, "CSV", reverse("planning:mir_csv"), updated)
    yield DataFile(_("MIR de los programas"), description, "JSON", reverse("planning:mir_json"), updated)


def _budget_files() -> Iterable[DataFile]:
    budgets = (
        Budget.objects.filter(state=LifecycleState.PUBLISHED)
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year")
    )
    lines = dict(BudgetLine.history.values_list("budget_id").annotate(last=Max("history_date")))
    for budget in budgets:
        year = budget.fiscal_year.year
        updated = max(d for d in (budget.published_at, lines.get(budget.pk)) if d is not None)
        yield DataFile(
            _("Presupuesto %(year)s") % {"year": year},
            _("Fiscal Data Package: descriptor y líneas."),
            "JSON (Fiscal Data Package)",
            reverse("planning:budget_datapackage", args=[year]),
            updated,
        )
        yield DataFile(
            _("Líneas del presupuesto %(year)s") % {"year": year},
            "",
            "CSV",
            reverse("planning:budget_csv", args=[year]),
            updated,
        )
