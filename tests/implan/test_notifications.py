"""Notifications: the inbox (home, unread count in the header, mark read), the e-mail preference per kind, the
signed unsubscribe link that works without logging in, and who is told what (a vote opened, minutes to review, an
instrument approved or rejected, sent back)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from councils.models import VoteOption
from councils.services import minutes as minutes_services
from councils.services import notices
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan import notifications, roles, tasks
from implan.models import EmailState, Notification, NotificationPreference, OutgoingEmail
from planning.services import lifecycle
from tests.councils.builders import council, session_in_progress
from tests.factories import BudgetFactory, UserFactory

one_backend = pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)


def _tell(user, *, kind: str = notices.VOTE_OPENED, title: str = "Votación abierta: Presupuesto 2027"):
    return notifications.notify(kind=kind, title=title, text="Sesión ordinaria 3", url="/espacio/", user=user)


@pytest.fixture
def person(db):
    return UserFactory(username="regidora", email="regidora@example.org")


def test_a_notice_reaches_the_inbox_and_an_email_unless_the_kind_is_turned_off(person):
    delivery = _tell(person)
    assert delivery.notification.user == person and delivery.email.to == ["regidora@example.org"]
    assert "Votación abierta: Presupuesto 2027" in delivery.email.subject
    assert "/avisos/baja/" in delivery.email.body and "/avisos/baja/" in delivery.email.html

    notifications.preference_set(user=person, kind=notices.VOTE_OPENED, email=False, reason="prueba")
    quiet = _tell(person)
    assert quiet.notification is not None and quiet.email is None
    # Another kind still goes by e-mail.
    assert _tell(person, kind=notices.MINUTES_READY, title="Acta").email is not None
    assert Notification.objects.filter(user=person).count() == 3


def test_the_unsubscribe_link_works_without_logging_in(client, person):
    path = notifications.unsubscribe_url(person, notices.VOTE_OPENED).removeprefix("http://127.0.0.1:8000")
    asked = client.get(path)  # opening the link (a mail scanner does) changes nothing
    assert asked.status_code == 200 and "Votación abierta en una sesión a la que asiste" in asked.content.decode()
    assert not NotificationPreference.objects.exists()
    done = client.post(path)
    assert done.status_code == 200 and "Ya no recibirá por correo" in done.content.decode()
    assert notifications.preferences_of(person)[notices.VOTE_OPENED] is False
    assert notifications.preferences_of(person)[notices.SESSION_CONVENED] is True
    assert _tell(person).email is None
    history = NotificationPreference.objects.get().history.first()
    assert history.history_change_reason == "Baja desde el enlace del correo"


def test_an_altered_unsubscribe_link_is_refused_in_spanish(client, person):
    path = notifications.unsubscribe_url(person, notices.VOTE_OPENED).removeprefix("http://127.0.0.1:8000")
    response = client.post(path.replace("/avisos/baja/", "/avisos/baja/x"))
    assert response.status_code == 400
    assert "El enlace no es válido: puede estar incompleto o alterado" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_the_preferences_page_turns_kinds_off_and_on(client, person):
    client.force_login(person)
    page = client.get("/espacio/avisos/preferencias/").content.decode()
    assert "Convocatoria a una sesión" in page and "Instrumento aprobado" in page
    wanted = {kind.key: "on" for kind in notifications.kinds() if kind.key != notices.SESSION_REMINDER}
    client.post("/espacio/avisos/preferencias/", wanted)
    assert notifications.preferences_of(person) == {
        k.key: k.key != notices.SESSION_REMINDER for k in notifications.kinds()
    }
    client.post("/espacio/avisos/preferencias/", {**wanted, notices.SESSION_REMINDER: "on"})
    assert all(notifications.preferences_of(person).values())


def test_the_inbox_shows_unread_counts_and_marks_read_only_ones_own(client, person):
    other = UserFactory(username="otro")
    first, second = _tell(person).notification, _tell(person, title="Acta lista").notification
    foreign = _tell(other).notification
    client.force_login(person)
    home = client.get("/espacio/").content.decode()
    assert "Avisos sin leer" in home and "Acta lista" in home
    assert 'aria-label="2 sin leer">2</span>' in home
    client.post("/espacio/avisos/leidos/", {"aviso": foreign.pk})  # someone else's: untouched
    client.post("/espacio/avisos/leidos/", {"aviso": first.pk})
    foreign.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert foreign.read_at is None and first.read_at is not None and second.read_at is None
    opened = client.post("/espacio/avisos/leidos/", {"aviso": second.pk, "abrir": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/espacio/"
    assert notifications.unread_count(person) == 0
    assert "sin leer" not in client.get("/espacio/avisos/").content.decode()


def test_the_inbox_runs_a_constant_number_of_queries(client, person, django_assert_max_num_queries):
    client.force_login(person)
    _tell(person)
    with django_assert_max_num_queries(20) as few:
        client.get("/espacio/avisos/")
    for n in range(25):
        _tell(person, title=f"Aviso {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/espacio/avisos/").status_code == 200


# --- Who is told ------------------------------------------------------------------------------------------------


def test_a_vote_opened_tells_the_members_present_only(db):
    c = council(size=4, slug="consejo")
    session = session_in_progress(c, present=3)
    vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    told = set(Notification.objects.filter(kind=notices.VOTE_OPENED).values_list("user", flat=True))
    assert told == {c.user(i).pk for i in range(3)}


def test_minutes_ready_tell_the_members_who_attended(db):
    c = council(size=3, slug="consejo")
    session = session_in_progress(c, present=2)
    session_services.session_close(actor=c.secretary, session=session)
    minutes_services.minutes_draft(actor=c.secretary, session=session, text="Acta de la sesión")
    minutes_services.minutes_draft(actor=c.secretary, session=session, text="Acta corregida")  # told once
    told = list(Notification.objects.filter(kind=notices.MINUTES_READY).values_list("user", flat=True))
    assert sorted(told) == sorted([c.user(0).pk, c.user(1).pk])


def _ayuntamiento():
    from councils.models import BodyKind

    return council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)


def _vote(c, subject, option):
    session = session_in_progress(c, present=3, subject=subject)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    session_services.session_close(actor=c.secretary, session=session)  # a body sits in one session at a time


def test_the_planner_who_submitted_hears_of_the_approval_and_the_rejection(planner, db):
    c = _ayuntamiento()
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    _vote(c, budget, VoteOption.NO)
    lifecycle.instrument_submit(instrument=budget, actor=planner)
    _vote(c, budget, VoteOption.YES)
    kinds = list(Notification.objects.filter(user=planner).order_by("pk").values_list("kind", "title"))
    assert [k for k, _title in kinds] == [lifecycle.INSTRUMENT_REJECTED, lifecycle.INSTRUMENT_APPROVED]
    assert kinds[1][1].startswith("Aprobado: ")


def test_an_instrument_sent_back_by_another_planner_tells_the_one_who_submitted_it(planner, db):
    colleague = UserFactory(username="otra-planeadora", roles=[roles.PLANNING])
    budget = lifecycle.instrument_submit(instrument=BudgetFactory(), actor=planner)
    lifecycle.instrument_withdraw(instrument=budget, actor=colleague)
    [notice] = Notification.objects.filter(user=planner)
    assert notice.kind == lifecycle.INSTRUMENT_RETURNED and notice.title.startswith("Devuelto a borrador")
    lifecycle.instrument_submit(instrument=budget, actor=planner)
    lifecycle.instrument_withdraw(instrument=budget, actor=planner)  # withdrawing one's own: nobody to tell
    assert Notification.objects.filter(user=planner).count() == 1


@one_backend
def test_notification_emails_arrive_in_spanish_with_the_institutes_sender(tasks_backend, smtp_server, settings):
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    settings.DEFAULT_FROM_EMAIL = "IMPLAN León <avisos@implan.example>"
    settings.EMAIL_REPLY_TO = ["secretaria@implan.example"]
    c = council(size=2, slug="consejo")
    session = session_in_progress(c, present=2)
    vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    assert tasks.run_waiting_tasks() == 3  # the two members' e-mails and the session's meeting packet
    message = smtp_server.messages[0]
    assert (
        message["From"] == "IMPLAN León <avisos@implan.example>" and message["Reply-To"] == "secretaria@implan.example"
    )
    assert "Votación abierta: Asunto a votar" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Véalo en el portal:" in text and "Para dejar de recibir por correo" in text
    assert OutgoingEmail.objects.filter(state=EmailState.SENT).count() == 2
