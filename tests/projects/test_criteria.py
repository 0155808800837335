"""Administrators set the scoring criteria's weights in the workspace; the next assessments use them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from implan.concurrency import rows_snapshot, sign
from implan.errors import DomainError
from implan.models import Event
from projects import services
from projects.models import CriterionScore, ProjectStatus, ScoringCriterion
from tests.factories import ProjectFactory
from tests.projects.builders import criteria

pytestmark = pytest.mark.django_db


@pytest.fixture
def six():
    return criteria()


def _form(six, **changes):
    """The POST of the page with every criterion as it is, except ``changes`` (code → (weight, in force))."""
    data = {"opened": sign(rows_snapshot(six, services.CRITERION_FIELDS))}
    for c in six:
        weight, active = changes.get(c.code, (c.weight, c.is_active))
        data[f"peso_{c.pk}"] = str(weight)
        if active:
            data[f"vigente_{c.pk}"] = "on"
    return data


def _weights():
    return {c.code: (c.weight, c.is_active) for c in ScoringCriterion.objects.all()}


def test_an_administrator_changes_a_weight_and_the_next_assessment_uses_it(client, administrator, planner, six):
    earlier = services.project_assess(
        actor=planner,
        project=ProjectFactory(status=ProjectStatus.PROPOSED),
        ratings={c.pk: 100 if c.code == "costo" else 0 for c in six},
    )
    client.force_login(administrator)
    response = client.post(reverse("projects:criteria"), _form(six, costo=("50", True), demanda=("10", False)))
    assert response.status_code == 302
    assert _weights()["costo"] == (Decimal("50.00"), True) and _weights()["demanda"] == (Decimal("10.00"), False)
    later = services.project_assess(
        actor=planner,
        project=ProjectFactory(status=ProjectStatus.PROPOSED),
        ratings={c.pk: 100 if c.code == "costo" else 0 for c in six if c.code != "demanda"},
    )
    # Active weights now 25+20+20+15+50 = 130: 50/130 of 100 points; the earlier assessment keeps 10/100.
    assert (earlier.score, later.score) == (Decimal("10.00"), Decimal("38.46"))
    assert CriterionScore.objects.get(assessment=earlier, criterion__code="costo").weight == Decimal("10.00")
    events = Event.objects.filter(action="criterion_configured")
    assert events.count() == 2 and {e.actor for e in events} == {administrator}
    costo = ScoringCriterion.objects.get(code="costo")
    assert costo.history.first().history_user == administrator


def test_planners_see_the_weights_but_cannot_change_them(client, planner, six):
    client.force_login(planner)
    page = client.get(reverse("projects:criteria")).content.decode()
    assert "Alineación a la estrategia" in page and "Guardar los pesos" not in page
    assert client.post(reverse("projects:criteria"), _form(six, costo=("90", True))).status_code == 403
    with pytest.raises(PermissionDenied):
        services.criteria_configure(actor=planner, settings_by_id={})
    assert _weights()["costo"] == (Decimal("10.00"), True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"costo": ("-1", True)}, "Asegúrese de que este valor sea mayor o igual a 0"),
        ({"costo": ("101", True)}, "Asegúrese de que este valor sea menor o igual a 100"),
        ({"costo": ("mucho", True)}, "Introduzca un número"),
        (
            {c: ("0", True) for c in ["alineacion", "impacto", "beneficiarios", "factibilidad", "costo", "demanda"]},
            "Al menos un criterio vigente debe tener un peso mayor que cero",
        ),
    ],
)
def test_bad_weights_are_refused_with_a_message_and_nothing_changes(client, administrator, six, changes, message):
    before = _weights()
    client.force_login(administrator)
    response = client.post(reverse("projects:criteria"), _form(six, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert _weights() == before and not Event.objects.filter(action="criterion_configured").exists()


def test_the_service_refuses_out_of_range_weights_and_a_stale_list(administrator, six):
    settings = {c.pk: services.CriterionSetting(weight=c.weight, is_active=True) for c in six}
    with pytest.raises(DomainError, match="entre 0 y 100"):
        services.criteria_configure(
            actor=administrator,
            settings_by_id={**settings, six[0].pk: services.CriterionSetting(weight=Decimal("100.01"), is_active=True)},
        )
    with pytest.raises(DomainError, match="cambió mientras editaba"):
        services.criteria_configure(actor=administrator, settings_by_id=dict(list(settings.items())[:5]))


def test_the_django_admin_no_longer_changes_weights_behind_the_service(client, superuser, six):
    costo = next(c for c in six if c.code == "costo")
    client.force_login(superuser)
    url = reverse("admin:projects_scoringcriterion_change", args=[costo.pk])
    client.post(
        url,
        {"code": costo.code, "name": costo.name, "description": "", "weight": "99", "order": "7", "is_active": "on"},
    )
    costo.refresh_from_db()
    assert (costo.order, costo.weight) == (7, Decimal("10.00"))  # the form was saved; the weight was not in it


def test_a_criterion_added_in_the_admin_is_not_in_force_until_weighed_and_none_is_deleted(client, superuser, six):
    client.force_login(superuser)
    client.post(
        reverse("admin:projects_scoringcriterion_add"),
        {"code": "equidad", "name": "Equidad", "description": "", "order": "9"},
    )
    added = ScoringCriterion.objects.get(code="equidad")
    assert added.is_active is False
    response = client.post(reverse("admin:projects_scoringcriterion_delete", args=[six[0].pk]), {"post": "yes"})
    assert response.status_code == 403 and ScoringCriterion.objects.filter(pk=six[0].pk).exists()
