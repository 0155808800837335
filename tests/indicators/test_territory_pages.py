"""Territory pages: the planners' upload and preview, boundaries, the comparison page and the open-data catalogue."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from implan.models import Territory, TerritoryImport, TerritoryImportState, TerritoryKind
from indicators.territories import jobs
from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"


def _square(west: float, south: float, size: float, *, closed: bool = True) -> dict:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size]]
    return {"type": "Polygon", "coordinates": [ring + ([ring[0]] if closed else [])]}


def _chain() -> tuple[Territory, Territory, Territory]:
    mexico = TerritoryFactory(name="México", code="00", inegi_code="00", kind=TerritoryKind.PAIS)
    guanajuato = TerritoryFactory(
        name="Guanajuato", code="11", inegi_code="11", kind=TerritoryKind.ENTIDAD, parent=mexico
    )
    leon = MunicipalityFactory(parent=guanajuato, cve_ent="11", cve_mun="020")
    return mexico, guanajuato, leon


def test_a_planner_uploads_a_catalogue_sees_its_errors_by_row_and_nothing_is_saved(client, planner):
    client.force_login(planner)
    content = "cve_ent,nom_ent,cve_mun,nom_mun\n11,Guanajuato,20,León\n11,Guanajuato,XX,Silao\n".encode("cp1252")
    response = client.post(
        reverse("indicators:territory_import_list"),
        {"file": SimpleUploadedFile("municipios.csv", content), "population_year": 2020, "population_source": "INEGI"},
    )
    job = TerritoryImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "indicators:territory_import_detail", args=[job.pk]
    )
    jobs.run_job(job.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Rechazada" in page and "«XX» no es una clave válida" in page and "1 con error" in page
    assert not Territory.objects.exists()


def test_a_clean_catalogue_is_confirmed_from_its_page(client, planner):
    client.force_login(planner)
    content = "CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN,POB_TOTAL\n11,Guanajuato,020,León,1721215\n".encode()
    client.post(reverse("indicators:territory_import_list"), {"file": SimpleUploadedFile("m.csv", content)})
    job = TerritoryImport.objects.get()
    jobs.run_job(job.pk)
    page = client.get(reverse("indicators:territory_import_detail", args=[job.pk])).content.decode()
    assert "Confirmar y guardar" in page and "1 nueva" in page and "León" in page
    client.post(reverse("indicators:territory_import_confirm", args=[job.pk]))
    jobs.run_job(job.pk)
    assert TerritoryImport.objects.get().state == TerritoryImportState.DONE
    assert Territory.objects.get(code="11020").parent.name == "Guanajuato"
    progress = client.get(reverse("indicators:territory_import_progress", args=[job.pk])).json()
    assert progress["running"] is False and progress["percent"] == 100


def test_a_boundary_inside_its_municipality_is_kept_with_its_source(client, planner):
    _mexico, _guanajuato, leon = _chain()
    leon.bbox = [-101.9, 20.9, -101.4, 21.3]
    leon.save()
    colonia = TerritoryFactory(name="Col. Centro", kind=TerritoryKind.COLONIA, parent=leon, code="col-centro")
    client.force_login(planner)
    geojson = json.dumps({"type": "Feature", "geometry": _square(-101.69, 21.11, 0.01), "properties": {}})
    response = client.post(
        reverse("indicators:territory_boundary", args=[colonia.code]),
        {"file": SimpleUploadedFile("centro.geojson", geojson.encode()), "source": "Prueba, polígono de ejemplo"},
    )
    assert response.status_code == 302
    colonia.refresh_from_db()
    assert colonia.boundary["type"] == "Polygon" and colonia.bbox == [-101.69, 21.11, -101.68, 21.12]
    assert colonia.boundary_source == "Prueba, polígono de ejemplo"


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (_square(-101.69, 21.11, 0.01, closed=False), "no está cerrado"),
        (_square(227000, 2337000, 1000), "fuera del rango de WGS84"),
        (_square(-99.2, 19.3, 0.1), "sale de la caja de León"),
        ({"type": "Point", "coordinates": [-101.6, 21.1]}, "un límite es un Polygon o un MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[-101.6, 21.1], [-101.5, 21.1], [-101.6, 21.1]]]}, "menos de cuatro"),
    ],
)
def test_a_wrong_boundary_is_refused_in_spanish_and_nothing_changes(client, planner, geometry, message):
    _mexico, _guanajuato, leon = _chain()
    leon.bbox = [-101.9, 20.9, -101.4, 21.3]
    leon.save()
    colonia = TerritoryFactory(name="Col. Centro", kind=TerritoryKind.COLONIA, parent=leon, code="col-centro")
    client.force_login(planner)
    response = client.post(
        reverse("indicators:territory_boundary", args=[colonia.code]),
        {"file": SimpleUploadedFile("x.geojson", json.dumps(geometry).encode()), "source": "Prueba"},
    )
    assert response.status_code == 400 and message in response.content.decode()
    colonia.refresh_from_db()
    assert colonia.boundary is None and colonia.boundary_source == ""


def test_a_document_nested_too_deep_is_refused_in_spanish_not_a_server_error(client, planner):
    _mexico, _guanajuato, leon = _chain()
    client.force_login(planner)
    nested = b"[" * 200_000 + b"]" * 200_000
    response = client.post(
        reverse("indicators:territory_boundary", args=[leon.code]),
        {"file": SimpleUploadedFile("x.geojson", nested), "source": "Prueba"},
    )
    assert response.status_code == 400 and "no es GeoJSON legible" in response.content.decode()


def test_a_boundary_in_another_coordinate_system_is_refused(client, planner):
    _mexico, _guanajuato, leon = _chain()
    client.force_login(planner)
    document = {"type": "Feature", "crs": {"type": "name", "properties": {"name": "EPSG:6372"}}, "geometry": None}
    response = client.post(
        reverse("indicators:territory_boundary", args=[leon.code]),
        {"file": SimpleUploadedFile("x.geojson", json.dumps(document).encode()), "source": "Prueba"},
    )
    assert "«EPSG:6372»; conviértalo a WGS84" in response.content.decode()


def test_the_comparison_puts_leon_beside_guanajuato_mexico_and_chosen_municipalities(client, django_assert_num_queries):
    mexico, guanajuato, leon = _chain()
    silao = TerritoryFactory(name="Silao", code="11037", inegi_code="11037", kind="municipio", parent=guanajuato)
    irapuato = TerritoryFactory(name="Irapuato", code="11017", inegi_code="11017", kind="municipio")
    indicator = IndicatorFactory(code="SAL-01", slug="sal-01", name="Médicos por mil habitantes")
    for territory, value in [(leon, "2.1"), (guanajuato, "1.8"), (mexico, "2.4"), (silao, "1.1"), (irapuato, "1.5")]:
        ObservationFactory(indicator=indicator, territory=territory, period="2020", value=Decimal(value))
    ObservationFactory(indicator=indicator, territory=leon, period="2021", value=Decimal("2.2"))
    url = reverse("indicators:indicator_comparison", args=["sal-01"])
    client.get(url)  # warm the session-independent caches (content types, translations)
    with django_assert_num_queries(6):  # the indicator (3, with its SDG codes and goals), the chain, others, values
        page = client.get(url, {"con": "11037"}).content.decode()
    table = page[page.index("Tabla por periodo") :]
    assert table.index("León") < table.index("Guanajuato") < table.index("México") < table.index("Silao")
    assert "Irapuato" not in table  # offered, not chosen
    assert 'name="con" value="11017"' in page
    assert "Valores de 2021" in page  # the latest period the municipality has


def test_the_map_serves_polygons_where_there_are_and_points_elsewhere(client):
    _mexico, guanajuato, leon = _chain()
    guanajuato.boundary, guanajuato.boundary_source = _square(-102.1, 19.9, 1.5), "Prueba"
    guanajuato.save()
    indicator = IndicatorFactory(slug="sal-02")
    ObservationFactory(indicator=indicator, territory=leon, period="2020", value=Decimal("2"))
    ObservationFactory(indicator=indicator, territory=guanajuato, period="2020", value=Decimal("3"))
    features = client.get(reverse("indicators:indicator_map_geojson", args=["sal-02"])).json()["features"]
    kinds = {f["properties"]["name"]: f["geometry"]["type"] for f in features}
    assert kinds == {"León": "Point", "Guanajuato": "Polygon"}


def test_the_open_data_catalogue_has_keys_levels_parents_and_population(client):
    _mexico, _guanajuato, leon = _chain()
    leon.population, leon.population_year, leon.population_source = 1721215, 2020, "INEGI, Censo 2020"
    leon.save()
    response = client.get(reverse("indicators:territories_csv"))
    content = b"".join(response.streaming_content)
    assert content.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [(r["clave"], r["nivel"], r["clave_padre"]) for r in rows] == [
        ("00", "pais", ""),
        ("11", "entidad", "00"),
        ("11020", "municipio", "11"),
    ]
    assert (rows[2]["cve_ent"], rows[2]["cve_mun"], rows[2]["poblacion"], rows[2]["anio_poblacion"]) == (
        "11",
        "020",
        "1721215",
        "2020",
    )
    document = json.loads(b"".join(client.get(reverse("indicators:territories_json")).streaming_content))
    assert document["territorios"][2]["fuente_poblacion"] == "INEGI, Censo 2020"
    assert document["territorios"][2]["latitud"] == 21.122
    assert document["licencia"]["url"]


def test_the_boundary_page_is_found_by_inegi_key_from_the_load_page(client, planner):
    _chain()
    client.force_login(planner)
    response = client.get(reverse("indicators:territory_import_list"), {"limite": "11020"})
    assert response["Location"] == reverse("indicators:territory_boundary", args=["11020"])
    page = client.get(reverse("indicators:territory_import_list"), {"limite": "99999"}, follow=True)
    assert "No hay un territorio con la clave 99999." in page.content.decode()
