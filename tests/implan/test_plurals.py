"""Counts read in the singular when they are one, across the portal («1 cuenta», never «1 cuentas»)."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.urls import reverse

from councils.models import Resolution, VoteOption
from councils.services import renewal as renewal_services
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.concurrency import sign
from implan.errors import DomainError
from implan.models import LifecycleState
from planning.selectors import report as reporting
from projects.models import ProjectStatus
from tests.councils.builders import council, session_in_progress
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    ObservationFactory,
    PersonFactory,
    ProjectFactory,
    StrategyFactory,
    UserFactory,
)
from tests.planning.report_world import build_year

pytestmark = pytest.mark.django_db


def test_deactivating_one_account_in_the_admin_says_one_account(client, superuser):
    account = UserFactory(username="se_va")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "deactivate", "_selected_action": [account.pk]}, follow=True
    )
    assert "Se desactivó 1 cuenta; su historial se conserva." in response.content.decode()
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "reactivate", "_selected_action": [account.pk]}, follow=True
    )
    assert "Se reactivó 1 cuenta." in response.content.decode()


def test_a_vote_refused_for_want_of_quorum_counts_one_present_member_as_one(client):
    c = council(size=5)
    session = session_in_progress(c, present=1)
    with pytest.raises(DomainError, match="No hay quórum: está presente 1 de 5 integrantes con voto"):
        vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")


def test_recording_attendance_of_one_member_says_one_present(client):
    c = council(size=3)
    session = session_in_progress(c, present=0)
    client.force_login(c.secretary)
    data = {f"m{m.pk}": "presente" if n == 0 else "ausente" for n, m in enumerate(c.members)}
    recorded = dict(session.attendances.values_list("membership_id", "status"))
    data["opened"] = sign(session_services.attendance_snapshot(recorded, c.members))  # what the page showed when opened
    response = client.post(reverse("councils:session_attendance", args=[session.pk]), data, follow=True)
    assert "Asistencia registrada: 1 presente de 3 con voto" in response.content.decode()


def test_a_renewal_of_a_body_with_one_outgoing_citizen_says_one_member(client):
    c = council(size=1, seat_limit=5)
    client.force_login(c.secretary)
    page = client.get(reverse("councils:body_renew", args=[c.body.slug])).content.decode()
    assert "Elija si continúa el integrante ciudadano saliente (al menos el 50 %)" in page
    with pytest.raises(DomainError, match="al menos el 50% de 1 integrante ciudadano saliente; continúan 0"):
        renewal_services.body_renew(
            actor=c.secretary,
            body=c.body,
            name="2027–2030",
            start_date=datetime.date(2027, 1, 1),
            end_date=datetime.date(2029, 12, 31),
            continuing=[],
            joining=[renewal_services.Joiner(person=PersonFactory())],
        )


def test_verifying_one_record_says_one_record():
    c = council(size=3)
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for n in range(3):
        vote_services.vote_cast(actor=c.user(n), motion=motion, option=VoteOption.YES)
    resolution = vote_services.motion_close(actor=c.secretary, motion=motion)
    out = []
    call_command("verify_hashes", stdout=type("Out", (), {"write": lambda self, s: out.append(s)})())
    assert "1 registro verificado; su huella coincide." in "".join(out)
    Resolution.objects.filter(pk=resolution.pk).update(text="Se aprueba otra cosa")
    with pytest.raises(CommandError, match="1 de 1 registros no coincide con su huella"):
        call_command("verify_hashes")


def test_an_indicator_with_one_value_says_one_value(client, planner):
    observation = ObservationFactory(period="2020", period_start=datetime.date(2020, 1, 1))
    client.force_login(planner)
    html = client.get(reverse("indicators:workspace_indicator", args=[observation.indicator.pk])).content.decode()
    assert "1 valor, de 2020 a 2020" in html


def test_a_commission_with_one_session_and_one_resolution_reads_so_in_the_report():
    world = build_year()
    html = render_to_string(
        "planning/partials/report_body.html", {"data": reporting.annual_report_data(fiscal_year=world.year)}
    )
    assert "1 sesión celebrada y 1 acuerdo adoptado en 2025." in html


def test_the_home_counts_one_strategy_and_one_project_in_the_singular(client):
    strategy = StrategyFactory(vertiente__plan__state=LifecycleState.PUBLISHED)
    ProjectFactory(strategy=strategy, status=ProjectStatus.IN_PORTFOLIO)
    page = client.get("/").content.decode()
    assert "1 estrategia</span>" in page and "1 estrategias" not in page
    assert "1 proyecto en cartera o en ejecución" in page and "1 proyectos" not in page


def test_a_public_budget_with_one_line_says_one_line(client):
    BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year__year=2025))
    page = client.get(reverse("planning:budget_lines", args=[2025])).content.decode()
    assert "<caption>1 línea: programa, dependencia, capítulo, fuente y montos</caption>" in page
    assert "1 líneas" not in page
    year = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert "La 1 línea del presupuesto" in year and "Las 1 líneas" not in year


def test_an_indicator_with_one_value_says_so_in_its_charts_summary(client):
    observation = ObservationFactory(period="2020", period_start=datetime.date(2020, 1, 1), value=5)
    page = client.get(reverse("indicators:indicator_detail", args=[observation.indicator.slug])).content.decode()
    assert "Hay un solo valor, de 2020: 5 %." in page
    assert "1 periodos" not in page and "El más bajo" not in page
