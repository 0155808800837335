"""The planner sees the whole approval chain of an instrument on its page: each body, done, in session or waiting."""

import datetime

import pytest
from django.utils import timezone

from councils import approvals
from councils.models import AttendanceStatus, BodyKind, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from planning.services import lifecycle
from planning.versions import workspace_url
from tests.councils.builders import council
from tests.factories import StrategicPlanFactory

pytestmark = pytest.mark.django_db


def _statuses(plan) -> list[tuple[str, str]]:
    return [(step.body.slug, step.status) for step in approvals.approval_chain(plan)]


def test_each_body_of_the_chain_is_shown_done_in_session_or_waiting(client, planner):
    consultative = council(size=3, slug="consejo-consultivo")
    council(size=3, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)  # the second body of the chain
    plan = lifecycle.instrument_submit(instrument=StrategicPlanFactory(title="Plan León 2045"), actor=planner)
    assert _statuses(plan) == [("consejo-consultivo", "en_espera"), ("ayuntamiento", "en_espera")]

    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=consultative.secretary,
        body=consultative.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=2),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Opinión sobre el plan", subject=plan)],
    )
    assert _statuses(plan) == [("consejo-consultivo", "en_sesion"), ("ayuntamiento", "en_espera")]
    client.force_login(planner)
    page = client.get(workspace_url(plan)).content.decode()
    assert "Cadena de aprobación" in page and "En sesión" in page and "En espera" in page

    session_services.session_record_attendance(
        actor=consultative.secretary,
        session=session,
        statuses={m.pk: AttendanceStatus.PRESENT for m in consultative.members},
    )
    motion = vote_services.motion_open(actor=consultative.secretary, item=session.agenda_items.get(), text="Sí")
    for i in range(3):
        vote_services.vote_cast(actor=consultative.user(i), motion=motion, option=VoteOption.YES)
    resolution = vote_services.motion_close(actor=consultative.secretary, motion=motion)
    assert _statuses(plan) == [("consejo-consultivo", "aprobo"), ("ayuntamiento", "en_espera")]
    page = client.get(workspace_url(plan)).content.decode()
    assert f"acuerdo {resolution.number}/{resolution.year}" in page
