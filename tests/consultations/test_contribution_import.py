"""Forum contributions from a CSV: every row checked, errors in Spanish by row, all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.contributions_csv import ImportRefused
from consultations.models import Contribution, Sector
from tests.consultations.builders import open_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(planner):
    consultation = open_consultation(planner)
    return services.forum_record(
        actor=planner,
        consultation=consultation,
        title="Foro en Las Joyas",
        held_on=timezone.localdate() - datetime.timedelta(days=1),
        place="Centro comunitario Las Joyas",
        attendance={Sector.CITIZENS: 40, Sector.ACADEMIA: 3},
    )


GOOD = (
    "seccion;sector;participante;colonia;aportacion\n"
    "1;Ciudadanía;Ana;Las Joyas;Más transporte\n"
    "Estrategia 2;academia;;;Datos abiertos\n"
)


def test_a_good_file_in_spanish_excel_format_is_imported_whole(planner, forum):
    created = services.contributions_import(actor=planner, forum=forum, content=("\ufeff" + GOOD).encode())
    assert [(c.section.order, c.sector) for c in created] == [(1, Sector.CITIZENS), (2, Sector.ACADEMIA)]


def test_one_bad_row_refuses_the_whole_file_with_every_error_by_row(planner, forum):
    content = b"seccion,sector,aportacion\n1,ciudadania,Bien\n9,marcianos,Mal\n2,gobierno,\n"
    with pytest.raises(ImportRefused) as refused:
        services.contributions_import(actor=planner, forum=forum, content=content)
    assert refused.value.errors == [
        "Fila 3: la sección «9» no es de esta consulta; el sector «marcianos» no es uno de la lista.",
        "Fila 4: falta el texto de la aportación.",
    ]
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sector,aportacion\nciudadania,x\n", "Faltan columnas: seccion"),
        ("seccion,sector,aportacion\n1,ciudadanía,árbol\n".encode("latin-1"), "UTF-8"),
        (b"seccion,sector,aportacion\n", "ninguna aportación"),
    ],
)
def test_malformed_files_are_refused_in_spanish(planner, forum, content, message):
    with pytest.raises(ImportRefused) as refused:
        services.contributions_import(actor=planner, forum=forum, content=content)
    assert message in " ".join(refused.value.errors)


def test_the_upload_page_lists_the_errors_and_saves_nothing(client, planner, forum):
    client.force_login(planner)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("foro.csv", b"seccion,sector,aportacion\n7,ciudadania,x\n", content_type="text/csv")
    response = client.post(reverse("consultations:contributions_import", args=[forum.pk]), {"file": upload})
    page = response.content.decode()
    assert "No se importó ninguna aportación" in page and "Fila 2: la sección «7»" in page
    assert Contribution.objects.count() == 0


def test_the_largest_file_a_request_takes_is_read_with_no_query_per_row_and_one_more_row_is_refused(
    planner, forum, django_assert_max_num_queries
):
    """Contributions stay a synchronous upload (issue 15 moves to the background what may outlast a request): a file
    is capped at MAX_ROWS, checked in memory against the consultation's sections, and saved in one transaction with
    two inserts a row (the contribution, its history row), a few seconds at most."""
    from consultations.contributions_csv import MAX_ROWS

    rows = "".join(f"1,ciudadania,Aportación {n}\n" for n in range(MAX_ROWS))
    with django_assert_max_num_queries(2 * MAX_ROWS + 20):
        created = services.contributions_import(
            actor=planner, forum=forum, content=f"seccion,sector,aportacion\n{rows}".encode()
        )
    assert len(created) == MAX_ROWS
    with pytest.raises(ImportRefused) as refused:
        services.contributions_import(
            actor=planner, forum=forum, content=f"seccion,sector,aportacion\n{rows}1,ciudadania,Una más\n".encode()
        )
    assert refused.value.errors == [f"El archivo tiene más de {MAX_ROWS} filas; divídalo."]
    assert Contribution.objects.count() == MAX_ROWS
