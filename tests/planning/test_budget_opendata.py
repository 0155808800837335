"""A published budget's open data: a Fiscal Data Package valid against the official profile, whose CSV passes
``frictionless validate``, and whose figures are the budget's own."""

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

from implan.models import LifecycleState
from planning.models import BudgetExecution, ConacCatalogue, ConacEntry, FundingSource, SpendingChapter
from tests.factories import BudgetFactory, BudgetLineFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "planning" / "schemas" / "fiscal" / "fiscal-data-package.json"
FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture
def published():
    budget = BudgetFactory(state=LifecycleState.PUBLISHED, ceiling=Decimal("100000"))
    orphan = ProgrammeFactory(strategy=None, name="Programa, con «comillas» y coma")
    classified = BudgetLineFactory(
        budget=budget,
        approved_amount=Decimal("1234.56"),
        executed_amount=Decimal("1000.10"),
        partida=ConacEntry.objects.get(catalogue=ConacCatalogue.OBJECT, code="6140"),
        specific_partida="61401",
        subfunction=ConacEntry.objects.get(catalogue=ConacCatalogue.FUNCTIONAL, code="2.2.1"),
        modality=ConacEntry.objects.get(catalogue=ConacCatalogue.PROGRAMMATIC, code="K"),
        source=ConacEntry.objects.get(catalogue=ConacCatalogue.FUNDING, code="25"),
    )
    for quarter, exercised in ((1, "400.00"), (2, "1000.10")):
        BudgetExecution.objects.create(
            line=classified,
            quarter=quarter,
            modified=Decimal("1234.56"),
            committed=Decimal("1200"),
            accrued=Decimal("1100"),
            exercised=Decimal(exercised),
            paid=Decimal("300"),
        )
    BudgetLineFactory(
        budget=budget,
        programme=orphan,
        chapter=SpendingChapter.SERVICES,
        funding_source=FundingSource.FAISM,
        approved_amount=Decimal("99.99"),
        description='Concepto "citado"',
    )
    return budget


def _validator() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA.read_text()))


def test_the_descriptor_validates_against_the_fiscal_data_package_profile(client, published):
    descriptor = client.get(reverse("planning:budget_datapackage", args=[2025])).json()
    assert list(_validator().iter_errors(descriptor)) == []
    assert descriptor["fiscalPeriod"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert {m["phase"] for m in descriptor["model"]["measures"].values() if "phase" in m} == {
        "approved",
        "adjusted",
        "executed",
    }


def test_the_validator_really_checks(client, published):
    descriptor = client.get(reverse("planning:budget_datapackage", args=[2025])).json()
    descriptor["model"]["measures"]["aprobado"]["currency"] = "pesos"
    del descriptor["resources"][0]["schema"]
    assert len(list(_validator().iter_errors(descriptor))) >= 1


def test_the_package_passes_frictionless_validate(client, published, tmp_path):
    (tmp_path / "datapackage.json").write_bytes(client.get(reverse("planning:budget_datapackage", args=[2025])).content)
    (tmp_path / "lineas.csv").write_bytes(client.get(reverse("planning:budget_csv", args=[2025])).content)
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert report["valid"] is True, result.stdout[-3000:]
    assert result.returncode == 0
    assert report["tasks"][0]["stats"]["rows"] == 2


def test_frictionless_catches_a_broken_csv(client, published, tmp_path):
    """The check above can fail: an amount that is not a number is reported."""
    (tmp_path / "datapackage.json").write_bytes(client.get(reverse("planning:budget_datapackage", args=[2025])).content)
    content = client.get(reverse("planning:budget_csv", args=[2025])).content.decode()
    (tmp_path / "lineas.csv").write_text(content.replace("1234.56", "mil doscientos"))
    result = subprocess.run(
        [str(FRICTIONLESS), "validate", "--json", "datapackage.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert json.loads(result.stdout)["valid"] is False
    assert result.returncode != 0


def test_the_csv_carries_every_line_and_its_sums_are_the_budgets(client, published):
    response = client.get(reverse("planning:budget_csv", args=[2025]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert sum(Decimal(r["aprobado"]) for r in rows) == Decimal("1334.55")
    assert sum(Decimal(r["ejercido"]) for r in rows) == Decimal("1000.10")
    orphan = next(r for r in rows if r["capitulo"] == "3000")
    assert orphan["estrategia"] == "" and orphan["programa"] == "Programa, con «comillas» y coma"
    assert orphan["concepto"] == 'Concepto "citado"'
    assert orphan["fuente_nombre"] == "Aportaciones federales: FAISM (Ramo 33)"


@pytest.mark.parametrize("state", [LifecycleState.DRAFT, LifecycleState.APPROVED, LifecycleState.SUPERSEDED])
def test_only_a_published_budget_has_open_data(client, state):
    BudgetFactory(state=state)
    assert client.get(reverse("planning:budget_datapackage", args=[2025])).status_code == 404
    assert client.get(reverse("planning:budget_csv", args=[2025])).status_code == 404


def test_the_csv_carries_conacs_classifications_and_the_stages_per_quarter(client, published):
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("planning:budget_csv", args=[2025])).content.decode("utf-8-sig")))
    )
    line = next(r for r in rows if r["partida"])
    assert (line["capitulo"], line["cog_concepto"], line["partida"], line["partida_especifica"]) == (
        "6000",
        "6100",
        "6140",
        "61401",
    )
    assert (line["finalidad"], line["funcion"], line["subfuncion"]) == ("2", "2.2", "2.2.1")
    assert line["subfuncion_nombre"] == "Urbanización"
    assert (line["modalidad"], line["programa_presupuestario"]) == ("K", "K" + line["programa_clave"])
    assert (line["fuente_conac"], line["etiquetado"]) == ("25", "2")
    assert (line["ejercido_t1"], line["ejercido_t2"], line["pagado_t2"], line["ejercido_t3"]) == (
        "400.00",
        "1000.10",
        "300.00",
        "",
    )
    unclassified = next(r for r in rows if not r["partida"])
    assert unclassified["fuente_conac"] == "" and unclassified["comprometido_t1"] == ""
