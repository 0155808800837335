"""The public record of the bodies: who sits, how each voted, what was resolved — never private contacts."""

import datetime

import pytest
from django.urls import reverse

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
