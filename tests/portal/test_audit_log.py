"""The audit log's pages: administrators read and filter every recorded change, with a constant number of queries;
nobody else sees the log or reverts a change (the revert service itself is tested in tests/implan/test_history_view.py).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AgencyFactory, ProgrammeFactory, edit

pytestmark = pytest.mark.django_db


def test_a_planner_cannot_revert(planner, client):
    agency = AgencyFactory(name="Original")
    edit(agency, user=planner, reason="cambio", name="Nuevo")
    client.force_login(planner)
    url = reverse("implan:history_revert", args=["implan.agency", agency.history.first().history_id])
    assert client.post(url).status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Nuevo"


def test_the_audit_log_page_shows_changes_and_is_refused_to_non_administrators(client, administrator, planner):
    agency = AgencyFactory(name="Dirección de Movilidad")
    edit(agency, user=planner, reason="Nombre oficial", name="Dirección General de Movilidad")
    client.force_login(planner)
    assert client.get(reverse("implan:audit_log")).status_code == 403
    client.force_login(administrator)
    page = client.get(reverse("implan:audit_log"), {"usuario": planner.username}).content.decode()
    assert "Nombre oficial" in page and "Dirección General de Movilidad" in page and "Revertir este cambio" in page
    bad = client.get(reverse("implan:audit_log"), {"desde": "2026-02-01", "hasta": "2026-01-01"}).content.decode()
    assert "posterior a la fecha" in bad


def test_the_audit_log_page_takes_the_same_queries_as_changes_grow(client, administrator, planner):
    def queries(n: int) -> int:
        for i in range(n):
            agency = AgencyFactory()
            edit(agency, user=planner, reason=f"r{i}", name=f"Dependencia {agency.pk}")
            ProgrammeFactory(name=f"Programa {i}", code=f"PX{n}-{i}")
        client.force_login(administrator)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("implan:audit_log")).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(60)
