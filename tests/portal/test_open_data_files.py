"""Every open-data file names the one configured licence, and every CSV download opens in Excel with its accents:
a UTF-8 byte-order mark first, then rows that Python's csv reads after decoding with utf-8-sig."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from consultations import proposals as proposal_services
from consultations import services as consultation_services
from councils.models import VoteOption
from councils.services import votes as vote_services
from implan.env import open_data_licence
from implan.models import LifecycleState
from projects.models import ProjectStatus
from tests.consultations.builders import comment, open_consultation
from tests.consultations.proposal_builders import call_world, propose
from tests.councils.builders import council, session_in_progress
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObservationFactory,
    ProgrammeFactory,
    ProjectFactory,
)
from tests.planning.mir_builders import complete_mir

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BOM = b"\xef\xbb\xbf"
HUB_ROW = re.compile(r'<th scope="row"><a href="([^"]+)">.*?</th>\s*<td>([^<]+)</td>', re.DOTALL)
OTHER_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Atribución 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


@pytest.fixture
def world(planner):
    """One published thing of each kind, with accents wherever people write them."""
    consultation = open_consultation(planner)
    said = comment(consultation, text="Más árboles en la colonia Álvaro Obregón, por favor.")
    consultation_services.comment_moderate(actor=planner, comment=said, accept=True)
    proposal = propose(call_world(planner), title="Parque en Álvaro Obregón")
    proposal_services.proposal_moderate(actor=planner, proposal=proposal, accept=True)
    c = council(size=3, slug="ayuntamiento")
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(
        actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba la pavimentación en San Juan de Abajo"
    )
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    leon = MunicipalityFactory()
    water = IndicatorFactory(code="SUS-01", name="Cobertura de agua potable en León")
    ObservationFactory(indicator=water, territory=leon, period="2024", period_start="2024-01-01", value=Decimal("95.1"))
    budget = BudgetFactory(state=LifecycleState.PUBLISHED, title="Presupuesto de egresos 2025")
    BudgetLineFactory(budget=budget, description="Pavimentación en San Juan de Abajo")
    ProjectFactory(status=ProjectStatus.IN_EXECUTION, title="Clínica en Álvaro Obregón", territory=leon)
    complete_mir(ProgrammeFactory(state=LifecycleState.PUBLISHED, name="Agua para Álvaro Obregón"))


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _hub_files(client) -> list[tuple[str, str]]:
    """(url, format) of every file the open-data page lists."""
    return HUB_ROW.findall(client.get(reverse("implan:open_data")).content.decode())


def _csv_routes(patterns: list, prefix: str = "") -> set[str]:
    """Names of the public routes that answer CSV, read from the URL resolver (a new one cannot be missed)."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            names |= _csv_routes(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern) and re.search(r"csv|exportar\.", str(pattern.pattern)):
            if not str(pattern.pattern).startswith(("espacio/", "admin/")):
                names.add(prefix + pattern.name)
    return names


def test_every_csv_download_starts_with_a_byte_order_mark_and_parses(client, world):
    csv_files = [url for url, fmt in _hub_files(client) if fmt == "CSV"]
    # bodies, members, resolutions, projects, budget lines, indicators, observations, consultations' contributions,
    # citizen proposals, territories, programmes' MIR
    assert len(csv_files) == 11
    for url in csv_files:
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8", url
        content = _body(response)
        assert content.startswith(BOM), url
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert len(rows) >= 2 and all(len(row) == len(rows[0]) for row in rows), url
        assert not rows[0][0].startswith("\ufeff"), url
    text = _body(client.get(reverse("councils:resolutions_csv"))).decode("utf-8-sig")
    assert "Órgano" in text and "pavimentación" in text


def test_every_csv_route_of_the_public_site_is_listed_on_the_open_data_page(client, world):
    listed = {resolve(url.split("?")[0]).view_name for url, fmt in _hub_files(client) if fmt == "CSV"}
    assert _csv_routes(get_resolver().url_patterns) - NOT_ON_THE_HUB == listed


# CSV routes the hub need not list, with the reason.
NOT_ON_THE_HUB = {
    # One consultation's report, linked from its page; every published contribution of every consultation is one
    # file on the hub (consultations:opendata_csv).
    "consultations:report_csv",
}


def test_the_workspace_export_of_a_selection_carries_the_mark_too(client, planner, world):
    client.force_login(planner)
    response = client.get(reverse("indicators:export_selection"), {"fmt": "csv"})
    assert _body(response).startswith(BOM)


def _oc4ids_validator() -> Draft4Validator:
    schemas = ROOT / "projects" / "schemas" / "oc4ids"
    package = json.loads((schemas / "project-package-schema.json").read_text())
    project = json.loads((schemas / "project-schema.json").read_text())
    registry = Registry().with_resources(
        [(s["id"], Resource(contents=s, specification=DRAFT4)) for s in (package, project)]
    )
    return Draft4Validator(package, registry=registry, format_checker=FormatChecker())


def _fiscal_validator() -> Draft4Validator:
    schema = ROOT / "planning" / "schemas" / "fiscal" / "fiscal-data-package.json"
    return Draft4Validator(json.loads(schema.read_text()))


def test_every_file_names_the_configured_licence_and_the_packages_still_validate(client, world, settings):
    settings.OPEN_DATA_LICENCE = OTHER_LICENCE
    licence = {"name": "CC-BY-4.0", "title": "Creative Commons Atribución 4.0", "path": OTHER_LICENCE["url"]}
    page = client.get(reverse("implan:open_data")).content.decode()
    assert f'<a href="{OTHER_LICENCE["url"]}" rel="license">Creative Commons Atribución 4.0</a>' in page
    assert "Libre Uso MX" not in page

    budget = client.get(reverse("planning:budget_datapackage", args=[2025])).json()
    assert budget["licenses"] == [licence]
    assert list(_fiscal_validator().iter_errors(budget)) == []
    assert client.get(reverse("indicators:datapackage")).json()["licenses"] == [licence]
    oc4ids = client.get(reverse("projects:oc4ids")).json()
    assert oc4ids["license"] == OTHER_LICENCE["url"]
    assert [e.message for e in _oc4ids_validator().iter_errors(oc4ids)] == []
    assert client.get(reverse("councils:popolo")).json()["meta"]["license"] == OTHER_LICENCE

    downloads = [url for url, fmt in _hub_files(client) if fmt in ("CSV", "XLSX")]
    assert len(downloads) == 14  # the eleven CSV and three XLSX
    for url in downloads:
        assert client.get(url)["Link"] == f'<{OTHER_LICENCE["url"]}>; rel="license"', url


def test_by_default_every_descriptor_names_libre_uso_mx(client, world):
    expected = [{"name": "Libre-Uso-MX", "title": "Libre Uso MX", "path": "https://www.datos.gob.mx/libreusomx"}]
    assert client.get(reverse("indicators:datapackage")).json()["licenses"] == expected
    assert client.get(reverse("planning:budget_datapackage", args=[2025])).json()["licenses"] == expected
    assert client.get(reverse("projects:oc4ids")).json()["license"] == expected[0]["path"]
    assert client.get(reverse("councils:popolo")).json()["meta"]["license"]["title"] == "Libre Uso MX"


@pytest.mark.parametrize(
    ("name", "url"),
    [("Libre Uso MX", "https://www.datos.gob.mx/libreusomx"), ("CC-BY-4.0", "creativecommons.org/licenses/by/4.0/")],
)
def test_a_licence_that_no_descriptor_could_carry_stops_the_portal_at_start(name, url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="OPEN_DATA_LICENCE"):
        open_data_licence(name=name, title="Licencia", url=url)
