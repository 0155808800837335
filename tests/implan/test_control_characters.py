"""A control character in any parameter of any URL is refused with a Spanish 400, never a 500.

Every URL pattern of the portal is tried with the real objects of the permission matrix (tests/permissions/), as
anonymous where anonymous may go and as one logged-in role allowed there.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects.models import Project
from tests.permissions.matrix import DONE, OK, ROLES, world_of
from tests.permissions.test_matrix import MODULES
from tests.projects.builders import community_member
from tests.projects.test_workspace import _proposal

pytestmark = pytest.mark.django_db

# Every query parameter the portal's views read (a NUL in ``q`` or ``territorio`` used to reach PostgreSQL).
PARAMETERS = (
    "q",
    "pagina",
    "territorio",
    "fecha",
    "tipo",
    "tema",
    "siguiente",
    "resultado",
    "meta",
    "desde",
    "hasta",
    "familia",
    "estrategia",
    "con",
    "comparar",
    "indicador",
    "estado",
    "origen",
    "dependencia",
    "indicators",
    "family",
    "territories",
    "year_from",
    "year_to",
    "fmt",
    "usuario",
    "texto",
)
CONTROLS = ("a\x00b", "\x1b[31m")
REFUSAL = "caracteres de control"


def _allowed_roles(expected: dict[str, str]) -> list[str]:
    """Anonymous if it may go there, and the first logged-in role that may."""
    allowed = [role for role in ROLES if expected[role] in (OK, DONE)]
    logged_in = [role for role in allowed if role != "anonimo"][:1]
    return (["anonimo"] if "anonimo" in allowed else []) + logged_in


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__.rsplit(".", 1)[-1])
def test_every_url_refuses_a_control_character_in_its_parameters(client, module):
    world, _cookies = world_of(module)
    for name, row in module.ROWS.items():
        target = row.url(world.objects)
        for role in _allowed_roles(row.expected):
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            for control in CONTROLS:
                if row.method == "get":
                    response = client.get(target, dict.fromkeys(PARAMETERS, control))
                else:
                    response = client.post(target, {**(row.data or {}), "motivo": control})
                assert response.status_code == 400, (name, role, repr(control))
                assert REFUSAL in response.content.decode(), (name, role)


@pytest.mark.parametrize(
    "path",
    [
        "/buscar/?q=a%00b",
        "/proyectos/?q=%00",
        "/proyectos/mapa.geojson?q=%00",
        "/proyectos/exportar.csv?q=%00",
        "/indicadores/?territorio=%00",
        "/organos/%00/",
        "/buscar/?q%00=a",
    ],
)
def test_a_nul_byte_in_the_address_answers_a_spanish_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "La solicitud no es válida" in response.content.decode()


def test_a_workspace_list_refuses_a_nul_byte(client, planner):
    client.force_login(planner)
    assert client.get("/espacio/proyectos/", {"q": "\x00"}).status_code == 400


def test_tabs_and_line_breaks_of_a_textarea_are_kept(client):
    member = community_member()
    client.force_login(member.user)
    problem = "De noche no se puede cruzar el parque.\r\n\t- Sin luminarias.\r\n\t- Sin vigilancia."
    response = client.post(reverse("projects:project_propose"), _proposal(member, problem=problem))
    assert response.status_code == 302
    assert Project.objects.get().problem == problem


@pytest.mark.parametrize("cookie", ['sessionid="abcdefghij\\000k"', 'django_language="es\\033"', 'csrftoken="a\\001b"'])
def test_a_control_character_in_a_cookie_answers_400_and_deletes_the_cookie(client, cookie):
    """A session key with a NUL reached PostgreSQL and answered 500 on every page."""
    response = client.get("/proyectos/?c=1", HTTP_COOKIE=cookie)
    assert response.status_code == 400
    assert "La solicitud no es válida" in response.content.decode()
    name = cookie.split("=", 1)[0]
    assert response.cookies[name]["max-age"] == 0  # the browser drops it: its next request is served
    assert client.get("/proyectos/?c=1").status_code == 200
