"""History reads as a person would say it: one line for a session's attendance, seats named by person and role."""

import datetime

import pytest
from django.urls import reverse

from councils.models import AttendanceStatus, MembershipRole
from councils.services import memberships as membership_services
from councils.services import sessions as session_services
from implan.history import history_entries
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db


def test_the_attendance_of_a_session_is_one_line_not_one_row_per_member(client):
    c = council(size=25)
    session = session_in_progress(c, present=23)
    entries = history_entries(session.attendances.all())
    assert len(entries) == 1
    assert entries[0].summary == "asistencia registrada: 23 presentes, 2 ausentes"
    client.force_login(c.secretary)
    page = client.get(reverse("councils:workspace_session", args=[session.pk])).content.decode()
    assert page.count("asistencia registrada: 23 presentes, 2 ausentes") == 1
    assert "asistencia #" not in page


def test_a_correction_of_attendance_names_the_member_and_stays_its_own_line():
    c = council(size=3)
    session = session_in_progress(c, present=2)
    absent = c.members[2]
    session_services.session_record_attendance(
        actor=c.secretary, session=session, statuses={absent.pk: AttendanceStatus.EXCUSED}
    )
    entries = history_entries(session.attendances.all())
    assert [e.summary or e.object_label for e in entries] == [
        f"asistencia de {absent.person.name}",
        "asistencia registrada: 2 presentes, 1 ausente",
    ]
    assert [(ch.old, ch.new) for ch in entries[0].changes if ch.label == "asistencia"] == [
        ("Ausente", "Ausencia justificada")
    ]


def test_memberships_are_named_by_person_and_role_never_by_number(client):
    c = council(size=2)
    seat = c.members[0]
    membership_services.membership_change(
        actor=c.secretary,
        membership=seat,
        role=MembershipRole.PRESIDENT,
        sector=seat.sector,
        has_vote=True,
        on=datetime.date(2025, 6, 1),
    )
    labels = [e.object_label for e in history_entries(c.body.memberships.all())]
    assert f"{seat.person.name}, Presidencia" in labels
    assert not [label for label in labels if "membresía #" in label]
    client.force_login(c.secretary)
    page = client.get(reverse("councils:workspace_body", args=[c.body.slug])).content.decode()
    assert "membresía #" not in page
    assert seat.person.name in page


def test_the_audit_log_reads_the_same_way(client, administrator):
    c = council(size=4)
    session_in_progress(c, present=3)
    client.force_login(administrator)
    page = client.get(reverse("implan:audit_log")).content.decode()
    assert "asistencia registrada: 3 presentes, 1 ausente" in page
    assert "membresía #" not in page and "asistencia #" not in page
