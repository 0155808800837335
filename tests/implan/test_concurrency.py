"""The core's optimistic-concurrency mechanism on its own: snapshots of one row or of several, what a conflict names,
and who saved last. Each app's forms are tried through the web in test_edit_conflicts.py."""

import pytest
from django.conf import settings
from django.utils import translation

from implan.concurrency import (
    EditConflict,
    check_rows_unchanged,
    check_snapshot,
    read_token,
    rows_snapshot,
    token_for,
)
from tests.factories import AgencyFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ("name", "is_active")


@pytest.fixture(autouse=True)
def spanish():
    """Labels and values are read in the reader's language; an earlier test may have left another one active."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _save(obj, actor, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._history_user = actor
    obj.save()


def test_a_form_over_several_rows_names_the_row_and_field_that_changed_and_who_saved_it():
    obras, agua = AgencyFactory(name="Obra Pública"), AgencyFactory(name="SAPAL")
    seen = rows_snapshot([obras, agua], FIELDS)
    ana = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    _save(agua, ana, is_active=False)
    with pytest.raises(EditConflict) as conflict:
        check_rows_unchanged([obras, agua], FIELDS, seen)
    [change] = conflict.value.changes
    assert (change.label, change.old, change.new) == ("SAPAL · Vigente", "Sí", "No")
    assert conflict.value.changed_by == ana
    # The fresh token is the stored state: sending the form again with it is a deliberate overwrite.
    check_rows_unchanged([obras, agua], FIELDS, read_token(conflict.value.token))


def test_a_row_gone_since_the_form_opened_counts_as_a_change():
    seen = {"m1": "Presente", "m2": "Ausente"}
    with pytest.raises(EditConflict) as conflict:
        check_snapshot({"m1": "Presente"}, seen, labels={"m1": "Ana", "m2": "Beto"})
    assert [(c.label, c.old, c.new) for c in conflict.value.changes] == [("Beto", "Ausente", "")]


def test_nothing_to_compare_means_a_new_record_and_no_check():
    check_snapshot({"text": "Acta"}, None, labels={"text": "Texto"})


def test_a_list_is_compared_as_the_person_reads_it():
    project = ProjectFactory(sdg_goals=[3, 11])
    assert read_token(token_for(project, ["sdg_goals"])) == {"sdg_goals": "3, 11"}
