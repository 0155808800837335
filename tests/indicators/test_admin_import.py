"""Indicators imported in the Django admin go through the catalogue's services; observations load in the workspace."""

import pytest
from django.contrib.auth.models import Permission

from implan.models import Event
from indicators.models import Indicator
from tests.admin_files import confirm, csv_file, imported, preview, row_errors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADERS = ["code", "name", "definition", "unit", "family", "polarity", "frequency", "source"]


def _row(code: str, *, family: str = "calidad_de_vida") -> list[str]:
    return [code, "Cobertura de agua", "Viviendas con agua entubada", "%", family, "ascendente", "anual", "INEGI"]


def test_an_imported_indicator_is_created_by_the_service_with_its_slug_and_event(client, superuser):
    client.force_login(superuser)
    response = confirm(
        client, Indicator, preview(client, Indicator, csv_file("indicadores.csv", [HEADERS, _row("AGUA-01")]))
    )
    assert imported(response)
    indicator = Indicator.objects.get(code="AGUA-01")
    assert indicator.slug == "agua-01-cobertura-de-agua"
    assert Event.objects.filter(action="indicador_creado", object_id=indicator.pk, actor=superuser).exists()


def test_an_indicator_family_written_as_its_label_is_refused(client, superuser):
    client.force_login(superuser)
    response = preview(
        client, Indicator, csv_file("indicadores.csv", [HEADERS, _row("AGUA-01", family="Calidad de vida")])
    )
    [message] = row_errors(response)
    assert message.startswith("«Calidad de vida» no es un valor válido de «familia».")
    assert not Indicator.objects.filter(code="AGUA-01").exists()


def test_a_staff_user_outside_the_planning_staff_cannot_edit_the_catalogue_by_file(client):
    staff = UserFactory(username="capturista", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="indicators", codename__in=["add_indicator", "change_indicator", "view_indicator"]
        )
    )
    client.force_login(staff)
    response = preview(client, Indicator, csv_file("indicadores.csv", [HEADERS, _row("AGUA-01")]))
    assert row_errors(response) == ["Solo el cuerpo técnico de planeación puede editar el catálogo de indicadores."]
    assert not Indicator.objects.filter(code="AGUA-01").exists()
