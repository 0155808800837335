"""History records the acting user on every model people edit."""

import pytest
from django.apps import apps

from tests.factories import AgencyFactory

# Import jobs change state only through services and the worker (event rows); their rows are staging.
NOT_EDITED_BY_PEOPLE = {
    "implan.Event",
    "indicators.SdgCode",
    "indicators.ImportJob",
    "indicators.ImportRow",
    # Bookkeeping of the periodic reminder: that one was sent for an indicator's due date.
    "indicators.UpdateReminder",
    "implan.AdminImport",
    "implan.TerritoryImport",
    # Written by tasks, each its own record: a message and its outcome; a published report's stored PDF.
    "implan.OutgoingEmail",
    # Written by services, each its own record: a notice in a person's inbox (reading it only stamps read_at), a
    # session's notice to one recipient (the «acuse»).
    "implan.Notification",
    "councils.SessionNotice",
    "planning.ReportDocument",
    # Written by a task, each its own record: a session's meeting packet as laid out for one state of its agenda.
    "councils.SessionPacket",
    # Written once: a citizen's comment by its author (its moderation is an event row: who, when, the reason), a
    # forum's attendance with the forum (never changed afterwards).
    "consultations.Comment",
    "consultations.ForumAttendance",
    # A subscription belongs to its address: it changes only through the signed links from the e-mails (each step an
    # event row, without the address); a digest is the task's record that a period was sent.
    "consultations.Subscription",
    "consultations.Digest",
}
PORTAL_APPS = ["implan", "councils", "planning", "projects", "indicators", "consultations"]


def test_every_model_people_edit_carries_history():
    missing = [
        m._meta.label
        for label in PORTAL_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
        and m._meta.label not in NOT_EDITED_BY_PEOPLE
        and not hasattr(m, "history")
    ]
    assert missing == []


@pytest.mark.django_db
def test_a_change_through_the_admin_records_who_made_it(client, superuser):
    agency = AgencyFactory(name="Dirección de Movilidad", slug="movilidad")
    client.force_login(superuser)
    response = client.post(
        f"/admin/implan/agency/{agency.pk}/change/",
        {"name": "Dirección General de Movilidad", "slug": "movilidad", "acronym": "DGM", "is_active": "on"},
    )
    assert response.status_code == 302
    latest = agency.history.first()
    assert latest.name == "Dirección General de Movilidad"
    assert latest.history_user == superuser
    assert sorted(latest.diff_against(latest.prev_record).changed_fields) == ["acronym", "name"]
