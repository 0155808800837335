"""The public record of the bodies: who sits, how each voted, what was resolved — never private contacts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import VoteOption
from councils.services import memberships as membership_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress
from tests.factories import PersonContactFactory

pytestmark = pytest.mark.django_db


def _voted_council(size: int = 5, slug: str = "consejo-consultivo"):
    c = council(size=size, slug=slug)
    for membership in c.members:
        PersonContactFactory(person=membership.person)
    session = session_in_progress(c, present=size)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba el asunto")
    for i in range(size):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.NO if i == 0 else VoteOption.YES)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    session_services.session_close(actor=c.secretary, session=session)
    return c, session


def test_body_list_and_pages_answer_anonymously(client):
    c, session = _voted_council()
    assert client.get(reverse("councils:body_list")).status_code == 200
    assert client.get(reverse("councils:body_detail", args=[c.body.slug])).status_code == 200
    assert client.get(reverse("councils:session_detail", args=[c.body.slug, session.number])).status_code == 200


def test_unknown_body_or_session_is_404(client):
    c, _ = _voted_council(size=3)
    assert client.get(reverse("councils:body_detail", args=["no-existe"])).status_code == 404
    assert client.get(reverse("councils:session_detail", args=[c.body.slug, 99])).status_code == 404


def test_session_page_shows_the_result_and_each_members_vote(client):
    c, session = _voted_council()
    html = client.get(reverse("councils:session_detail", args=[c.body.slug, session.number])).content.decode()
    assert "Aprobada" in html
    assert "A favor 4 · En contra 1 · Abstenciones 0" in html
    for membership in c.members:
        assert membership.person.name in html
    assert html.count("En contra</td>") == 1


def test_no_public_page_shows_private_contact_data(client):
    c, session = _voted_council()
    pages = [
        reverse("councils:body_list"),
        reverse("councils:body_detail", args=[c.body.slug]),
        reverse("councils:session_detail", args=[c.body.slug, session.number]),
        reverse("councils:popolo"),
        reverse("councils:sessions_ics"),
    ]
    contents = [client.get(url).content.decode() for url in pages]
    for membership in c.members:
        contact = membership.person.contact
        for secret in (contact.email, contact.phone, contact.address):
            assert all(secret not in content for content in contents), secret


def test_past_members_appear_with_their_dates_and_the_body_as_of_a_date(client):
    c, _ = _voted_council(size=3)
    gone = c.members[0]
    membership_services.membership_end(
        actor=c.secretary, membership=gone, end_date=datetime.date(2025, 1, 31), reason="Renuncia"
    )
    url = reverse("councils:body_detail", args=[c.body.slug])
    html = client.get(url).content.decode()
    assert "01/01/2024 – 31/01/2025" in html
    as_of = client.get(url, {"fecha": "2025-01-15"}).content.decode()
    assert "Asientos ocupados: 3 de 25" in as_of
    assert "Asientos ocupados: 2 de 25" in html


def test_dates_are_written_in_spanish(client):
    c, session = _voted_council(size=3)
    html = client.get(reverse("councils:body_detail", args=[c.body.slug]), {"fecha": "2026-11-24"}).content.decode()
    assert "Integrantes al 24 de noviembre de 2026" in html


def _query_count(client, django_assert_max_num_queries, url: str) -> int:
    with django_assert_max_num_queries(30) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_public_council_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    small, small_session = _voted_council(size=3, slug="pequeno")

    def urls(c, s):
        return [
            reverse("councils:body_detail", args=[c.body.slug]),
            reverse("councils:session_detail", args=[c.body.slug, s.number]),
            reverse("councils:body_list"),
            reverse("councils:popolo"),
            reverse("councils:sessions_ics"),
        ]

    before = [_query_count(client, django_assert_max_num_queries, u) for u in urls(small, small_session)]
    big, big_session = _voted_council(size=20, slug="grande")
    services_session = session_in_progress(big, present=20)  # more sessions too
    session_services.session_close(actor=big.secretary, session=services_session)
    after = [_query_count(client, django_assert_max_num_queries, u) for u in urls(big, big_session)]
    assert after == before


def test_a_bodys_page_names_its_current_term_and_the_next_one_with_its_members(client):
    from councils.models import BodyTerm, Membership, Sector
    from tests.factories import PersonFactory

    c = council(size=2, slug="con-periodos")
    today = timezone.localdate()
    BodyTerm.objects.create(
        body=c.body,
        name="2024–2027",
        start_date=today - datetime.timedelta(days=300),
        end_date=today + datetime.timedelta(days=30),
    )
    url = reverse("councils:body_detail", args=[c.body.slug])
    page = client.get(url).content.decode()
    assert "Periodo 2024–2027" in page
    assert "Siguiente periodo" not in page  # none recorded yet
    following = BodyTerm.objects.create(
        body=c.body,
        name="2027–2030",
        start_date=today + datetime.timedelta(days=31),
        end_date=today + datetime.timedelta(days=1126),
    )
    newcomer = PersonFactory(name="Rosa Nueva Integrante")
    Membership.objects.create(
        person=newcomer, body=c.body, term=following, sector=Sector.CITIZEN, start_date=following.start_date
    )
    page = client.get(url).content.decode()
    assert "Siguiente periodo: 2027–2030" in page
    section = page.split('id="siguiente-periodo"', 1)[1].split("</section>", 1)[0]
    assert "Rosa Nueva Integrante" in section
    assert c.members[0].person.name not in section


def test_a_published_session_links_its_minutes_and_says_each_resolution(client):
    from councils.models import Minutes, MinutesState
    from councils.services import minutes as minutes_services

    c, session = _voted_council(size=3, slug="con-acta")
    resolution = session.resolutions.get()
    session_url = reverse("councils:session_detail", args=[c.body.slug, session.number])
    page = client.get(session_url).content.decode()
    assert f"Acuerdo {resolution.number}/{resolution.year}:</strong> {resolution.text}" in page
    assert "acta sin publicar" in page
    minutes_services.minutes_draft(actor=c.secretary, session=session, text="Acta de la sesión")
    # Approving the minutes takes a later session's vote; here only the page is under test.
    Minutes.objects.filter(session=session).update(state=MinutesState.PUBLISHED, published_at=timezone.now())
    page = client.get(session_url).content.decode()
    assert '<a href="#acta">Acta publicada</a>' in page
    assert "Acta de la sesión" in page
    body_page = client.get(reverse("councils:body_detail", args=[c.body.slug])).content.decode()
    assert f'href="{session_url}#acta">Leer el acta</a>' in body_page
