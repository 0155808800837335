"""A person typed in by a membership manager is created by a service: with an actor, an event, a safe slug."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.urls import reverse

from councils.models import Person
from councils.services import memberships as membership_services
from implan import roles
from implan.events import events_for
from tests.councils.builders import council
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_person_create_records_who_created_the_person():
    c = council(size=1)
    person = membership_services.person_create(actor=c.secretary, name="  Ana Pérez ")
    assert (person.name, person.slug) == ("Ana Pérez", "ana-perez")
    [event] = events_for(person)
    assert (event.action, event.actor) == ("person_created", c.secretary)
    assert person.history.get().history_change_reason == "Alta de persona"


@pytest.mark.django_db
def test_person_create_gives_a_namesake_the_next_free_slug():
    c = council(size=1)
    PersonFactory(name="Ana Pérez", slug="ana-perez")
    assert membership_services.person_create(actor=c.secretary, name="Ana Pérez").slug == "ana-perez-2"


@pytest.mark.django_db
def test_someone_who_manages_no_body_cannot_create_people(outsider):
    with pytest.raises(PermissionDenied):
        membership_services.person_create(actor=outsider, name="Ana Pérez")
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_namesake_inserted_concurrently_makes_the_service_take_the_next_slug():
    """Another manager's uncommitted insert of the same slug is invisible to the check, then wins the unique index."""
    for name in roles.ALL_ROLES:  # a transactional test starts from an emptied database, without the role groups
        Group.objects.get_or_create(name=name)
    c = council(size=1)
    inserted, release = threading.Event(), threading.Event()

    def other_manager() -> None:
        try:
            with transaction.atomic():
                # A plain INSERT on another connection: the row a competing request writes, nothing more.
                Person.objects.create(name="Ana Pérez", sort_name="Ana Pérez", slug="ana-perez")
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    other = threading.Thread(target=other_manager)
    other.start()
    assert inserted.wait(timeout=10)
    # Our insert blocks on the unique index until the other transaction commits, a moment later.
    threading.Timer(0.5, release.set).start()
    person = membership_services.person_create(actor=c.secretary, name="Ana Pérez")
    other.join()
    assert person.slug == "ana-perez-2"
    slugs = Person.objects.filter(name="Ana Pérez").values_list("slug", flat=True)
    assert sorted(slugs) == ["ana-perez", "ana-perez-2"]


@pytest.mark.django_db
def test_adding_a_typed_in_person_through_the_workspace_records_the_secretary(client):
    c = council(size=1)
    client.force_login(c.secretary)
    response = client.post(
        reverse("councils:membership_add", args=[c.body.slug]),
        {
            "new_person_name": "Persona Nueva",
            "role": "consejero",
            "sector": "ciudadano",
            "has_vote": "on",
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Persona Nueva")
    assert [(e.action, e.actor) for e in events_for(person)] == [("person_created", c.secretary)]


@pytest.mark.django_db
def test_a_name_longer_than_the_field_is_refused_in_spanish_not_a_server_error():
    from implan.errors import DomainError

    c = council(size=1)
    with pytest.raises(DomainError, match="demasiado largo"):
        membership_services.person_create(actor=c.secretary, name="Ana " * 80)
    assert not Person.objects.filter(name__startswith="Ana Ana").exists()
