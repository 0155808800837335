"""CSV and XLSX exports of the filtered list, read back: formula injection neutralised, numbers kept."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from projects.models import ProjectStatus
from tests.factories import ProjectFactory
from tests.projects.builders import LEON_LAT, LEON_LON

pytestmark = pytest.mark.django_db
HOSTILE = {
    '=HYPERLINK("http://malo.example","clic")': '\'=HYPERLINK("http://malo.example","clic")',
    "+52 477 123": "'+52 477 123",
    "-2+3+cmd|' /C calc'!A0": "'-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1": "'\t=1+1",
}


@pytest.fixture
def hostile():
    return [
        ProjectFactory(
            code=f"PE-X{n}",
            title=title,
            status=ProjectStatus.IN_EXECUTION,
            latitude=LEON_LAT,
            longitude=LEON_LON,
            estimated_cost=Decimal("1250000.50"),
        )
        for n, title in enumerate(HOSTILE)
    ]


def _csv(client, **params):
    response = client.get(reverse("projects:project_export", args=["csv"]), params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_neutralises_formulas_and_keeps_numbers(client, hostile):
    header, *rows = _csv(client)
    assert header[:3] == ["Clave", "Título", "Estado"]
    titles = {row[0]: row[1] for row in rows}
    assert {titles[p.code] for p in hostile} == set(HOSTILE.values())
    row = rows[0]
    assert row[header.index("Longitud")] == "-101.684"  # a negative number is data, not a formula
    assert row[header.index("Costo estimado (MXN)")] == "1250000.5"


def test_xlsx_neutralises_formulas_and_keeps_numbers(client, hostile):
    response = client.get(reverse("projects:project_export", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for project in hostile:
        cell = cells[project.code][1]
        assert cell.value == HOSTILE[project.title]
        assert cell.data_type == "s"  # text, never a formula
    longitude = cells[hostile[0].code][header.index("Longitud")]
    assert (longitude.value, longitude.data_type) == (-101.684, "n")


def test_exports_follow_the_filters_and_skip_proposals(client):
    ProjectFactory(code="PE-A", title="Uno", status=ProjectStatus.IN_EXECUTION)
    ProjectFactory(code="PE-B", title="Dos", status=ProjectStatus.COMPLETED)
    ProjectFactory(code="PE-C", title="Propuesta", status=ProjectStatus.PROPOSED)
    assert [row[0] for row in _csv(client)[1:]] == ["PE-A", "PE-B"]
    assert [row[0] for row in _csv(client, estado="concluido")[1:]] == ["PE-B"]


def test_an_unknown_format_is_not_found(client):
    assert client.get(reverse("projects:project_export", args=["exe"])).status_code == 404
