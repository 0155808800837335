"""The body and session pages of the workspace show their history: who, when, why, old → new."""

import datetime

import pytest
from django.urls import reverse

from councils.models import MembershipRole
from councils.services import memberships as membership_services
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db


def test_the_body_page_shows_who_changed_a_membership(client):
    c = council(size=2, slug="consejo-sectorial")
    membership = c.members[0]
    client.force_login(c.secretary)
    membership_services.membership_change(
        actor=c.secretary,
        membership=membership,
        role=MembershipRole.PRESIDENT,
        sector=membership.sector,
        has_vote=True,
        on=datetime.date(2025, 1, 1),
    )

    page = client.get(reverse("councils:workspace_body", args=[c.body.slug])).content.decode()

    assert "Historial" in page and "Cambio de cargo" in page
    assert "31 de diciembre de 2024" in page  # the old membership's end date, as the change's new value


def test_the_session_page_shows_attendance_history_but_no_individual_vote_while_open(client):
    c = council(size=3, slug="consejo-consultivo")
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    vote_services.vote_cast(actor=c.user(0), motion=motion, option="en_contra")
    client.force_login(c.secretary)

    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()

    assert "Historial" in page and "asistencia" in page.lower()
    assert "En contra" not in page
