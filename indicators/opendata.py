"""The indicators as a Frictionless Data Package: the catalogue and the observations, each with a Table Schema.

Spec: https://specs.frictionlessdata.io/data-package/ and /table-schema/ (v1). Resource paths are relative to the
descriptor's URL, so ``/datos/indicadores/datapackage.json`` points at ``indicadores.csv`` and
``observaciones.csv`` beside it. ``frictionless validate`` passes on it (tests/indicators/test_opendata.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from implan.licence import frictionless_licences
from implan.models import TerritoryKind
from indicators.exporting import CATALOGUE_COLUMNS, OBSERVATION_COLUMNS
from indicators.models import Family, Frequency, ObservationStatus, Polarity

CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._\-]*"
PERIOD_PATTERN = r"\d{4}(-(S[12]|T[1-4]|0[1-9]|1[0-2]))?"
INEGI_PATTERN = r"(\d{2}|\d{5}|\d{9})"
BREAKDOWN_PATTERN = r"total|[a-z0-9\-]+=[a-z0-9\-]+(;[a-z0-9\-]+=[a-z0-9\-]+)*"
SDG_LIST_PATTERN = r"(\d{1,2}(\.[0-9a-z]{1,2}){0,2})( \d{1,2}(\.[0-9a-z]{1,2}){0,2})*"


def _field(name: str, type_: str, title: str, description: str = "", **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "title": title}
    if description:
        field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def catalogue_schema() -> dict[str, Any]:
    fields = [
        _field(
            "clave", "string", "Clave", "Clave estable del indicador", required=True, unique=True, pattern=CODE_PATTERN
        ),
        _field("nombre", "string", "Nombre", required=True),
        _field("familia", "string", "Familia", required=True, enum=list(Family.values)),
        _field("tema", "string", "Tema"),
        _field("definicion", "string", "Definición", required=True),
        _field("formula", "string", "Fórmula o método de cálculo"),
        _field("unidad", "string", "Unidad de medida", required=True),
        _field(
            "sentido",
            "string",
            "Sentido",
            "ascendente: más es mejor; descendente: menos es mejor",
            required=True,
            enum=list(Polarity.values),
        ),
        _field("periodicidad", "string", "Periodicidad", required=True, enum=list(Frequency.values)),
        _field("fuente", "string", "Fuente", required=True),
        _field("desagregacion", "string", "Desagregación territorial", enum=list(TerritoryKind.values)),
        _field("responsable", "string", "Dependencia responsable"),
        _field(
            "ods", "string", "Claves ODS", "Claves oficiales de la ONU separadas por espacios", pattern=SDG_LIST_PATTERN
        ),
    ]
    assert [f["name"] for f in fields] == CATALOGUE_COLUMNS
    return {"fields": fields, "primaryKey": ["clave"], "missingValues": [""]}


def observations_schema() -> dict[str, Any]:
    fields = [
        _field("indicador", "string", "Clave del indicador", required=True, pattern=CODE_PATTERN),
        _field("clave_territorio", "string", "Clave del territorio en el portal", required=True),
        _field(
            "clave_inegi",
            "string",
            "Clave geoestadística del INEGI",
            "Entidad (2 dígitos), municipio (5) o localidad (9); vacía si el territorio no es una unidad del INEGI",
            pattern=INEGI_PATTERN,
        ),
        _field("territorio", "string", "Territorio", required=True),
        _field("tipo_territorio", "string", "Tipo de territorio", required=True, enum=list(TerritoryKind.values)),
        _field(
            "periodo",
            "string",
            "Periodo",
            "Año (2024), semestre (2024-S1), trimestre (2024-T3) o mes (2024-03)",
            required=True,
            pattern=PERIOD_PATTERN,
        ),
        _field("anio", "year", "Año", required=True),
        _field("inicio_periodo", "date", "Inicio del periodo", required=True),
        _field(
            "categorias",
            "string",
            "Categorías de la desagregación",
            "«total» para el indicador completo; si no, pares desagregación=categoría separados por «;», como "
            "«sexo=mujeres;grupo-de-edad=0-14». Las desagregaciones y sus categorías se declaran por indicador.",
            required=True,
            pattern=BREAKDOWN_PATTERN,
        ),
        _field(
            "valor",
            "number",
            "Valor",
            "Vacío cuando no hay dato («sin dato»): nunca se escribe cero en su lugar",
        ),
        _field("motivo_sin_dato", "string", "Motivo de la falta de dato", "Solo cuando el valor está vacío"),
        _field(
            "estatus",
            "string",
            "Estatus",
            "preliminar: el dato puede cambiar y no cuenta para tendencias ni semáforos hasta que sea definitivo",
            required=True,
            enum=list(ObservationStatus.values),
        ),
        _field("nota", "string", "Nota"),
    ]
    assert [f["name"] for f in fields] == OBSERVATION_COLUMNS
    return {
        "fields": fields,
        "primaryKey": ["indicador", "clave_territorio", "periodo", "categorias"],
        "foreignKeys": [{"fields": ["indicador"], "reference": {"resource": "indicadores", "fields": ["clave"]}}],
        "missingValues": [""],
    }


def datapackage(*, base_url: str) -> dict[str, Any]:
    """The descriptor; ``base_url`` is the site's address, for the homepage and the sources."""
    # The files are written by the portal's CSV helper: comma, CRLF, quotes doubled inside quoted cells, UTF-8 with a
    # byte-order mark for Excel (which frictionless reads as plain utf-8, the IANA name the spec asks for). The 1.0
    # profile requires ``delimiter`` and ``doubleQuote`` in every dialect.
    csv_dialect = {"delimiter": ",", "doubleQuote": True, "header": True, "lineTerminator": "\r\n"}
    return {
        "profile": "tabular-data-package",
        "name": "indicadores-de-desarrollo",
        "title": f"Indicadores de desarrollo — {settings.INSTITUTE_SHORT_NAME}",
        "description": (
            f"Catálogo de indicadores de desarrollo del {settings.INSTITUTE_NAME} y sus observaciones "
            f"por territorio y periodo ({settings.MUNICIPALITY_NAME})."
        ),
        "homepage": f"{base_url}/indicadores/",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": frictionless_licences(),
        "keywords": ["indicadores", "planeación", "ODS", "INEGI"],
        "resources": [
            {
                "name": "indicadores",
                "path": "indicadores.csv",
                "profile": "tabular-data-resource",
                "title": "Catálogo de indicadores",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": csv_dialect,
                "schema": catalogue_schema(),
            },
            {
                "name": "observaciones",
                "path": "observaciones.csv",
                "profile": "tabular-data-resource",
                "title": "Observaciones por indicador, territorio y periodo",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": csv_dialect,
                "schema": observations_schema(),
            },
        ],
    }
