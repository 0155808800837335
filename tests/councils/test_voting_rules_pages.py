"""Majorities through the web: the secretary's confirmation before closing an incomplete vote, and the page where
administrators set a body's voting rules (not the admin, not an import)."""

from decimal import Decimal

import pytest
import tablib
from django.core import signing
from django.urls import reverse

from councils.models import Body, MajorityBase, Motion, MotionResult, MotionState, Resolution, VoteOption
from councils.resources import BodyResource
from councils.services import votes as vote_services
from implan import roles
from implan.models import Event
from tests.councils.builders import council, session_in_progress
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_vote():
    c = council(size=25)
    session = session_in_progress(c, present=25)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    vote_services.vote_cast(actor=c.user(0), motion=motion, option=VoteOption.YES)
    return c, motion


@pytest.fixture
def admin():
    return UserFactory(username="administracion", roles=[roles.ADMINISTRATION])


def test_closing_an_incomplete_vote_asks_the_secretary_with_the_count_and_saves_nothing(client, open_vote):
    c, motion = open_vote
    client.force_login(c.secretary)
    response = client.post(reverse("councils:motion_close", args=[motion.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "¿Cerrar la votación?" in html
    assert "Votaron 1 de 25 integrantes presentes." in html
    assert "se necesitan 13 votos a favor" in html
    assert 'name="confirmed" value="on"' in html
    assert Motion.objects.get().state == MotionState.OPEN


def test_the_confirmed_close_records_no_majority_and_says_so(client, open_vote):
    c, motion = open_vote
    client.force_login(c.secretary)
    response = client.post(reverse("councils:motion_close", args=[motion.pk]), {"confirmed": "on"}, follow=True)
    assert "Votación cerrada sin mayoría" in response.content.decode()
    assert Motion.objects.get().result == MotionResult.NO_MAJORITY
    assert not Resolution.objects.exists()
    public = client.get(reverse("councils:session_detail", args=[c.body.slug, motion.agenda_item.session.number]))
    assert "Sin mayoría" in public.content.decode()


def test_a_member_cannot_close_a_vote_by_confirming(client, open_vote):
    c, motion = open_vote
    client.force_login(c.user(0))
    assert client.post(reverse("councils:motion_close", args=[motion.pk]), {"confirmed": "on"}).status_code == 403
    assert Motion.objects.get().state == MotionState.OPEN


def test_the_session_page_states_the_rule_of_the_open_vote(client, open_vote):
    c, motion = open_vote
    client.force_login(c.user(1))
    html = client.get(reverse("councils:workspace_session", args=[motion.agenda_item.session_id])).content.decode()
    assert "Se aprueba con más del 50% de los integrantes con voto presentes." in html


# --- The voting rules page ---------------------------------------------------------------------------------------


def _rules_url(body: Body) -> str:
    return reverse("councils:body_voting_rules", args=[body.slug])


def _post_data(form_page, **changes) -> dict:
    form = form_page.context["form"]
    return {**{name: form.initial[name] for name in form.fields}, **changes}


def test_administration_changes_the_rules_on_the_bodys_workspace_page(client, admin):
    c = council(size=2)
    client.force_login(admin)
    body_page = client.get(reverse("councils:workspace_body", args=[c.body.slug])).content.decode()
    assert "Mayoría simple: más del 50% de los integrantes con voto presentes." in body_page
    assert "Mayoría calificada, en los asuntos que la exigen: al menos el 66.67% de todos los integrantes" in body_page
    assert _rules_url(c.body) in body_page
    page = client.get(_rules_url(c.body))
    response = client.post(
        _rules_url(c.body), _post_data(page, majority_base=MajorityBase.MEMBERS, majority_percent="60")
    )
    assert response.status_code == 302
    c.body.refresh_from_db()
    assert (c.body.majority_base, c.body.majority_percent) == (MajorityBase.MEMBERS, Decimal("60"))
    assert Event.objects.filter(action="body_voting_rules_set", actor=admin).count() == 1
    history = client.get(reverse("councils:workspace_body", args=[c.body.slug])).content.decode()
    assert "Reglas de votación" in history


@pytest.mark.parametrize("who", ["secretary", "member"])
def test_the_bodys_secretary_and_members_see_the_rules_but_may_not_change_them(client, who):
    c = council(size=2)
    client.force_login(c.secretary if who == "secretary" else c.user(0))
    body_page = client.get(reverse("councils:workspace_body", args=[c.body.slug])).content.decode()
    assert "Mayoría simple" in body_page
    assert _rules_url(c.body) not in body_page
    assert client.get(_rules_url(c.body)).status_code == 403
    assert client.post(_rules_url(c.body), {"majority_base": MajorityBase.CAST}).status_code == 403
    c.body.refresh_from_db()
    assert c.body.majority_base == MajorityBase.PRESENT


def test_an_outsider_does_not_find_the_rules_page(client, outsider):
    c = council(size=1)
    client.force_login(outsider)
    assert client.get(_rules_url(c.body)).status_code == 404


def test_the_rules_form_refuses_a_change_someone_saved_meanwhile(client, admin):
    c = council(size=1)
    client.force_login(admin)
    first, second = client.get(_rules_url(c.body)), client.get(_rules_url(c.body))
    client.post(_rules_url(c.body), _post_data(first, majority_base=MajorityBase.CAST))
    response = client.post(_rules_url(c.body), _post_data(second, majority_percent="55"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alguien más guardó cambios en este registro" in page
    assert "Guardar mi versión de todos modos" in page
    c.body.refresh_from_db()
    assert (c.body.majority_base, c.body.majority_percent) == (MajorityBase.CAST, Decimal("50"))


@pytest.mark.parametrize(
    ("opened", "message"),
    [
        ("", "llegó sin la marca"),
        ("falso", "no es válido o caducó"),
        (signing.dumps({"majority_base": "x"}, salt="otra.cosa"), "no es válido o caducó"),
    ],
    # Names that do not carry the signed value: it holds the time it was signed, and pytest-xdist's workers must
    # collect the same test names.
    ids=["missing", "forged", "signed-for-something-else"],
)
def test_the_rules_form_without_a_valid_opened_mark_saves_nothing(client, admin, opened, message):
    c = council(size=1)
    client.force_login(admin)
    data = _post_data(client.get(_rules_url(c.body)), majority_base=MajorityBase.CAST, opened=opened)
    response = client.post(_rules_url(c.body), data)
    assert message in response.content.decode()
    c.body.refresh_from_db()
    assert c.body.majority_base == MajorityBase.PRESENT


@pytest.mark.parametrize(
    ("field", "value"),
    [("majority_percent", "150"), ("majority_base", "todos_mis_amigos"), ("qualified_majority_percent", "abc")],
)
def test_the_rules_form_refuses_bad_values_in_spanish(client, admin, field, value):
    c = council(size=1)
    client.force_login(admin)
    response = client.post(_rules_url(c.body), _post_data(client.get(_rules_url(c.body)), **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Event.objects.filter(action="body_voting_rules_set").exists()


def test_the_django_admin_shows_an_existing_bodys_rules_read_only(client, superuser):
    c = council(size=1)
    client.force_login(superuser)
    page = client.get(reverse("admin:councils_body_change", args=[c.body.pk])).content.decode()
    assert 'name="majority_base"' not in page
    assert 'name="qualified_majority_percent"' not in page
    assert 'name="quorum_percent"' in page


def test_an_import_of_bodies_does_not_change_their_rules():
    c = council(size=1)
    exported = BodyResource().export()
    assert exported.dict[0]["majority_base"] == MajorityBase.PRESENT  # exported: a reader sees the rule
    edited = tablib.Dataset(headers=exported.headers)
    for row in exported.dict:
        row.update(majority_base=MajorityBase.CAST, majority_percent="10")
        edited.append([row[header] for header in exported.headers])
    result = BodyResource().import_data(edited, dry_run=False)
    assert not result.has_errors()
    c.body.refresh_from_db()
    assert (c.body.majority_base, c.body.majority_percent) == (MajorityBase.PRESENT, Decimal("50"))
