"""Permission rows of the transparency obligations (``implan/portal/transparency/urls.py``): the pages and PNT files
are public; the due list is the planning staff's (administrators included), 403 for the other roles."""

from __future__ import annotations

from tests.permissions.matrix import FORBIDDEN, OK, Row, World, everyone, fixed, logged_in


def build(world: World) -> None:
    """The pages read whatever is published; an empty world is enough (each obligation shows «sin registros»)."""


ROWS: dict[str, Row] = {
    "transparency:index": Row(fixed("transparency:index"), everyone(OK)),
    "transparency:obligation": Row(fixed("transparency:obligation", "sesiones-del-ayuntamiento"), everyone(OK)),
    "transparency:obligation_xlsx": Row(fixed("transparency:obligation_xlsx", "presupuesto"), everyone(OK)),
    "transparency:due": Row(fixed("transparency:due"), logged_in(FORBIDDEN, planeador=OK, administrador=OK)),
}
