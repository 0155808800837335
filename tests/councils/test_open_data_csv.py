"""CSV of the public lists of the councils: bodies, current members (public facts only), resolutions."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from councils.models import VoteOption
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress
from tests.factories import PersonContactFactory, ResolutionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _read(client, name: str) -> list[list[str]]:
    response = client.get(reverse(f"councils:{name}"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_members_csv_lists_public_facts_and_no_contact_data(client):
    c = council(size=2, slug="consejo-consultivo")
    PersonContactFactory(person=c.members[0].person, email="privado@correo.example", phone="477 123 4567")
    rows = _read(client, "members_csv")
    assert rows[0] == ["Persona", "Órgano", "Cargo", "Sector", "Desde", "Con voto"]
    assert {r[0] for r in rows[1:]} == {m.person.name for m in c.members}
    text = "\n".join(",".join(r) for r in rows)
    assert "privado@correo.example" not in text and "477 123 4567" not in text


def test_resolutions_csv_neutralises_formulas(client):
    c = council(size=1, slug="ayuntamiento")
    session = SessionFactory(body=c.body)
    ResolutionFactory(
        session=session,
        number=1,
        adopted_on=datetime.date(2025, 2, 1),
        text='=HYPERLINK("http://malicioso.example","clic")',
    )
    rows = _read(client, "resolutions_csv")
    assert rows[1][5].startswith("'=HYPERLINK")


def test_resolutions_csv_gives_the_proposal_result_and_counts_their_own_columns(client):
    c = council(size=5, slug="ayuntamiento")
    session = session_in_progress(c, present=5)
    motion = vote_services.motion_open(
        actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba el programa anual de obra"
    )
    for i, option in enumerate([VoteOption.YES] * 3 + [VoteOption.NO, VoteOption.ABSTAIN]):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    header, row = _read(client, "resolutions_csv")
    assert header == [
        "Órgano",
        "Año",
        "Número",
        "Fecha",
        "Sesión",
        "Propuesta",
        "Resultado",
        "A favor",
        "En contra",
        "Abstenciones",
        "Presentes",
    ]
    assert row[5:] == ["Se aprueba el programa anual de obra", "Aprobada", "3", "1", "1", "5"]


def test_bodies_csv_has_every_active_body(client):
    council(size=1, slug="consejo-consultivo")
    council(size=1, slug="ayuntamiento")
    assert {r[0] for r in _read(client, "bodies_csv")[1:]} == {"consejo-consultivo", "ayuntamiento"}


def test_numbers_stay_numbers_and_text_formulas_are_neutralised():
    from decimal import Decimal

    from implan.exports import csv_bytes

    text = csv_bytes(["a", "b", "c", "d"], [[Decimal("-3.50"), -2, "-1+1", "@SUM(A1)"]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "-3.50,-2,'-1+1,'@SUM(A1)"
