"""The record of a session's decisions cannot be rewritten in the Django admin, not even by a superuser."""

import pytest
from django.urls import reverse
from django.utils import timezone

from councils.models import (
    AgendaItem,
    Attendance,
    BodyTerm,
    Membership,
    MembershipRole,
    Minutes,
    Motion,
    Resolution,
    Sector,
    Session,
    Vote,
    VoteOption,
)
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress
from tests.factories import BodyTermFactory, PersonFactory

pytestmark = pytest.mark.django_db

DECISION_MODELS = [Session, Attendance, Motion, Vote, Resolution, Minutes]


@pytest.fixture
def decided():
    """A session in progress whose only motion was voted yes by its three members."""
    c = council(size=3)
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for n in range(3):
        vote_services.vote_cast(actor=c.user(n), motion=motion, option=VoteOption.YES)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    return c, session, motion, resolution


def _url(obj, action: str, *args) -> str:
    return reverse(f"admin:councils_{obj._meta.model_name}_{action}", args=[obj.pk, *args])


def test_a_superuser_cannot_change_a_vote_in_the_admin(client, superuser, decided):
    _c, _session, motion, _resolution = decided
    vote = motion.votes.first()
    client.force_login(superuser)
    response = client.post(
        _url(vote, "change"),
        {"motion": motion.pk, "voter": vote.voter_id, "membership": vote.membership_id, "option": VoteOption.NO},
    )
    assert response.status_code == 403
    vote.refresh_from_db()
    assert vote.option == VoteOption.YES


def test_a_superuser_cannot_change_or_delete_a_resolution_in_the_admin(client, superuser, decided):
    *_, resolution = decided
    text = resolution.text
    client.force_login(superuser)
    assert client.post(_url(resolution, "change"), {"text": "Otro texto"}).status_code == 403
    assert client.post(_url(resolution, "delete"), {"post": "yes"}).status_code == 403
    resolution.refresh_from_db()
    assert resolution.text == text


def test_a_resolution_cannot_be_rewritten_through_its_history_page(client, superuser, decided):
    *_, resolution = decided
    text = resolution.text
    record = resolution.history.first()
    client.force_login(superuser)
    url = _url(resolution, "simple_history", record.history_id)
    assert client.get(url).status_code == 200  # the record may still be read
    assert client.post(url, {"text": "Otro texto"}).status_code == 403
    resolution.refresh_from_db()
    assert resolution.text == text


@pytest.mark.parametrize("model", DECISION_MODELS, ids=lambda m: m.__name__)
def test_decision_records_cannot_be_added_or_imported_in_the_admin(client, superuser, model):
    client.force_login(superuser)
    prefix = f"admin:councils_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_add")).status_code == 403
    assert client.get(reverse(f"{prefix}_import")).status_code == 403
    assert client.get(reverse(f"{prefix}_export")).status_code == 200


def _agenda_data(item: AgendaItem, title: str) -> dict:
    return {"session": item.session_id, "order": item.order, "title": title, "description": "", "kind": item.kind}


def test_an_agenda_item_of_a_convened_session_can_still_be_corrected(client, superuser):
    c = council(size=1)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    item = session.agenda_items.get()
    client.force_login(superuser)
    assert client.post(_url(item, "change"), _agenda_data(item, "Informe anual")).status_code == 302
    item.refresh_from_db()
    assert item.title == "Informe anual"


def test_an_agenda_item_of_a_session_under_way_is_record(client, superuser, decided):
    _c, session, _motion, _resolution = decided
    item = session.agenda_items.get()
    client.force_login(superuser)
    assert client.post(_url(item, "change"), _agenda_data(item, "Otro asunto")).status_code == 403
    item.refresh_from_db()
    assert item.title == "Asunto a votar"


def test_the_delete_selected_action_spares_the_agenda_of_a_session_under_way(client, superuser, decided):
    c, session, _motion, _resolution = decided
    extra = session_services.agenda_item_add(
        actor=c.secretary, session=session, entry=session_services.AgendaEntry(title="Asuntos")
    )
    client.force_login(superuser)
    response = client.post(
        reverse("admin:councils_agendaitem_changelist"),
        {"action": "delete_selected", "_selected_action": [extra.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert AgendaItem.objects.filter(pk=extra.pk).exists()


def test_a_convened_point_is_not_moved_to_another_bodys_session(client, superuser):
    a, b = council(size=1, slug="organo-a"), council(size=1, slug="organo-b")
    first = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=a.secretary,
        body=a.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    other = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=b.secretary,
        body=b.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Otro")],
    )
    item = first.agenda_items.get()
    client.force_login(superuser)
    client.post(_url(item, "change"), {**_agenda_data(item, "Informe"), "session": other.pk})
    item.refresh_from_db()
    assert item.session_id == first.pk


def test_no_member_is_added_past_the_seat_limit_through_the_admins_form(client, superuser):
    """The seat limit lives in membership_add; the admin's add form skipped it («Asientos ocupados: 4 de 3»)."""
    c = council(size=3, seat_limit=3)
    newcomer = PersonFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:councils_membership_add"),
        {
            "person": newcomer.pk,
            "body": c.body.pk,
            "role": MembershipRole.MEMBER,
            "sector": Sector.CITIZEN,
            "has_vote": "on",
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 403
    assert c.body.memberships.count() == 3


@pytest.mark.parametrize("model", [Membership, BodyTerm], ids=lambda m: m.__name__)
def test_memberships_and_terms_are_shown_not_edited_in_the_admin(client, superuser, model):
    c = council(size=1)
    record = c.members[0] if model is Membership else BodyTermFactory(body=c.body)
    client.force_login(superuser)
    assert client.get(_url(record, "change")).status_code == 200  # still readable
    assert client.post(_url(record, "change"), {"end_date": "2025-01-01"}).status_code == 403
    assert client.post(_url(record, "delete"), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()
