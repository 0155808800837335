"""Boundaries (GeoJSON polygons) attached to territories by planners, validated before anything is kept.

A boundary must come from a cited source (the form asks for it; the portal ships none of its own). Checked: it is
a Polygon or MultiPolygon (bare, or in a Feature or a one-feature FeatureCollection); every ring has at least four
positions and is closed (its last position repeats its first); every position is a longitude and a latitude in
WGS84's range (a file in metres, as INEGI's Lambert or a UTM projection writes them, is refused, not guessed at);
and, when the territory's municipality (or another ancestor) has a boundary, it lies inside that one's box.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from implan.errors import DomainError
from implan.events import event_record
from implan.models import Territory
from implan.permissions import require_planner
from implan.types import Actor

MAX_POSITIONS = 200_000
# A box is compared with a margin (about 100 m): two sources of the same line rarely agree to the metre.
BOX_MARGIN = 0.001
WGS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "CRS84"}


def geometry_of(document: Any) -> dict[str, Any]:
    """The Polygon or MultiPolygon in a GeoJSON document; DomainError (in Spanish) when there is none."""
    if not isinstance(document, dict):
        raise DomainError(_("El archivo no es un objeto GeoJSON."))
    _check_crs(document)
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features") or []
        if len(features) != 1:
            raise DomainError(
                _("La colección tiene %(count)s elementos; suba uno solo, el límite de este territorio.")
                % {"count": len(features)}
            )
        return geometry_of(features[0])
    if kind == "Feature":
        return geometry_of(document.get("geometry"))
    if kind not in ("Polygon", "MultiPolygon"):
        raise DomainError(
            _("La geometría es de tipo «%(kind)s»; un límite es un Polygon o un MultiPolygon.") % {"kind": kind}
        )
    return {"type": kind, "coordinates": document.get("coordinates")}


def _check_crs(document: dict[str, Any]) -> None:
    name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    if name and name not in WGS84_NAMES:
        raise DomainError(
            _("El archivo está en el sistema de coordenadas «%(crs)s»; conviértalo a WGS84 (EPSG:4326).")
            % {"crs": name}
        )


def polygons_of(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise DomainError(_("La geometría no tiene coordenadas."))
    return coordinates if geometry["type"] == "MultiPolygon" else [coordinates]


def check_rings(geometry: dict[str, Any]) -> list[float]:
    """Every ring closed and in range; the geometry's box [west, south, east, north]."""
    west, south, east, north = math.inf, math.inf, -math.inf, -math.inf
    count = 0
    for p, polygon in enumerate(polygons_of(geometry), start=1):
        if not isinstance(polygon, list) or not polygon:
            raise DomainError(_("El polígono %(n)s no tiene anillos.") % {"n": p})
        for r, ring in enumerate(polygon, start=1):
            where = {"polygon": p, "ring": r}
            if not isinstance(ring, list) or len(ring) < 4:
                raise DomainError(
                    _("El anillo %(ring)s del polígono %(polygon)s tiene menos de cuatro puntos.") % where
                )
            for position in ring:
                lon, lat = _position(position, where)
                west, east, south, north = min(west, lon), max(east, lon), min(south, lat), max(north, lat)
            if ring[0][:2] != ring[-1][:2]:
                raise DomainError(
                    _(
                        "El anillo %(ring)s del polígono %(polygon)s no está cerrado: su último punto debe repetir el "
                        "primero."
                    )
                    % where
                )
            count += len(ring)
            if count > MAX_POSITIONS:
                raise DomainError(
                    _("El límite tiene más de %(max)s puntos; simplifíquelo antes de subirlo.") % {"max": MAX_POSITIONS}
                )
    return [west, south, east, north]


def _position(position: Any, where: dict[str, int]) -> tuple[float, float]:
    if (
        not isinstance(position, list)
        or len(position) < 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c) for c in position[:2])
    ):
        raise DomainError(
            _("El anillo %(ring)s del polígono %(polygon)s tiene un punto que no es [longitud, latitud].") % where
        )
    lon, lat = float(position[0]), float(position[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise DomainError(
            _(
                "El punto [%(lon)s, %(lat)s] está fuera del rango de WGS84 (longitud −180 a 180, latitud −90 a 90): "
                "el archivo parece estar en metros (una proyección como la Lambert del INEGI o UTM). Conviértalo a "
                "WGS84 (EPSG:4326)."
            )
            % {"lon": position[0], "lat": position[1]}
        )
    return lon, lat


def enclosing_box(territory: Territory) -> tuple[Territory, list[float]] | None:
    """The nearest ancestor with a boundary, and its box (at most four ancestors up)."""
    node = territory.parent
    for _step in range(4):
        if node is None:
            return None
        if node.bbox:
            return node, node.bbox
        node = node.parent
    return None


def check_inside(territory: Territory, box: list[float]) -> None:
    enclosing = enclosing_box(territory)
    if enclosing is None:
        return
    parent, (west, south, east, north) = enclosing
    m = BOX_MARGIN
    if box[0] < west - m or box[1] < south - m or box[2] > east + m or box[3] > north + m:
        raise DomainError(
            _(
                "El límite sale de la caja de %(parent)s (longitud %(west)s a %(east)s, latitud %(south)s a "
                "%(north)s): revise que sea de %(name)s y que las coordenadas estén como [longitud, latitud]."
            )
            % {
                "parent": parent.name,
                "name": territory.name,
                "west": round(west, 4),
                "east": round(east, 4),
                "south": round(south, 4),
                "north": round(north, 4),
            }
        )


def read_boundary(content: bytes) -> dict[str, Any]:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    # RecursionError: a document nested thousands of levels deep (5 MB of «[[[[…») is no boundary either.
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise DomainError(_("El archivo no es GeoJSON legible (JSON en UTF-8).")) from exc
    return geometry_of(document)


@transaction.atomic
def territory_boundary_set(*, actor: Actor, territory: Territory, content: bytes, source: str) -> Territory:
    """Attach a checked boundary, with its source, to the territory; history and an event row record it."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación puede subir límites."))
    if not source.strip():
        raise DomainError(_("Indique la fuente del límite: no se publica un polígono sin su origen."))
    geometry = read_boundary(content)
    box = check_rings(geometry)
    locked = (
        Territory.objects.select_for_update(of=("self",)).select_related("parent__parent__parent").get(pk=territory.pk)
    )
    check_inside(locked, box)
    locked.boundary, locked.bbox, locked.boundary_source = geometry, [round(c, 6) for c in box], source.strip()[:300]
    locked._change_reason = _("Límite de %(source)s") % {"source": locked.boundary_source}  # type: ignore[attr-defined]
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["boundary", "bbox", "boundary_source"])
    event_record(actor=actor, subject=locked, action="limite_cargado", note=locked.boundary_source)
    return locked
