"""The rules a secretary meets while running a session: one session in progress per body, a decided point is not
voted again, and closing a vote, concluding or cancelling a session is asked once more, saying what will happen."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from councils.models import AttendanceStatus, MotionState, Session, SessionState, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan import roles
from implan.errors import DomainError
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db


def _convene(c, *, days: int = 0) -> Session:
    return session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=days),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Punto", kind="decision")],
    )


def _everyone_present(c) -> dict[int, str]:
    return {m.pk: AttendanceStatus.PRESENT for m in c.members}


def test_a_body_cannot_start_a_second_session_while_one_is_in_progress():
    c = council(size=3)
    first = session_in_progress(c, present=3)
    second = _convene(c, days=1)
    with pytest.raises(DomainError, match="ya tiene una sesión en curso \\(la 1\\)"):
        session_services.session_record_attendance(actor=c.secretary, session=second, statuses=_everyone_present(c))
    second.refresh_from_db()
    assert second.state == SessionState.CONVENED
    assert not second.attendances.exists()  # nothing half-saved
    session_services.session_close(actor=c.secretary, session=first)
    session_services.session_record_attendance(actor=c.secretary, session=second, statuses=_everyone_present(c))
    second.refresh_from_db()
    assert second.state == SessionState.IN_PROGRESS


def test_another_body_may_sit_at_the_same_time():
    session_in_progress(council(size=3, slug="uno"), present=3)
    session_in_progress(council(size=3, slug="dos"), present=3)
    assert Session.objects.filter(state=SessionState.IN_PROGRESS).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sessions_of_one_body_started_at_once_leave_one_in_progress():
    for name in roles.ALL_ROLES:  # a transactional test starts from a flushed database, without the groups
        Group.objects.get_or_create(name=name)
    c = council(size=3)
    sessions = [_convene(c), _convene(c, days=1)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start(session: Session) -> None:
        try:
            barrier.wait()
            session_services.session_record_attendance(
                actor=c.secretary, session=session, statuses=_everyone_present(c)
            )
            outcomes.append("started")
        except DomainError as error:
            outcomes.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("started") == 1
    assert Session.objects.filter(body=c.body, state=SessionState.IN_PROGRESS).count() == 1


def test_a_point_decided_is_not_put_to_the_vote_again_and_the_button_is_not_offered(client):
    c = council(size=3)
    session = session_in_progress(c, present=3)
    item = session.agenda_items.get()
    motion = vote_services.motion_open(actor=c.secretary, item=item, text="Se aprueba")
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.NO)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    with pytest.raises(DomainError, match="Este punto ya se decidió"):
        vote_services.motion_open(actor=c.secretary, item=item, text="Otra vez")
    client.force_login(c.secretary)
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert reverse("councils:motion_open", args=[item.pk]) not in page
    response = client.post(reverse("councils:motion_open", args=[item.pk]), {"text": "Otra vez"}, follow=True)
    assert "Este punto ya se decidió; no se vota de nuevo." in response.content.decode()
    assert item.motions.count() == 1


def test_a_point_closed_without_majority_may_be_voted_again():
    c = council(size=3)
    session = session_in_progress(c, present=3)
    item = session.agenda_items.get()
    motion = vote_services.motion_open(actor=c.secretary, item=item, text="Se aprueba")
    assert vote_services.motion_close(actor=c.secretary, motion=motion, confirmed=True) is None
    assert vote_services.motion_open(actor=c.secretary, item=item, text="Otra vez").state == MotionState.OPEN


def test_closing_a_vote_asks_first_and_says_what_will_happen(client):
    c = council(size=3)
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    client.force_login(c.secretary)
    url = reverse("councils:motion_close", args=[motion.pk])
    for response in (client.get(url), client.post(url)):  # the page, and a post that did not confirm
        page = response.content.decode()
        assert response.status_code == 200
        assert "¿Cerrar la votación?" in page
        assert "Votaron 3 de 3 integrantes presentes." in page
        assert "nadie podrá votar ni cambiar su voto" in page
        assert "A favor" not in page  # the count, never how they voted
    motion.refresh_from_db()
    assert motion.state == MotionState.OPEN
    response = client.post(url, {"confirmed": "on"}, follow=True)
    assert "Votación cerrada. Se aprueba" in response.content.decode()


def test_concluding_a_session_asks_first_and_names_the_points_left_undecided(client):
    c = council(size=3)
    session = session_in_progress(c, present=3)
    client.force_login(c.secretary)
    url = reverse("councils:session_close", args=[session.pk])
    for response in (client.get(url), client.post(url)):
        page = response.content.decode()
        assert "¿Concluir la sesión?" in page
        assert "Queda 1 punto para acuerdo sin decidir" in page
        assert "1. Asunto a votar" in page
    session.refresh_from_db()
    assert session.state == SessionState.IN_PROGRESS
    client.post(url, {"confirmed": "on"})
    session.refresh_from_db()
    assert session.state == SessionState.CLOSED


def test_cancelling_a_session_asks_first_and_needs_a_reason(client):
    c = council(size=3)
    session = _convene(c, days=3)
    client.force_login(c.secretary)
    url = reverse("councils:session_cancel", args=[session.pk])
    page = client.get(url).content.decode()
    assert "¿Cancelar la sesión?" in page
    assert "no se celebrará" in page
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.state == SessionState.CONVENED
    with pytest.raises(DomainError, match="Escriba el motivo de la cancelación."):
        session_services.session_cancel(actor=c.secretary, session=session, reason=" ")
    response = client.post(url, {"reason": "Falta de quórum anunciada"}, follow=True)
    assert "Se canceló la sesión 1." in response.content.decode()
    session.refresh_from_db()
    assert session.state == SessionState.CANCELLED


def test_a_session_under_way_is_not_cancelled_and_a_member_cannot_cancel(client):
    c = council(size=3)
    under_way = session_in_progress(c, present=3)
    client.force_login(c.secretary)
    client.post(reverse("councils:session_cancel", args=[under_way.pk]), {"reason": "Prueba"})
    under_way.refresh_from_db()
    assert under_way.state == SessionState.IN_PROGRESS
    convened = _convene(c, days=2)
    client.force_login(c.user(0))
    assert client.post(reverse("councils:session_cancel", args=[convened.pk]), {"reason": "x"}).status_code == 403
    convened.refresh_from_db()
    assert convened.state == SessionState.CONVENED
