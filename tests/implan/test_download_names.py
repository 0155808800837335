"""A download's name comes from slugs, codes and years the portal knows, quoted by Django: no parameter reaches it.

Every page of the portal that answers a file (found by asking every URL of the permission matrix) is requested with
hostile parameters; its Content-Disposition must stay one plain, quoted name.
"""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory
from tests.implan.test_control_characters import PARAMETERS
from tests.permissions.matrix import OK, ROLES, world_of
from tests.permissions.test_matrix import MODULES

pytestmark = pytest.mark.django_db

HOSTILE = 'a"; filename="evil.html; niño\\'  # quotes, a parameter, a backslash, an accent
ONE_PLAIN_NAME = re.compile(r"""^(attachment|inline); filename="[A-Za-z0-9._-]+"$""")
DOWNLOADS = {
    "indicators:export",
    "councils:sessions_ics",
    "councils:bodies_csv",
    "councils:members_csv",
    "councils:resolutions_csv",
    "planning:budget_csv",
    "planning:report_year_pdf",
    "planning:report_pdf_preview",
    "projects:project_export",
    "projects:evidence_file",
}


def _dispositions(client, module, hostile: str) -> dict[str, str]:
    """URL name → Content-Disposition of each file the module's URLs answer, asked with hostile parameters."""
    found = {}
    with transaction.atomic():
        world, _cookies = world_of(module)
        for name, row in module.ROWS.items():
            allowed = [role for role in ROLES if row.expected[role] == OK]
            if row.method != "get" or not allowed:
                continue
            client.logout()
            if world.users[allowed[0]] is not None:
                client.force_login(world.users[allowed[0]])
            response = client.get(row.url(world.objects), dict.fromkeys(PARAMETERS, hostile))
            if response.has_header("Content-Disposition"):
                found[name] = response["Content-Disposition"]
        transaction.set_rollback(True)
    return found


def test_every_download_keeps_one_plain_file_name_under_hostile_parameters(client):
    found = {}
    for module in MODULES:
        found.update(_dispositions(client, module, HOSTILE))
    assert set(found) >= DOWNLOADS
    assert {name: value for name, value in found.items() if not ONE_PLAIN_NAME.match(value)} == {}


@pytest.mark.parametrize(
    "path",
    [
        "/datos/indicadores/observaciones.csv",
        "/datos/indicadores/observaciones.xlsx",
        "/datos/indicadores/indicadores.csv",
        "/datos/indicadores/indicadores.xlsx",
        "/proyectos/exportar.csv",
        "/proyectos/exportar.xlsx",
    ],
)
def test_an_injected_file_name_does_not_reach_the_header(client, path):
    response = client.get(path, {"indicador": 'a"; filename="evil.html', "q": '"; filename="evil.html'})
    assert response.status_code == 200
    assert ONE_PLAIN_NAME.match(response["Content-Disposition"])
    assert "evil" not in response["Content-Disposition"]


def test_observations_are_named_after_the_published_indicators_found(client):
    water = IndicatorFactory(code="SUS-01")
    ObservationFactory(indicator=water, territory=MunicipalityFactory(), period="2020")
    response = client.get("/datos/indicadores/observaciones.csv", {"indicador": ["SUS-01", "../../etc/passwd"]})
    assert response["Content-Disposition"] == 'attachment; filename="observaciones-SUS-01.csv"'
    unknown = client.get("/datos/indicadores/observaciones.xlsx", {"indicador": "NO-EXISTE"})
    assert unknown["Content-Disposition"] == 'attachment; filename="observaciones.xlsx"'


def test_a_line_break_in_a_download_parameter_is_a_400_not_a_500(client):
    response = client.get("/datos/indicadores/observaciones.csv", {"indicador": "a\r\nSet-Cookie: x=1"})
    assert response.status_code == 400
    assert not response.has_header("Set-Cookie")
