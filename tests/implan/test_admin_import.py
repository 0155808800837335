"""The admin's imports: validated rows, Spanish messages, all or nothing, and import only where a resource guards it.

Real CSV and XLSX files are posted to the admin's import pages as a staff user would (preview, then confirmation).
"""

import datetime

import pytest
import tablib
from django.contrib import admin
from django.urls import reverse

from councils.resources import MembershipResource
from implan.admin_base import PortalAdmin
from implan.models import Agency, Territory
from implan.resources import AgencyResource, TerritoryResource
from implan.resources_base import PortalResource
from tests.admin_files import can_confirm, confirm, csv_file, imported, preview, row_errors, xlsx_file
from tests.factories import AgencyFactory, MembershipFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

TERRITORY = ["code", "name", "kind", "inegi_code", "parent", "latitude", "longitude"]


def test_a_territory_kind_written_as_its_label_is_refused_with_the_values_to_use(client, superuser):
    client.force_login(superuser)
    rows = [TERRITORY, ["col-centro", "Centro", "Colonia", "", "", "", ""]]
    response = preview(client, Territory, csv_file("territorios.csv", rows))
    assert response.status_code == 200
    [message] = row_errors(response)
    assert message.startswith("«Colonia» no es un valor válido de «tipo». Escriba uno de estos: pais (País)")
    assert "colonia (Colonia o AGEB)" in message
    assert not Territory.objects.filter(code="col-centro").exists()


def test_a_repeated_inegi_code_is_refused_in_spanish_and_the_valid_rows_are_not_saved(client, superuser):
    TerritoryFactory(code="loc-1", inegi_code="110200001")
    client.force_login(superuser)
    rows = [
        TERRITORY,
        ["loc-2", "San Juan", "localidad", "110200002", "", "", ""],
        ["loc-3", "Duarte", "localidad", "110200001", "", "", ""],
    ]
    response = preview(client, Territory, xlsx_file("localidades.xlsx", rows))
    assert row_errors(response) == ["Otro territorio ya tiene esta clave INEGI."]
    assert not can_confirm(response)
    assert not Territory.objects.filter(code__in=["loc-2", "loc-3"]).exists()


def test_a_point_with_latitude_but_no_longitude_is_refused_in_spanish(client, superuser):
    client.force_login(superuser)
    rows = [TERRITORY, ["col-centro", "Centro", "colonia", "", "", "21.12", ""]]
    response = preview(client, Territory, csv_file("territorios.csv", rows))
    assert row_errors(response) == ["Indique latitud y longitud juntas, o ninguna."]


def test_an_unknown_parent_and_a_non_number_are_row_errors_not_tracebacks(client, superuser):
    client.force_login(superuser)
    rows = [TERRITORY, ["col-centro", "Centro", "colonia", "", "del-99", "veintiuno", "-101.68"]]
    response = preview(client, Territory, csv_file("territorios.csv", rows))
    assert sorted(row_errors(response)) == [
        "No existe territorio con la clave «del-99».",
        "«veintiuno» no es un número.",
    ]
    assert "Traceback" not in response.content.decode()


def test_a_file_without_the_key_column_is_refused_in_spanish(client, superuser):
    client.force_login(superuser)
    response = preview(client, Territory, csv_file("territorios.csv", [["name", "kind"], ["Centro", "colonia"]]))
    assert row_errors(response) == ["Falta la columna «code», que identifica cada registro."]
    page = response.content.decode()
    assert "Traceback" not in page and "import_id_fields" not in page


def test_yes_is_yes(client, superuser):
    """The library's own widget reads «sí» as false."""
    client.force_login(superuser)
    rows = [["slug", "name", "acronym", "is_active"], ["sapal", "Sistema de Agua Potable", "SAPAL", "sí"]]
    assert imported(confirm(client, Agency, preview(client, Agency, csv_file("dependencias.csv", rows))))
    assert Agency.objects.get(slug="sapal").is_active is True


def test_days_are_read_day_first(superuser):
    """04/03/2025 is the 4th of March in Mexico; Django's default input formats read it as April 3rd."""
    membership = MembershipFactory()
    dataset = tablib.Dataset(headers=["person", "body", "role", "sector", "has_vote", "start_date", "end_date"])
    dataset.append(
        [
            membership.person.slug,
            membership.body.slug,
            membership.role,
            membership.sector,
            "1",
            "01/01/2024",
            "04/03/2025",
        ]
    )
    result = MembershipResource().import_data(dataset, user=superuser)
    assert result.totals["update"] == 1
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 3, 4)


def test_a_value_that_is_neither_yes_nor_no_is_refused(client, superuser):
    client.force_login(superuser)
    rows = [["slug", "name", "acronym", "is_active"], ["sapal", "Sistema de Agua Potable", "SAPAL", "quizá"]]
    response = preview(client, Agency, csv_file("dependencias.csv", rows))
    assert row_errors(response) == ["«quizá» no es sí o no: escriba sí, no, 1 o 0."]


def test_a_duplicate_key_the_database_refuses_becomes_a_spanish_row_error_and_nothing_is_saved():
    """As when another person saves the same name between the row's validation and its insert."""

    class UncheckedAgencies(AgencyResource):
        def clean_instance(self, instance: Agency, exclude: object) -> None:
            pass  # the race: validation saw the name free

    AgencyFactory(slug="sapal", name="SAPAL")
    dataset = tablib.Dataset(
        ["implan", "IMPLAN", "", "1"],
        ["otro-sapal", "SAPAL", "", "1"],
        headers=["slug", "name", "acronym", "is_active"],
    )
    result = UncheckedAgencies().import_data(dataset, dry_run=False)
    [invalid] = result.invalid_rows
    assert invalid.error_dict["__all__"] == [
        "Ya existe otro registro de dependencias con el mismo valor en «nombre»; cada registro debe tener el suyo."
    ]
    assert not result.has_errors()
    assert not Agency.objects.filter(slug__in=["implan", "otro-sapal"]).exists()


def test_a_check_the_database_refuses_is_told_with_the_models_own_message():
    class UncheckedTerritories(TerritoryResource):
        def clean_instance(self, instance: Territory, exclude: object) -> None:
            pass  # only PostgreSQL's CHECK constraint stands in the way

    dataset = tablib.Dataset(["col-centro", "Centro", "colonia", "", "", "21.12", ""], headers=TERRITORY)
    [invalid] = UncheckedTerritories().import_data(dataset, dry_run=False).invalid_rows
    assert invalid.error_dict["__all__"] == ["Indique latitud y longitud juntas, o ninguna."]
    assert not Territory.objects.filter(code="col-centro").exists()


def test_the_import_pages_speak_spanish(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:implan_territory_import")).content.decode()
    assert "Archivo a importar" in page and "File to import" not in page
    rows = [TERRITORY, ["col-centro", "Centro", "colonia", "", "", "", ""]]
    previewed = preview(client, Territory, csv_file("territorios.csv", rows)).content.decode()
    assert "Confirmar importación" in previewed and "Vista previa" in previewed
    empty = preview(client, Territory, csv_file("vacio.csv", [TERRITORY])).content.decode()
    assert "No hay datos que importar" in empty


def test_only_admins_with_a_guarded_resource_offer_import(client, superuser):
    """import-export would otherwise offer import on every admin, with a resource that writes any column."""
    client.force_login(superuser)
    importing = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, PortalAdmin):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
        if client.get(url).status_code == 200:
            importing.append(model._meta.label)
            assert all(issubclass(r, PortalResource) for r in model_admin.resource_classes), model._meta.label
    assert sorted(importing) == [
        "councils.Body",
        "councils.Membership",
        "councils.Person",
        "implan.Agency",
        "implan.Territory",
        "indicators.Indicator",
        "planning.BudgetLine",
        "planning.Programme",
        "planning.Strategy",
        "projects.Project",
    ]


@pytest.mark.parametrize(
    ("make", "cell", "code"),
    [(csv_file, "Cen\x00tro", "U+0000"), (csv_file, "Cen\x1btro", "U+001B"), (xlsx_file, "Cen\x9btro", "U+009B")],
)
def test_a_control_character_in_a_cell_is_a_spanish_row_error_naming_its_column(client, superuser, make, cell, code):
    # A NUL used to reach PostgreSQL as a driver error («un valor demasiado largo o fuera de rango»); the others were
    # saved as they came.
    client.force_login(superuser)
    rows = [TERRITORY, ["col-centro", cell, "colonia", "", "", "", ""], ["col-sur", "Sur", "colonia", "", "", "", ""]]
    response = preview(client, Territory, make(f"territorios.{make.__name__[:-5]}", rows))
    assert not can_confirm(response)
    assert row_errors(response) == [
        f"La celda de la columna «name» tiene un carácter de control invisible ({code}) "
        "que no se puede guardar: bórrelo o vuelva a exportar el archivo."
    ]
    assert not Territory.objects.filter(code__in=["col-centro", "col-sur"]).exists()
