"""Projects imported in the Django admin are corrected through the planners' service; none is created by a file."""

import pytest

from projects.models import Project
from tests.admin_files import confirm, csv_file, imported, preview, row_errors
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

HEADERS = ["code", "title", "problem", "latitude", "longitude"]


def test_a_project_is_not_created_by_a_file(client, superuser):
    client.force_login(superuser)
    response = preview(client, Project, csv_file("proyectos.csv", [HEADERS, ["PE-2030-001", "Nuevo", "Algo", "", ""]]))
    assert row_errors(response) == [
        "No existe un proyecto con la clave «PE-2030-001». Los proyectos nuevos nacen "
        "como propuesta de un consejo en el espacio de trabajo; aquí solo se corrigen "
        "los existentes."
    ]
    assert not Project.objects.filter(code="PE-2030-001").exists()


def test_coordinates_outside_the_municipality_are_refused_as_in_the_workspace(client, superuser):
    project = ProjectFactory(code="PE-2025-001")
    client.force_login(superuser)
    rows = [HEADERS, ["PE-2025-001", project.title, project.problem, "19.43", "-99.13"]]  # Mexico City
    [message] = row_errors(preview(client, Project, csv_file("proyectos.csv", rows)))
    assert message.startswith("Las coordenadas 19.43, -99.13 quedan fuera del municipio de ")
    project.refresh_from_db()
    assert project.latitude is None


def test_a_correction_is_saved_with_the_import_as_its_reason(client, superuser):
    project = ProjectFactory(code="PE-2025-001")
    client.force_login(superuser)
    rows = [HEADERS, ["PE-2025-001", "Título corregido", project.problem, "21.12", "-101.68"]]
    assert imported(confirm(client, Project, preview(client, Project, csv_file("proyectos.csv", rows))))
    project.refresh_from_db()
    assert project.title == "Título corregido"
    assert project.history.first().history_change_reason == "Importación desde la administración"
