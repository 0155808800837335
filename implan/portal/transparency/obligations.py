"""The transparency obligations that touch planning: what each asks (in plain Spanish), how often it is updated,
its own columns in the national platform's layout, where its records come from and which pages of the portal show
them. The article, fraction and responsible area of each come from settings (``TRANSPARENCY_OBLIGATIONS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from councils.models import BodyKind
from implan.portal.transparency import records
from implan.portal.transparency.records import Record


class Frequency(models.TextChoices):
    """How often an obligation's information must be brought up to date (its update calendar)."""

    QUARTERLY = "trimestral", _("Trimestral")
    YEARLY = "anual", _("Anual")
    PER_SESSION = "por_sesion", _("Por sesión (se informa cada trimestre)")


@dataclass(frozen=True)
class Link:
    label: Promise | str
    url: str


@dataclass(frozen=True)
class Obligation:
    key: str  # the key of TRANSPARENCY_OBLIGATIONS
    slug: str
    title: Promise
    gist: Promise
    frequency: Frequency
    columns: tuple[str, ...]  # the obligation's own columns, between the period and the responsible area
    read: Callable[[], list[Record]]
    pages: tuple[tuple[Promise, str], ...]  # (label, URL name) of the portal's pages that show the same
    note: Promise | str = ""  # the «Nota» of every row
    bodies: str = ""  # a BodyKind: its public bodies' pages are linked too

    @property
    def legal(self) -> dict[str, str]:
        return settings.TRANSPARENCY_OBLIGATIONS[self.key]

    @property
    def article(self) -> str:
        return self.legal["article"]

    @property
    def fraction(self) -> str:
        return self.legal["fraction"]

    @property
    def area(self) -> str:
        return self.legal["area"]

    @property
    def law(self) -> str:
        return settings.TRANSPARENCY_LAW

    def links(self) -> list[Link]:
        """The portal's pages on the same subject; with ``bodies``, each public body of that kind (one query)."""
        links = [Link(label=label, url=reverse(name)) for label, name in self.pages]
        if self.bodies:
            bodies = records.public_bodies_of(self.bodies).order_by("name")
            links += [Link(label=body.name, url=reverse("councils:body_detail", args=[body.slug])) for body in bodies]
        return links


# The own columns of each obligation keep the wording of the PNT formats (Lineamientos técnicos generales), which is
# fixed Spanish whatever the reader's language: a file loaded into the platform must carry these exact headers.
OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation(
        key="plan",
        slug="plan-municipal",
        title=_("Plan municipal de desarrollo y programas derivados"),
        gist=_(
            "El municipio debe publicar su plan de desarrollo y los programas que se derivan de él: qué se propone, "
            "cuándo se aprobó y publicó, y dónde leer el documento completo."
        ),
        frequency=Frequency.YEARLY,
        columns=(
            "Tipo de instrumento",
            "Denominación del plan o programa",
            "Clave o periodo",
            "Versión",
            "Fecha de aprobación",
            "Fecha de publicación",
            "Descripción breve de sus objetivos",
            "Hipervínculo al documento",
        ),
        read=records.plan_records,
        pages=(
            (_("Plan estratégico"), "planning:plan_public"),
            (_("Programa de gobierno"), "planning:government_plan_public_latest"),
        ),
    ),
    Obligation(
        key="metas",
        slug="metas-y-objetivos",
        title=_("Metas y objetivos"),
        gist=_(
            "Cada área debe publicar sus objetivos y las metas con que se miden: la línea base, el valor que se "
            "quiere alcanzar, en qué año, y cuánto se ha avanzado."
        ),
        frequency=Frequency.YEARLY,
        columns=(
            "Estrategia",
            "Objetivo institucional",
            "Meta",
            "Indicador asociado",
            "Línea base",
            "Año de la línea base",
            "Meta programada",
            "Año de la meta",
            "Avance (último valor)",
            "Periodo del último valor",
            "Hipervínculo",
        ),
        read=records.goal_records,
        pages=((_("Plan estratégico"), "planning:plan_public"),),
    ),
    Obligation(
        key="indicadores",
        slug="indicadores",
        title=_("Indicadores de resultados y de gestión"),
        gist=_(
            "Deben publicarse los indicadores que permiten rendir cuentas de los objetivos y resultados: qué mide "
            "cada uno, cómo se calcula, con qué frecuencia, su línea base, sus metas y su avance."
        ),
        frequency=Frequency.YEARLY,
        columns=(
            "Tipo de indicador",
            "Clave del indicador",
            "Nombre del indicador",
            "Dimensión a medir",
            "Definición del indicador",
            "Método de cálculo",
            "Unidad de medida",
            "Frecuencia de medición",
            "Línea base",
            "Metas programadas",
            "Avance de las metas",
            "Sentido del indicador",
            "Fuente de información",
            "Área responsable del indicador",
            "Hipervínculo",
        ),
        read=records.indicator_records,
        pages=(
            (_("Indicadores"), "indicators:dashboard"),
            (_("Calendario de actualización de indicadores"), "indicators:update_calendar"),
        ),
    ),
    Obligation(
        key="presupuesto",
        slug="presupuesto",
        title=_("Presupuesto asignado y su ejercicio trimestral"),
        gist=_(
            "Debe publicarse el presupuesto asignado y, cada trimestre, cuánto se ha modificado y ejercido, por "
            "programa, dependencia, capítulo del gasto y fuente de financiamiento."
        ),
        frequency=Frequency.QUARTERLY,
        columns=(
            "Clave del programa presupuestario",
            "Programa presupuestario",
            "Dependencia",
            "Capítulo del gasto",
            "Partida genérica",
            "Fuente de financiamiento",
            "Concepto",
            "Presupuesto aprobado",
            "Presupuesto modificado",
            "Presupuesto comprometido",
            "Presupuesto devengado",
            "Presupuesto ejercido",
            "Presupuesto pagado",
            "Hipervínculo al presupuesto",
        ),
        read=records.budget_records,
        pages=((_("Presupuesto"), "planning:budget_index"),),
        note=_(
            "Montos acumulados del 1 de enero a la fecha de término del periodo, por trimestre cerrado. Una línea sin "
            "registro trimestral informa solo lo aprobado, modificado y ejercido a la fecha de su último cambio."
        ),
    ),
    Obligation(
        key="consejo",
        slug="consejo-consultivo",
        title=_("Actas, opiniones y acuerdos del Consejo Consultivo"),
        gist=_(
            "Los consejos consultivos deben publicar las actas de sus sesiones, ordinarias y extraordinarias, y las "
            "opiniones y recomendaciones que emiten."
        ),
        frequency=Frequency.QUARTERLY,
        columns=(
            "Órgano colegiado",
            "Tipo de documento",
            "Fecha de la sesión o del acuerdo",
            "Tipo de sesión",
            "Número de sesión",
            "Número de acuerdo",
            "Orden del día o asunto",
            "Hipervínculo al documento",
        ),
        read=records.council_records,
        pages=((_("Órganos"), "councils:body_list"),),
        bodies=BodyKind.CONSULTATIVE_COUNCIL,
    ),
    Obligation(
        key="cabildo",
        slug="sesiones-del-ayuntamiento",
        title=_("Sesiones del Ayuntamiento: asistencia y votaciones"),
        gist=_(
            "El Ayuntamiento debe publicar las actas de sus sesiones de cabildo, la asistencia de cada integrante y "
            "el sentido del voto de cada uno en cada acuerdo."
        ),
        frequency=Frequency.PER_SESSION,
        columns=(
            "Número de sesión",
            "Tipo de sesión",
            "Fecha de la sesión",
            "Asunto votado",
            "Resultado de la votación",
            "Nombre del integrante",
            "Cargo",
            "Asistencia",
            "Sentido del voto",
            "Hipervínculo al acta",
        ),
        read=records.cabildo_records,
        pages=((_("Órganos"), "councils:body_list"),),
        bodies=BodyKind.AYUNTAMIENTO,
    ),
)
BY_SLUG = {o.slug: o for o in OBLIGATIONS}
