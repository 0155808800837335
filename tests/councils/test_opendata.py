"""Open data of the councils validates against the official Popolo schemas and parses as iCalendar."""

import json
from pathlib import Path

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from councils.models import VoteOption
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parents[2] / "councils" / "schemas" / "popolo"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["id"].rstrip("#"), Resource(contents=schema, specification=DRAFT3)))
        resources.append((schema["id"], Resource(contents=schema, specification=DRAFT3)))
    return Registry().with_resources(resources)


def _validator(name: str) -> Draft3Validator:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return Draft3Validator(schema, registry=_registry())


@pytest.fixture
def record():
    c = council(size=4)
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i, option in enumerate([VoteOption.YES, VoteOption.YES, VoteOption.ABSTAIN]):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=option)
    vote_services.motion_close(actor=c.secretary, motion=motion)
    return c, session


def test_popolo_export_validates_against_the_official_schemas(client, record):
    data = client.get(reverse("councils:popolo")).json()
    kinds = {
        "organizations": "organization",
        "persons": "person",
        "posts": "post",
        "memberships": "membership",
        "motions": "motion",
        "vote_events": "vote_event",
    }
    for key, schema in kinds.items():
        assert data[key], key
        validator = _validator(schema)
        for item in data[key]:
            errors = list(validator.iter_errors(item))
            assert errors == [], (key, item, errors)
    for vote in data["vote_events"][0]["votes"]:
        assert list(_validator("vote").iter_errors(vote)) == []


def test_popolo_counts_match_each_vote(client, record):
    event = client.get(reverse("councils:popolo")).json()["vote_events"][0]
    counts = {c["option"]: c["value"] for c in event["counts"]}
    assert counts == {"yes": 2, "no": 0, "abstain": 1}
    assert sorted(v["option"] for v in event["votes"]) == ["abstain", "yes", "yes"]
    assert event["result"] == "pass"


def test_the_validator_really_checks(record):
    assert list(_validator("membership").iter_errors({"start_date": "ayer"}))


def test_sessions_calendar_parses_back_with_its_time_zone(client, record):
    c, session = record
    response = client.get(reverse("councils:sessions_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "America/Mexico_City"
    assert calendar.get_missing_tzids() == set()
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Mexico_City"]
    assert c.body.name in str(events[0]["summary"])


def _calendar(client) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(client.get(reverse("councils:sessions_ics")).content)


def test_the_spanish_calendar_labels_its_sessions_in_spanish(client, record):
    c, session = record
    calendar = _calendar(client)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["x-wr-calname"]).startswith("Sesiones · ")
    assert str(event["summary"]) == f"{c.body.name}: sesión ordinaria {session.number}"
    assert str(event["description"]) == "Orden del día:\n1. Asunto a votar"


# English labels for the feed, whether or not the catalogue has them yet (translators add them after a merge).
ENGLISH_LABELS = {
    "Sesiones · %(institute)s": "Sessions · %(institute)s",
    "%(body)s: sesión %(kind)s %(number)s": "%(body)s: %(kind)s session %(number)s",
    "Orden del día:\n%(agenda)s": "Agenda:\n%(agenda)s",
}


@pytest.fixture
def english(client):
    catalogue = trans_real.translation("en")._catalog._catalogs[0]
    saved = dict(catalogue)
    catalogue.update(ENGLISH_LABELS)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    catalogue.clear()
    catalogue.update(saved)
    translation.deactivate()  # the test client leaves the last request's language active in this thread


def test_the_calendar_labels_follow_the_request_language_and_the_data_stays_as_written(english, record):
    c, session = record
    calendar = _calendar(english)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["x-wr-calname"]).startswith("Sessions · ")
    assert str(event["summary"]).startswith(f"{c.body.name}: ")
    assert str(event["summary"]).endswith(f" session {session.number}")
    assert str(event["description"]) == "Agenda:\n1. Asunto a votar"
