"""The one licence of the portal's open data (``settings.OPEN_DATA_LICENCE``), in the shape each format asks for.

The /datos/ page, the Frictionless and Fiscal data packages, the OC4IDS package, the Popolo file and every download
(through the HTTP ``Link: <…>; rel="license"`` header of RFC 4946, since a CSV has nowhere else to say it) all read
it from here, so they cannot disagree. Part of the core: it imports no app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from implan.types import ResponseT


@dataclass(frozen=True)
class Licence:
    name: str  # an identifier, as Frictionless requires ("CC-BY-4.0")
    title: str  # what people read ("Libre Uso MX")
    url: str


def open_data_licence() -> Licence:
    return Licence(**settings.OPEN_DATA_LICENCE)


def frictionless_licences() -> list[dict[str, str]]:
    """The ``licenses`` of a (Fiscal) Data Package descriptor."""
    licence = open_data_licence()
    return [{"name": licence.name, "title": licence.title, "path": licence.url}]


def popolo_meta() -> dict[str, dict[str, str]]:
    """Popolo defines no package metadata; a top-level ``meta`` object is the convention its publishers use."""
    licence = open_data_licence()
    return {
        "license": {"name": licence.name, "title": licence.title, "url": licence.url},
        "publisher": {"name": settings.INSTITUTE_NAME},
    }


def declare_licence(response: ResponseT) -> ResponseT:
    """Name the licence in the response's headers (for files that cannot carry it inside, like CSV and XLSX)."""
    response["Link"] = f'<{open_data_licence().url}>; rel="license"'
    return response
