"""The secretary's desk on the workspace home: what waits for them per body they conduct, one click from a pending
subject to a convocation or to the agenda of a session not yet started, and the rules behind those clicks."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from councils import approvals
from councils.desk import secretary_desk
from councils.models import AgendaItem, BodyKind, MotionResult, ReplyAnswer, ReplyChannel, SessionState, VoteOption
from councils.services import minutes as minutes_services
from councils.services import notices
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.errors import DomainError
from implan.models import LifecycleState
from tests.councils.builders import council, session_in_progress
from tests.factories import GovernmentPlanFactory

pytestmark = pytest.mark.django_db


def _convene(c, *, days: int = 7, title: str = "Informe") -> object:
    return session_services.session_convene(
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=days),
        place="Sala",
        agenda=[session_services.AgendaEntry(title=title)],
    )


@pytest.fixture
def world():
    consultative = council(size=5, slug="consejo-consultivo")
    ayuntamiento = council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    plan = GovernmentPlanFactory(state=LifecycleState.IN_REVIEW, title="Programa de Gobierno 2024–2027")
    return consultative, ayuntamiento, plan


def test_the_desk_lists_the_subjects_awaiting_each_body_and_its_sessions(client, world):
    consultative, ayuntamiento, plan = world
    convened = _convene(consultative)
    client.force_login(consultative.secretary)
    page = client.get(reverse("implan:workspace")).content.decode()
    assert "Escritorio de la secretaría técnica" in page
    assert "Programa de Gobierno 2024–2027" in page  # awaiting the Consejo Consultivo
    key = approvals.subject_key(plan)
    convene = reverse("councils:session_convene", args=[consultative.body.slug])
    assert f"{convene}?asunto={key.replace(':', '%3A')}" in page
    assert f"Agregar al orden del día de la sesión {convened.number}" in page
    # The Ayuntamiento's secretary is another account: its desk does not show the consultative council's subjects.
    client.force_login(ayuntamiento.secretary)
    page = client.get(reverse("implan:workspace")).content.decode()
    assert "Programa de Gobierno 2024–2027" not in page
    assert "Nada pendiente en este órgano." in page


def test_a_member_who_conducts_nothing_sees_no_desk(client, world):
    consultative, _, _ = world
    client.force_login(consultative.user(0))
    assert "Escritorio de la secretaría técnica" not in client.get(reverse("implan:workspace")).content.decode()


def test_convocar_from_the_desk_opens_the_convocation_with_the_subject_ticked(client, world):
    consultative, _, plan = world
    client.force_login(consultative.secretary)
    url = reverse("councils:session_convene", args=[consultative.body.slug])
    form = client.get(url, {"asunto": approvals.subject_key(plan)}).context["form"]
    assert form["subjects"].value() == [approvals.subject_key(plan)]


def test_a_pending_subject_goes_on_the_agenda_of_a_convened_session_in_one_click(client, world):
    consultative, _, plan = world
    session = _convene(consultative)
    client.force_login(consultative.secretary)
    response = client.post(
        reverse("councils:agenda_subject_add", args=[session.pk]), {"asunto": approvals.subject_key(plan)}, follow=True
    )
    assert "Se agregó «Programa de Gobierno 2024–2027» al orden del día de la sesión 1." in response.content.decode()
    item = session.agenda_items.get(subject_id=plan.pk)
    assert (item.order, item.kind) == (2, "decision")
    # Twice is refused: the subject is on that agenda already.
    response = client.post(
        reverse("councils:agenda_subject_add", args=[session.pk]), {"asunto": approvals.subject_key(plan)}, follow=True
    )
    assert "Este asunto ya está en el orden del día de la sesión 1." in response.content.decode()
    assert session.agenda_items.filter(subject_id=plan.pk).count() == 1


def test_a_subject_is_not_added_to_a_session_under_way(world):
    consultative, _, plan = world
    session = session_in_progress(consultative, present=5)
    with pytest.raises(DomainError, match="Solo se agregan asuntos a una sesión convocada que no ha empezado"):
        session_services.agenda_subject_add(actor=consultative.secretary, session=session, subject=plan)
    assert not AgendaItem.objects.filter(subject_id=plan.pk).exists()


def test_a_subject_is_not_added_to_another_bodys_session_nor_by_another_secretary(client, world):
    consultative, ayuntamiento, plan = world
    session = _convene(ayuntamiento)
    with pytest.raises(DomainError, match="debe votarse primero en"):
        session_services.agenda_subject_add(actor=ayuntamiento.secretary, session=session, subject=plan)
    client.force_login(consultative.secretary)
    response = client.post(
        reverse("councils:agenda_subject_add", args=[session.pk]), {"asunto": approvals.subject_key(plan)}
    )
    assert response.status_code in (403, 404)
    assert not AgendaItem.objects.filter(subject_id=plan.pk).exists()


def test_an_unknown_or_forged_subject_is_refused_with_a_message(client, world):
    consultative, _, _ = world
    session = _convene(consultative)
    client.force_login(consultative.secretary)
    for forged in ("auth.user:1", "planning.governmentplan:999999", "nada", ""):
        response = client.post(
            reverse("councils:agenda_subject_add", args=[session.pk]), {"asunto": forged}, follow=True
        )
        assert "Ese asunto no existe o no se aprueba en los órganos." in response.content.decode()
    assert session.agenda_items.count() == 1


def test_the_desk_shows_minutes_to_draft_and_publish_and_votes_closed_without_a_resolution(client, world):
    consultative, _, _ = world
    session = session_in_progress(consultative, present=5)
    motion = vote_services.motion_open(actor=consultative.secretary, item=session.agenda_items.get(), text="Se aprueba")
    vote_services.vote_cast(actor=consultative.user(0), motion=motion, option=VoteOption.YES)
    vote_services.motion_close(actor=consultative.secretary, motion=motion, confirmed=True)
    motion.refresh_from_db()
    assert motion.result == MotionResult.NO_MAJORITY
    session_services.session_close(actor=consultative.secretary, session=session)
    [desk] = [d for d in secretary_desk(user=consultative.secretary) if d.body == consultative.body]
    assert desk.minutes_to_draft == [session]
    assert desk.without_resolution == [motion]
    minutes_services.minutes_draft(actor=consultative.secretary, session=session, text="Acta")
    [desk] = [d for d in secretary_desk(user=consultative.secretary) if d.body == consultative.body]
    assert desk.minutes_to_draft == []
    assert [p.subject for p in desk.awaiting if p.key.startswith("councils.minutes")] == [session.minutes]
    client.force_login(consultative.secretary)
    page = client.get(reverse("implan:workspace")).content.decode()
    assert "Votaciones cerradas sin acuerdo" in page


def test_a_session_in_progress_more_than_twelve_hours_is_flagged(client, world):
    consultative, _, _ = world
    start = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        session = session_in_progress(consultative, present=5, when=start)
    client.force_login(consultative.secretary)
    with time_machine.travel(start + datetime.timedelta(hours=11, minutes=59), tick=False):
        [desk] = [d for d in secretary_desk(user=consultative.secretary) if d.body == consultative.body]
        assert [(u.session, u.stale) for u in desk.in_progress] == [(session, False)]
        assert "Lleva más de 12 horas en curso" not in client.get(reverse("implan:workspace")).content.decode()
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=1), tick=False):
        [desk] = [d for d in secretary_desk(user=consultative.secretary) if d.body == consultative.body]
        assert [(u.session, u.stale) for u in desk.in_progress] == [(session, True)]
        assert "Lleva más de 12 horas en curso" in client.get(reverse("implan:workspace")).content.decode()


def _home_queries(client, django_assert_max_num_queries, user) -> int:
    client.force_login(user)
    with django_assert_max_num_queries(80) as context:
        assert client.get(reverse("implan:workspace")).status_code == 200
    return len(context.captured_queries)


def test_the_desk_runs_the_same_number_of_queries_for_one_body_or_many(client, django_assert_max_num_queries, world):
    from guardian.shortcuts import assign_perm

    consultative, _, _ = world
    _convene(consultative)
    before = _home_queries(client, django_assert_max_num_queries, consultative.secretary)
    for n in range(4):  # four more bodies, each with sessions convened, in progress, closed without minutes
        other = council(size=3, slug=f"comision-{n}", kind=BodyKind.STRATEGY_COMMISSION)
        for body_perm in ("councils.manage_sessions", "councils.manage_memberships"):
            assign_perm(body_perm, consultative.secretary, other.body)
        other.secretary = consultative.secretary
        done = session_in_progress(other, present=3)
        session_services.session_close(actor=consultative.secretary, session=done)
        session_in_progress(other, present=3)
        _convene(other)
        _convene(other, days=8)
    assert SessionState.CONVENED in set(consultative.body.sessions.values_list("state", flat=True))
    after = _home_queries(client, django_assert_max_num_queries, consultative.secretary)
    assert len(secretary_desk(user=consultative.secretary)) == 5
    assert after == before


def test_the_desk_counts_the_members_answers_to_each_convocation(client, world):
    consultative, _ayuntamiento, _plan = world
    convened = _convene(consultative)
    for i, answer in enumerate([ReplyAnswer.ATTENDING, ReplyAnswer.ATTENDING, ReplyAnswer.NOT_ATTENDING]):
        notices.session_reply(
            session=convened, person=consultative.members[i].person, answer=answer, channel=ReplyChannel.PORTAL
        )
    client.force_login(consultative.secretary)
    page = client.get(reverse("implan:workspace")).content.decode()
    assert "2 confirmaron asistencia, 1 no asistirá" in page


def test_a_subject_on_the_agenda_of_a_convened_session_is_not_offered_again(client, world):
    consultative, _ayuntamiento, plan = world
    session_services.session_convene(
        actor=consultative.secretary,
        body=consultative.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=7),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Aprobación", subject=plan)],
    )
    [desk] = [d for d in secretary_desk(user=consultative.secretary) if d.body == consultative.body]
    assert [p.subject for p in desk.awaiting] == []
    assert len(desk.convened) == 1
