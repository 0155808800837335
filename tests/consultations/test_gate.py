"""An instrument whose consultation is required is not sent to approval before the consultation's report is out."""

from __future__ import annotations

import pytest

from consultations import services
from consultations.models import Verdict
from implan.errors import DomainError
from implan.models import LifecycleState
from planning.services import lifecycle
from tests.consultations.builders import close, comment, open_consultation
from tests.factories import StrategicPlanFactory

pytestmark = pytest.mark.django_db


def test_a_plan_needing_consultation_is_refused_until_its_report_is_published(planner, settings):
    settings.CONSULTATION_REQUIRED_FOR = ["plan"]
    consultation = open_consultation(planner)
    plan = consultation.instrument
    with pytest.raises(DomainError, match="requiere consulta pública"):
        lifecycle.instrument_submit(instrument=plan, actor=planner)

    accepted = services.comment_moderate(actor=planner, comment=comment(consultation), accept=True)
    close(consultation, planner)
    with pytest.raises(DomainError, match="requiere consulta pública"):
        lifecycle.instrument_submit(instrument=plan, actor=planner)
    plan.refresh_from_db()
    assert plan.state == LifecycleState.DRAFT

    services.answer_give(actor=planner, comment=accepted, verdict=Verdict.ACCEPTED, reason="Se incorporó.")
    services.report_publish(actor=planner, consultation=consultation)
    assert lifecycle.instrument_submit(instrument=plan, actor=planner).state == LifecycleState.IN_REVIEW


def test_a_plan_without_a_consultation_is_refused_too(planner, settings):
    settings.CONSULTATION_REQUIRED_FOR = ["plan"]
    with pytest.raises(DomainError, match="requiere consulta pública"):
        lifecycle.instrument_submit(instrument=StrategicPlanFactory(), actor=planner)


def test_kinds_not_in_the_setting_go_to_approval_as_before(planner, settings):
    settings.CONSULTATION_REQUIRED_FOR = ["programa"]
    plan = StrategicPlanFactory()
    assert lifecycle.instrument_submit(instrument=plan, actor=planner).state == LifecycleState.IN_REVIEW


def test_the_refusal_reaches_the_planner_as_a_message_in_the_workspace(client, planner, settings):
    from django.urls import reverse

    settings.CONSULTATION_REQUIRED_FOR = ["plan"]
    plan = StrategicPlanFactory()
    client.force_login(planner)
    response = client.post(reverse("planning:instrument_submit", args=["plan", plan.pk]), follow=True)
    assert "requiere consulta pública" in response.content.decode()


def test_the_approval_chain_shows_the_consultation_and_then_its_published_report(client, planner, settings):
    from django.urls import reverse

    from planning.versions import workspace_url

    settings.CONSULTATION_REQUIRED_FOR = ["plan"]
    consultation = open_consultation(planner)
    plan = consultation.instrument
    client.force_login(planner)
    page = client.get(workspace_url(plan)).content.decode()
    assert "Consulta pública «Consulta del Plan León 2040»" in page
    assert reverse("consultations:workspace_detail", args=[consultation.pk]) in page
    assert "requerido antes de enviar a aprobación" in page

    accepted = services.comment_moderate(actor=planner, comment=comment(consultation), accept=True)
    close(consultation, planner)
    services.answer_give(actor=planner, comment=accepted, verdict=Verdict.ACCEPTED, reason="Se incorporó.")
    services.report_publish(actor=planner, consultation=consultation)
    lifecycle.instrument_submit(instrument=plan, actor=planner)

    page = client.get(workspace_url(plan)).content.decode()
    assert "Informe publicado" in page and reverse("consultations:report", args=[consultation.slug]) in page
    assert "requerido antes de enviar a aprobación" not in page
