"""A refused file's errors are summarised by kind, counted by the database, before its rows are listed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import jobs, services
from indicators.models import Frequency, ImportJob, ImportJobState
from tests.factories import IndicatorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    MunicipalityFactory()
    IndicatorFactory(code="POB-001", frequency=Frequency.YEARLY)


def unknown_territories(planner, *, codes: int, rows: int) -> ImportJob:
    """A file whose ``rows`` rows name ``codes`` codes the catalogue lacks (11101, 11102, …)."""
    lines = "".join(f"POB-001,{11101 + n % codes},{1900 + n // codes},1\n" for n in range(rows))
    content = f"indicador,territorio,periodo,valor\nPOB-001,11020,2020,5\n{lines}POB-001,11020,2021,x\n".encode()
    return services.import_file_now(actor=planner, file_name="colonias.csv", content=content)


def test_528_unknown_territory_rows_read_as_45_unknown_codes(world, planner):
    job = unknown_territories(planner, codes=45, rows=528)
    assert job.state == ImportJobState.REFUSED and job.counts["error"] == 529
    territories, values = job.error_summary
    assert territories == {
        "kind": "territorio_desconocido",
        "column": "territorio",
        "rows": 528,
        "keys": 45,
        "examples": [str(code) for code in range(11101, 11111)],
    }
    assert values == {"kind": "no_es_numero", "column": "valor", "rows": 1, "keys": 1, "examples": ["x"]}


def test_the_summary_comes_first_and_says_who_adds_territories_and_where(client, world, planner, superuser):
    job = unknown_territories(planner, codes=45, rows=528)
    client.force_login(planner)
    html = client.get(reverse("indicators:import_detail", args=[job.pk])).content.decode()
    summary = html.index("Resumen de los errores")
    assert summary < html.index("Vista previa por fila")
    assert (
        "<strong>45 claves de territorio desconocidas</strong> en 528 filas: 11101, 11102, 11103, 11104, 11105, "
        "11106, 11107, 11108, 11109, 11110 y 35 más."
    ) in html
    assert "<strong>1 valor que no es un número</strong> en 1 fila: x." in html
    assert (
        "lo da de alta la administración del portal, en el panel de administración: «Catálogos del instituto» › "
        "«Territorios»." in html
    )
    admin_catalogue = reverse("admin:implan_territory_changelist")
    assert admin_catalogue not in html  # a planner cannot add territories: no link they could not follow
    client.force_login(superuser)  # the demo's «admin»: the Django admin's permissions, not a role, add territories
    html = client.get(reverse("indicators:import_detail", args=[job.pk])).content.decode()
    assert f'<a href="{admin_catalogue}">Abrir el catálogo de territorios</a>' in html


def test_the_summary_is_one_query_and_the_page_costs_the_same_for_10_or_2000_bad_rows(client, world, planner):
    small, large = (unknown_territories(planner, codes=5, rows=10), unknown_territories(planner, codes=500, rows=2000))
    with CaptureQueriesContext(connection) as captured:
        jobs.error_summary(large)
    assert len(captured) == 1
    client.force_login(planner)

    def queries(job: ImportJob) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("indicators:import_detail", args=[job.pk])).status_code == 200
        return len(captured)

    assert queries(small) == queries(large)
