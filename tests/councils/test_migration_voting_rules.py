"""The migration that gave bodies a majority base: existing bodies get the defaults, past motions keep their rule.

The migration's data step is run on rows shaped as it found them (no base, no count of voting members) rather than by
migrating the schema back and forth: unapplying every later migration of every app cost half a minute of the suite.
"""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from councils.models import AgendaItem, Body, Membership, Motion, Person, Session

migration = importlib.import_module("councils.migrations.0005_voting_rules_majority_base")


def test_bodies_created_before_the_migration_get_the_usual_bases():
    fields = {op.name: op.field for op in migration.Migration.operations if getattr(op, "model_name", "") == "body"}
    assert fields["majority_base"].default == "presentes"
    assert fields["qualified_majority_base"].default == "integrantes"


@pytest.mark.django_db
def test_past_motions_say_they_were_counted_on_votes_cast_over_the_members_with_vote_on_the_sessions_day():
    body = Body.objects.create(name="Consejo", slug="consejo", kind="consejo_consultivo")
    memberships = [
        (True, datetime.date(2024, 1, 1), None),
        (True, datetime.date(2024, 1, 1), None),
        (True, datetime.date(2024, 1, 1), datetime.date(2025, 3, 1)),  # its last day is the session's: it counts
        (False, datetime.date(2024, 1, 1), None),  # no vote
        (True, datetime.date(2024, 1, 1), datetime.date(2025, 2, 28)),  # gone the day before
        (True, datetime.date(2025, 3, 3), None),  # arrived later
    ]
    for n, (has_vote, start, end) in enumerate(memberships):
        person = Person.objects.create(name=f"P{n}", slug=f"p{n}")
        Membership.objects.create(
            person=person, body=body, sector="ciudadano", has_vote=has_vote, start_date=start, end_date=end
        )
    # 23:00 in Mexico City is already the next day in UTC: the day counted is León's.
    session = Session.objects.create(
        body=body,
        number=1,
        place="Sala",
        scheduled_at=datetime.datetime(2025, 3, 1, 23, tzinfo=ZoneInfo("America/Mexico_City")),
    )
    item = AgendaItem.objects.create(session=session, order=1, title="Asunto", kind="decision")
    motion = Motion.objects.create(
        agenda_item=item,
        text="Se aprueba",
        state="cerrada",
        result="aprobada",
        votes_for=1,
        majority_base="",
        voting_members=0,
    )

    migration.record_the_base_of_past_motions(apps, None)

    motion.refresh_from_db()
    assert (motion.majority_base, motion.voting_members) == ("votos_emitidos", 3)
