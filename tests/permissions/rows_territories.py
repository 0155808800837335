"""Permission rows of the territory pages (indicators app): catalogue loads, boundaries, comparison, open data.

The planeador of this world loaded the catalogue; a loaded catalogue does not exist for anyone outside planning
(404). The comparison page and the open-data files are public.
"""

from __future__ import annotations

from implan.models import TerritoryKind
from indicators.territories import jobs, services
from tests.factories import IndicatorFactory, ObservationFactory, TerritoryFactory
from tests.permissions.matrix import DONE, FORBIDDEN, NOT_FOUND, OK, Row, World, everyone, fixed, logged_in, url


def build(world: World) -> None:
    """Adds Guanajuato with data of a published indicator, and a checked catalogue loaded by the planeador."""
    guanajuato = TerritoryFactory(name="Guanajuato", code="11", inegi_code="11", kind=TerritoryKind.ENTIDAD)
    indicator = IndicatorFactory(code="MAT-TER", slug="matriz-territorios")
    ObservationFactory(indicator=indicator, territory=guanajuato, period="2020")
    job = services.territory_import_create(
        actor=world.users["planeador"],
        file_name="municipios.csv",
        content=b"CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN\n11,Guanajuato,37,Silao de la Victoria\n",
        background=False,
    )
    jobs.run_job(job.pk)
    world.objects.update(territory_job=job, territory=guanajuato, territory_indicator=indicator)


PLANNERS_PAGE = logged_in(FORBIDDEN, planeador=OK, administrador=OK)
FILE_PAGE = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
FILE_ACTION = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)

ROWS: dict[str, Row] = {
    "indicators:indicator_comparison": Row(
        url("indicators:indicator_comparison", "territory_indicator", attr="slug"), everyone(OK)
    ),
    "indicators:indicator_map_geojson": Row(
        url("indicators:indicator_map_geojson", "territory_indicator", attr="slug"), everyone(OK)
    ),
    "indicators:territories_csv": Row(fixed("indicators:territories_csv"), everyone(OK)),
    "indicators:territories_json": Row(fixed("indicators:territories_json"), everyone(OK)),
    "indicators:territory_import_list": Row(fixed("indicators:territory_import_list"), PLANNERS_PAGE),
    "indicators:territory_import_detail": Row(url("indicators:territory_import_detail", "territory_job"), FILE_PAGE),
    "indicators:territory_import_progress": Row(
        url("indicators:territory_import_progress", "territory_job"), FILE_PAGE
    ),
    "indicators:territory_import_confirm": Row(
        url("indicators:territory_import_confirm", "territory_job"), FILE_ACTION, method="post"
    ),
    "indicators:territory_import_discard": Row(
        url("indicators:territory_import_discard", "territory_job"), FILE_ACTION, method="post"
    ),
    "indicators:territory_boundary": Row(url("indicators:territory_boundary", "territory", attr="code"), PLANNERS_PAGE),
}
