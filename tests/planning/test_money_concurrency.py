"""Two planners editing the same budget line, execution, report section or finding: the second save is told the
record changed since they opened it, sees what changed, keeps their own input, and saves it only on purpose."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from implan import roles
from implan.concurrency import EditConflict, token_for
from implan.models import LifecycleState
from planning.models import FindingKind
from planning.services import budget as budget_services
from planning.services import evaluation as evaluation_services
from planning.services import report as report_services
from planning.services.budget import ExecutionData
from tests.factories import (
    BudgetFactory,
    BudgetLineFactory,
    EvaluationFindingFactory,
    ReportSectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _planner(name):
    client = Client()
    client.force_login(UserFactory(username=name, roles=[roles.PLANNING]))
    return client


def _opened(page: str) -> str:
    return re.search(r'name="opened" value="([^"]+)"', page).group(1)


def _line_post(line, amount, description, opened):
    return {
        "programme": line.programme_id,
        "agency": line.agency_id,
        "partida": "6140",
        "subfunction": "2.2.1",
        "modality": "K",
        "source": "11",
        "funding_source": line.funding_source,
        "description": description,
        "approved_amount": amount,
        "opened": opened,
    }


def test_the_second_planner_sees_what_changed_keeps_their_input_and_saves_on_purpose(role_groups_db):
    line = BudgetLineFactory(approved_amount=Decimal("1000"), description="Obra original")
    url = reverse("planning:budget_line_edit", args=[line.pk])
    ana, beto = _planner("ana"), _planner("beto")
    ana_token = _opened(ana.get(url).content.decode())
    beto_token = _opened(beto.get(url).content.decode())
    assert ana.post(url, _line_post(line, "2000", "Obra original", ana_token)).status_code == 302
    response = beto.post(url, _line_post(line, "1000", "Obra con banquetas", beto_token))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Este registro cambió desde que lo abrió" in page
    assert "Aprobado (mxn)" in page and ">1000<" in page and ">2000<" in page
    assert 'value="Obra con banquetas"' in page  # Beto's input is kept
    line.refresh_from_db()
    assert (line.approved_amount, line.description) == (Decimal("2000.00"), "Obra original")
    fresh = _opened(page)
    assert beto.post(url, _line_post(line, "2000", "Obra con banquetas", fresh)).status_code == 302
    line.refresh_from_db()
    assert (line.approved_amount, line.description) == (Decimal("2000.00"), "Obra con banquetas")


def test_two_recordings_of_the_same_lines_execution_do_not_overwrite_each_other(planner):
    line = BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.PUBLISHED), approved_amount=Decimal("100"))
    seen = {"modified_amount": "100", "executed_amount": "0"}
    budget_services.budget_line_record_execution(
        actor=planner,
        line=line,
        seen=seen,
        data=ExecutionData(modified_amount=Decimal("100"), executed_amount=Decimal("40"), reason="Primer trimestre"),
    )
    with pytest.raises(EditConflict) as conflict:
        budget_services.budget_line_record_execution(
            actor=planner,
            line=line,
            seen=seen,
            data=ExecutionData(modified_amount=Decimal("100"), executed_amount=Decimal("25"), reason="Otro registro"),
        )
    assert [(c.old, c.new) for c in conflict.value.changes] == [("0", "40")]
    line.refresh_from_db()
    assert line.executed_amount == Decimal("40.00")


def test_a_report_section_and_a_finding_detect_a_concurrent_save(planner):
    section = ReportSectionFactory(title="Presentación", body="Texto inicial")
    seen_section = {"order": str(section.order), "title": "Presentación", "strategy": "", "body": "Texto inicial"}
    report_services.report_section_save(
        actor=planner,
        report=section.report,
        section=section,
        seen=seen_section,
        data=report_services.SectionData(order=section.order, title="Presentación", body="Texto de Ana"),
    )
    with pytest.raises(EditConflict):
        report_services.report_section_save(
            actor=planner,
            report=section.report,
            section=section,
            seen=seen_section,
            data=report_services.SectionData(order=section.order, title="Presentación", body="Texto de Beto"),
        )
    finding = EvaluationFindingFactory(text="Hallazgo original")
    seen_finding = {"kind": "Hallazgo", "goal": "", "text": "Hallazgo original"}
    assert token_for(finding, evaluation_services.FINDING_FIELDS)
    evaluation_services.evaluation_finding_save(
        actor=planner,
        evaluation=finding.evaluation,
        finding=finding,
        seen=seen_finding,
        data=evaluation_services.FindingData(kind=FindingKind.FINDING, text="Versión de Ana"),
    )
    with pytest.raises(EditConflict):
        evaluation_services.evaluation_finding_save(
            actor=planner,
            evaluation=finding.evaluation,
            finding=finding,
            seen=seen_finding,
            data=evaluation_services.FindingData(kind=FindingKind.FINDING, text="Versión de Beto"),
        )
    section.refresh_from_db()
    finding.refresh_from_db()
    assert (section.body, finding.text) == ("Texto de Ana", "Versión de Ana")


@pytest.fixture
def role_groups_db(db):
    from django.contrib.auth.models import Group

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
