"""Permission rows of the indicators app: public pages and open data, the planners' workspace, loaded files.

The planeador of this world loaded the file; a loaded file does not exist for anyone outside planning (404).
"""

from __future__ import annotations

from indicators import jobs, services
from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory
from tests.permissions.matrix import DONE, FORBIDDEN, NOT_FOUND, OK, Row, World, everyone, fixed, logged_in, url


def build(world: World) -> None:
    """Adds a published indicator with data and a checked file (ready to confirm) loaded by the planeador."""
    leon = MunicipalityFactory()
    indicator = IndicatorFactory(code="MAT-01", slug="matriz-01")
    ObservationFactory(indicator=indicator, territory=leon, period="2020")
    job = services.import_job_create(
        actor=world.users["planeador"],
        file_name="matriz.csv",
        content=b"indicador,territorio,periodo,valor\nMAT-01,11020,2021,3\n",
        background=False,
    )
    jobs.run_job(job.pk)
    world.objects.update(indicator=indicator, job=job)


PLANNERS_PAGE = logged_in(FORBIDDEN, planeador=OK, administrador=OK)
PLANNERS_ACTION = logged_in(FORBIDDEN, planeador=DONE, administrador=DONE)
FILE_PAGE = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
FILE_ACTION = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)

ROWS: dict[str, Row] = {
    "indicators:dashboard": Row(fixed("indicators:dashboard"), everyone(OK)),
    "indicators:indicator_detail": Row(url("indicators:indicator_detail", "indicator", attr="slug"), everyone(OK)),
    "indicators:update_calendar": Row(fixed("indicators:update_calendar"), everyone(OK)),
    "indicators:datapackage": Row(fixed("indicators:datapackage"), everyone(OK)),
    "indicators:export": Row(fixed("indicators:export", "observaciones", "csv"), everyone(OK)),
    "indicators:workspace_catalogue": Row(fixed("indicators:workspace_catalogue"), PLANNERS_PAGE),
    "indicators:indicator_create": Row(fixed("indicators:indicator_create"), PLANNERS_PAGE),
    "indicators:workspace_indicator": Row(url("indicators:workspace_indicator", "indicator"), PLANNERS_PAGE),
    "indicators:indicator_update": Row(url("indicators:indicator_update", "indicator"), PLANNERS_PAGE),
    "indicators:indicator_breakdown_add": Row(
        url("indicators:indicator_breakdown_add", "indicator"),
        PLANNERS_ACTION,
        method="post",
        data={"name": "sexo", "categories": "Mujeres, Hombres"},
    ),
    "indicators:indicator_rate_define": Row(
        url("indicators:indicator_rate_define", "indicator"), PLANNERS_ACTION, method="post"
    ),
    "indicators:import_list": Row(fixed("indicators:import_list"), PLANNERS_PAGE),
    "indicators:import_detail": Row(url("indicators:import_detail", "job"), FILE_PAGE),
    "indicators:import_progress": Row(url("indicators:import_progress", "job"), FILE_PAGE),
    "indicators:import_confirm": Row(url("indicators:import_confirm", "job"), FILE_ACTION, method="post"),
    "indicators:import_discard": Row(url("indicators:import_discard", "job"), FILE_ACTION, method="post"),
    "indicators:import_retry": Row(url("indicators:import_retry", "job"), FILE_ACTION, method="post"),
    "indicators:export_selection": Row(fixed("indicators:export_selection"), PLANNERS_PAGE),
}
