"""The migration that gave bodies a majority base: existing bodies get the defaults, past motions keep their rule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("councils", "0004_text_limits")]


@pytest.mark.django_db(transaction=True)
def test_existing_bodies_get_the_default_bases_and_past_motions_say_they_were_counted_on_votes_cast():
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes("councils")
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    body = old.get_model("councils", "Body").objects.create(name="Consejo", slug="consejo", kind="consejo_consultivo")
    for n, has_vote in enumerate([True, True, True, False]):
        person = old.get_model("councils", "Person").objects.create(name=f"P{n}", slug=f"p{n}")
        old.get_model("councils", "Membership").objects.create(
            person=person, body=body, sector="ciudadano", has_vote=has_vote, start_date=datetime.date(2024, 1, 1)
        )
    session = old.get_model("councils", "Session").objects.create(
        body=body, number=1, place="Sala", scheduled_at=datetime.datetime(2025, 3, 1, 17, tzinfo=ZoneInfo("UTC"))
    )
    item = old.get_model("councils", "AgendaItem").objects.create(
        session=session, order=1, title="Asunto", kind="decision"
    )
    motion = old.get_model("councils", "Motion").objects.create(
        agenda_item=item, text="Se aprueba", state="cerrada", result="aprobada", votes_for=1
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    body = new.get_model("councils", "Body").objects.get(pk=body.pk)
    assert (body.majority_base, body.qualified_majority_base) == ("presentes", "integrantes")
    motion = new.get_model("councils", "Motion").objects.get(pk=motion.pk)
    assert (motion.majority_base, motion.voting_members) == ("votos_emitidos", 3)
