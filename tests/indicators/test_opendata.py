"""Open data: the Frictionless Data Package validates against the official profile and with `frictionless validate`;
exports are formula-safe."""

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft4Validator
from openpyxl import load_workbook

from indicators.exporting import neutralise
from indicators.models import ObservationStatus
from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
PROFILE = Path(__file__).resolve().parents[2] / "indicators" / "schemas" / "frictionless" / "tabular-data-package.json"


@pytest.fixture
def data():
    leon = MunicipalityFactory()
    localidad = TerritoryFactory(code="110200001", inegi_code="110200001", name="León de los Aldama", kind="localidad")
    delegacion = TerritoryFactory(code="delegacion-norte", name="Delegación Norte", kind="delegacion")
    water = IndicatorFactory(code="SUS-01", name="Cobertura de agua", unit="%")
    water.sdg_codes.add(
        *__import__("indicators.models", fromlist=["SdgCode"]).SdgCode.objects.filter(code__in=["6", "6.1.1"])
    )
    crime = IndicatorFactory(code="CDV-02", name='=HYPERLINK("http://malo")', unit="por 100 mil")
    IndicatorFactory(code="OCULTO-1", is_published=False)
    for year, value in [(2020, "95.1"), (2021, "-3.5"), (2022, "96")]:
        ObservationFactory(
            indicator=water,
            territory=leon,
            period=str(year),
            period_start=f"{year}-01-01",
            value=Decimal(value),
            note="@SUMA(A1)" if year == 2021 else "",
        )
    ObservationFactory(indicator=water, territory=localidad, period="2022", period_start="2022-01-01", value=90)
    ObservationFactory(
        indicator=crime,
        territory=delegacion,
        period="2022",
        period_start="2022-01-01",
        value=21,
        status=ObservationStatus.PRELIMINARY,
    )
    return water


def test_the_data_package_validates_against_the_official_profile_and_with_frictionless(client, data, tmp_path):
    _validates(client, tmp_path)


def test_categories_missing_values_and_preliminary_periods_still_validate(client, data, tmp_path):
    leon = MunicipalityFactory()
    # Issue 17's fields: a category beside the total of the same key, and a missing value with its reason.
    ObservationFactory(
        indicator=data, territory=leon, period="2022", period_start="2022-01-01", value=97, breakdown="ambito=urbano"
    )
    ObservationFactory(
        indicator=data, territory=leon, period="2023", period_start="2023-01-01", value=None, missing_reason="Sin censo"
    )
    ObservationFactory(
        indicator=data, territory=leon, period="2024", period_start="2024-01-01", status=ObservationStatus.PRELIMINARY
    )
    fields = {f["name"]: f for f in _validates(client, tmp_path)["resources"][1]["schema"]["fields"]}
    assert "required" not in fields["valor"].get("constraints", {})
    assert {"categorias", "motivo_sin_dato"} <= set(fields)


def _validates(client, tmp_path) -> dict:
    descriptor = client.get(reverse("indicators:datapackage")).json()
    # `frictionless validate` checks the data but is lenient with the descriptor (it let a CSV dialect without the
    # required «doubleQuote» pass): the official profile checks the descriptor.
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft4Validator(json.loads(PROFILE.read_text())).iter_errors(descriptor)
    ]
    assert errors == []
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for resource in descriptor["resources"]:
        response = client.get(reverse("indicators:export", args=[resource["name"], "csv"]))
        (tmp_path / resource["path"]).write_bytes(b"".join(response.streaming_content))
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report["tasks"], ensure_ascii=False, indent=1)[:3000]
    assert {task["name"] for task in report["tasks"]} == {"indicadores", "observaciones"}
    assert all(task["stats"]["rows"] > 0 for task in report["tasks"])
    return descriptor


def test_the_schema_types_inegi_codes_as_patterned_strings_years_and_numbers(client, data):
    descriptor = client.get(reverse("indicators:datapackage")).json()
    fields = {f["name"]: f for f in descriptor["resources"][1]["schema"]["fields"]}
    assert fields["clave_inegi"]["type"] == "string" and fields["clave_inegi"]["constraints"]["pattern"]
    assert fields["anio"]["type"] == "year" and fields["valor"]["type"] == "number"
    assert descriptor["resources"][1]["schema"]["foreignKeys"][0]["reference"]["resource"] == "indicadores"


def test_the_data_package_breaks_when_a_value_breaks_its_schema(client, data, tmp_path):
    """The validation can fail: an INEGI code of the wrong length is caught."""
    TerritoryFactory(code="raro", inegi_code="1102", name="Código mal escrito", kind="colonia")
    ObservationFactory(indicator=data, territory__code="raro", period="2022", period_start="2022-01-01")
    descriptor = client.get(reverse("indicators:datapackage")).json()
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for resource in descriptor["resources"]:
        response = client.get(reverse("indicators:export", args=[resource["name"], "csv"]))
        (tmp_path / resource["path"]).write_bytes(b"".join(response.streaming_content))
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert not report["valid"]
    assert "constraint-error" in json.dumps(report)


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_exports_neutralise_formulas_but_keep_numbers_numeric(client, data):
    rows = _csv(client.get(reverse("indicators:export", args=["observaciones", "csv"])))
    note = next(r for r in rows if r["periodo"] == "2021")
    assert note["nota"] == "'@SUMA(A1)" and note["valor"] == "-3.5"
    catalogue = _csv(client.get(reverse("indicators:export", args=["indicadores", "csv"])))
    assert next(r for r in catalogue if r["clave"] == "CDV-02")["nombre"].startswith("'=HYPERLINK")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("indicators:export", args=["observaciones", "xlsx"])).content)
    )
    cells = list(workbook.active.iter_rows(values_only=True))
    negative = next(r for r in cells if r[5] == "2021")
    assert negative[9] == -3.5 and negative[12] == "'@SUMA(A1)"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@A1", "\tx", "\rx"])
def test_every_dangerous_start_is_neutralised(text):
    assert neutralise(text) == "'" + text
    assert neutralise(Decimal("-1")) == Decimal("-1")


def test_a_selection_exports_only_what_was_asked_and_never_unpublished_indicators(client, data):
    url = reverse("indicators:export", args=["observaciones", "csv"])
    rows = _csv(client.get(url, {"indicador": "SUS-01", "territorio": "11020", "desde": "2021"}))
    assert [(r["indicador"], r["periodo"]) for r in rows] == [("SUS-01", "2021"), ("SUS-01", "2022")]
    assert {r["clave"] for r in _csv(client.get(reverse("indicators:export", args=["indicadores", "csv"])))} == {
        "SUS-01",
        "CDV-02",
    }


def test_an_export_loads_back_unchanged(client, data, planner):
    from indicators.services import import_file_now

    content = b"".join(client.get(reverse("indicators:export", args=["observaciones", "csv"])).streaming_content)
    job = import_file_now(actor=planner, file_name="exportado.csv", content=content)
    assert job.counts["igual"] == 5 and job.counts["error"] == 0


def test_the_admin_export_is_formula_safe_too(data):
    from indicators.resources import IndicatorResource

    exported = IndicatorResource().export()
    names = exported["name"]
    assert any(name.startswith("'=HYPERLINK") for name in names)
