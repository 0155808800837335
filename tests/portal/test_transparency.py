"""Transparency obligations: a page and a PNT-layout XLSX per obligation over the León demo, the article and law as
settings, the planner's due list at a frozen date, constant queries and no private contact in pages or files."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from councils.models import Attendance, Body, BodyKind, Motion, MotionState, PersonContact, Vote
from implan.models import LifecycleState
from implan.portal.transparency import records
from implan.portal.transparency.calendar import DueState, due_for
from implan.portal.transparency.obligations import OBLIGATIONS
from implan.portal.transparency.selectors import obligation_status
from implan.portal.transparency.sheets import HEAD, TAIL
from planning.models import BudgetExecution, BudgetLine, BudgetQuarter, Goal
from planning.selectors.plan import public_plan
from tests.factories import BudgetFactory, BudgetLineFactory, FiscalYearFactory

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
SLUGS = [o.slug for o in OBLIGATIONS]
BY_KEY = {o.key: o for o in OBLIGATIONS}


def demo_planner():
    """The demo's planner (a user made before the demo is loaded would not survive its load)."""
    return get_user_model().objects.get(username="planeador")


def read_sheet(client, slug: str) -> list[tuple]:
    response = client.get(reverse("transparency:obligation_xlsx", args=[slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("slug", SLUGS)
def test_each_file_has_the_pnt_columns_in_order(client, demo, slug):
    obligation = next(o for o in OBLIGATIONS if o.slug == slug)
    header, *rows = read_sheet(client, slug)
    assert list(header) == [*HEAD, *obligation.columns, *TAIL]
    assert header[0] == "Ejercicio"
    assert header[-4].startswith("Área(s) responsable(s)")
    assert header[-3:] == ("Fecha de validación", "Fecha de actualización", "Nota")
    assert rows, "la demostración publica registros de cada obligación"
    for row in rows:
        assert len(row) == len(header)
        start = datetime.datetime.strptime(row[1], "%d/%m/%Y").date()
        end = datetime.datetime.strptime(row[2], "%d/%m/%Y").date()
        assert row[0] == start.year and start <= end
        assert row[-4] == obligation.area


def test_the_ayuntamiento_file_has_one_row_per_member_per_vote(client, demo):
    motions = Motion.objects.filter(
        state=MotionState.CLOSED, agenda_item__session__body__kind=BodyKind.AYUNTAMIENTO
    ).select_related("agenda_item")
    expected = 0
    for motion in motions:
        attended = set(
            Attendance.objects.filter(session=motion.agenda_item.session_id).values_list("membership", flat=True)
        )
        expected += len(attended | set(Vote.objects.filter(motion=motion).values_list("membership", flat=True)))
    header, *rows = read_sheet(client, "sesiones-del-ayuntamiento")
    assert expected > 15, "la demostración tiene votaciones del Ayuntamiento"
    assert len(rows) == expected
    vote = Vote.objects.filter(motion__agenda_item__session__body__kind=BodyKind.AYUNTAMIENTO).select_related(
        "voter", "motion__agenda_item"
    )[0]
    name, sense, subject = header.index("Nombre del integrante"), header.index("Sentido del voto"), 3 + 3
    assert any(
        r[name] == vote.voter.name
        and r[sense] == vote.get_option_display()
        and r[subject] == vote.motion.agenda_item.title
        for r in rows
    )


def test_the_budget_file_has_one_row_per_line_and_closed_quarter_with_its_stages(client, demo):
    header, *rows = read_sheet(client, "presupuesto")
    published = BudgetLine.objects.filter(budget__in={r.budget for r in records.budget_execution()})
    closed = set(BudgetQuarter.objects.values_list("budget_id", "quarter"))
    reported = BudgetExecution.objects.filter(line__in=published)
    reported = [e for e in reported.select_related("line") if (e.line.budget_id, e.quarter) in closed]
    assert len(closed) >= 6 and len(rows) == len(reported) > published.count() > 0  # the demo: 2024 Q1–Q4, 2025 Q1–Q2
    col = {name: header.index(name) for name in header}
    for stage, field in (("Presupuesto ejercido", "exercised"), ("Presupuesto pagado", "paid")):
        assert sum(Decimal(str(r[col[stage]])) for r in rows) == sum(getattr(e, field) for e in reported)
    # Each row is a closed quarter, accumulated: its stages keep the order the law sets.
    for r in rows:
        assert r[col["Fecha de inicio del periodo que se informa"]][:2] == "01"
        stages = [r[col[f"Presupuesto {s}"]] for s in ("modificado", "comprometido", "devengado", "ejercido", "pagado")]
        assert stages == sorted(stages, reverse=True)
    assert all("por trimestre cerrado" in r[-1] for r in rows)


def test_a_quarter_still_open_is_not_reported_and_a_line_without_stages_reports_its_amounts(client, db):
    budget = BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=2025))
    staged, plain = BudgetLineFactory(budget=budget), BudgetLineFactory(budget=budget, executed_amount=Decimal("7"))
    BudgetExecution.objects.create(
        line=staged, quarter=1, modified=100, committed=90, accrued=80, exercised=70, paid=60
    )
    BudgetExecution.objects.create(
        line=staged, quarter=2, modified=100, committed=95, accrued=90, exercised=85, paid=80
    )
    closer = get_user_model().objects.create(username="cierra")
    BudgetQuarter.objects.create(
        budget=budget, quarter=1, closed_at=datetime.datetime(2025, 4, 8, tzinfo=MX), closed_by=closer
    )
    rows = {r.line: r for r in records.budget_execution()}
    assert len(rows) == 2  # the second quarter is still open: not reported yet
    assert (rows[staged].end, rows[staged].executed, rows[staged].paid) == (datetime.date(2025, 3, 31), 70, 60)
    # No quarterly records: its amounts, and no stage it never recorded (an empty cell, not a zero).
    assert (rows[plain].executed, rows[plain].paid, rows[plain].committed) == (7, None, None)
    assert rows[staged].updated == datetime.date(2025, 4, 8)


def test_the_goals_file_has_one_row_per_goal_of_the_published_plan(client, demo):
    _header, *rows = read_sheet(client, "metas-y-objetivos")
    assert len(rows) == Goal.objects.filter(objective__strategy__plan=public_plan()).count() > 0


def test_the_page_says_the_article_and_law_the_settings_give(client, demo, settings):
    url = reverse("transparency:obligation", args=["consejo-consultivo"])
    page = client.get(url).content.decode()
    assert "artículo 65, fracción XLIV" in page
    settings.TRANSPARENCY_LAW = "Ley de Transparencia y Acceso a la Información Pública para el Estado de Guanajuato"
    settings.TRANSPARENCY_OBLIGATIONS = {
        **settings.TRANSPARENCY_OBLIGATIONS,
        "consejo": {"article": "26", "fraction": "XLIII", "area": "IMPLAN"},
    }
    page = client.get(url).content.decode()
    assert "Estado de Guanajuato, artículo 26, fracción XLIII" in page
    assert "fracción XLIV" not in page
    index = client.get(reverse("transparency:index")).content.decode()
    assert "Art. 26, fracc. XLIII" in index


def test_an_unknown_obligation_is_not_found(client, db):
    assert client.get(reverse("transparency:obligation", args=["nada"])).status_code == 404
    assert client.get(reverse("transparency:obligation_xlsx", args=["nada"])).status_code == 404


# --- The update calendar ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yearly", "last_end", "today", "expected"),
    [
        (False, datetime.date(2026, 9, 30), datetime.date(2026, 12, 4), (datetime.date(2027, 1, 30), DueState.CURRENT)),
        (False, datetime.date(2026, 9, 30), datetime.date(2027, 1, 10), (datetime.date(2027, 1, 30), DueState.DUE)),
        (
            False,
            datetime.date(2026, 6, 30),
            datetime.date(2026, 12, 4),
            (datetime.date(2026, 10, 30), DueState.OVERDUE),
        ),
        (True, datetime.date(2025, 12, 31), datetime.date(2026, 12, 4), (datetime.date(2027, 1, 30), DueState.CURRENT)),
        (True, datetime.date(2024, 12, 31), datetime.date(2026, 1, 15), (datetime.date(2026, 1, 30), DueState.DUE)),
        (True, None, datetime.date(2026, 3, 1), (datetime.date(2026, 1, 30), DueState.OVERDUE)),
    ],
)
def test_what_is_due_follows_from_the_last_period_and_the_frequency(yearly, last_end, today, expected):
    due = due_for(yearly=yearly, last_end=last_end, today=today)
    assert (due.deadline, due.state) == expected


def test_the_planner_sees_what_is_due_per_obligation(client, demo):
    planner = demo_planner()
    with time_machine.travel(datetime.datetime(2031, 6, 1, 12, tzinfo=MX), tick=False):
        client.force_login(planner)  # a session opened years before would have expired
        page = client.get(reverse("transparency:due")).content.decode()
    assert page.count('class="due-vencida"') == len(OBLIGATIONS), "nada se publicó desde 2026: todo está vencido"
    assert "Vencida" in page


def test_the_due_list_turns_overdue_once_the_grace_ends(client, demo):
    planner = demo_planner()
    status = obligation_status(BY_KEY["presupuesto"])
    deadline = status.due.deadline
    day_before = datetime.datetime.combine(deadline, datetime.time(12), tzinfo=MX)
    with time_machine.travel(day_before, tick=False):
        assert obligation_status(BY_KEY["presupuesto"]).due.state != DueState.OVERDUE
    with time_machine.travel(day_before + datetime.timedelta(days=1), tick=False):
        assert obligation_status(BY_KEY["presupuesto"]).due.state == DueState.OVERDUE
        client.force_login(planner)
        page = client.get(reverse("transparency:due")).content.decode()
    assert 'class="due-vencida"' in page


def test_only_the_planning_staff_sees_the_due_list(client, db, councillor):
    assert client.get(reverse("transparency:due")).status_code == 302
    client.force_login(councillor)
    assert client.get(reverse("transparency:due")).status_code == 403


# --- Queries and privacy --------------------------------------------------------------------------------------------


# Queries of each page and file over the demo (anonymous: no session to read). The records are read in a fixed number
# of queries whatever their number: the next test adds rows and counts again.
PAGE_QUERIES = {
    "plan-municipal": 3,
    "metas-y-objetivos": 2,
    "indicadores": 3,
    "presupuesto": 5,  # budgets, last change, closed quarters, lines, their quarterly records
    "consejo-consultivo": 4,  # its page also links the public bodies of its kind
    "sesiones-del-ayuntamiento": 4,
}


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_and_file_costs_a_fixed_number_of_queries(client, demo, slug, django_assert_num_queries):
    with django_assert_num_queries(PAGE_QUERIES[slug]):
        assert client.get(reverse("transparency:obligation", args=[slug])).status_code == 200
    body_links = 1 if slug in ("consejo-consultivo", "sesiones-del-ayuntamiento") else 0
    with django_assert_num_queries(PAGE_QUERIES[slug] - body_links):
        assert client.get(reverse("transparency:obligation_xlsx", args=[slug])).status_code == 200


def test_the_index_costs_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    with django_assert_num_queries(sum(PAGE_QUERIES.values()) - 2):  # it links no body
        assert client.get(reverse("transparency:index")).status_code == 200


def test_more_budget_lines_cost_no_more_queries(client, demo, django_assert_num_queries):
    budget = records.budget_execution()[0].budget
    BudgetLineFactory.create_batch(5, budget=budget)
    with django_assert_num_queries(PAGE_QUERIES["presupuesto"]):
        assert client.get(reverse("transparency:obligation", args=["presupuesto"])).status_code == 200


def test_no_page_or_file_shows_a_private_contact(client, demo):
    secrets = set()
    for contact in PersonContact.objects.all():
        secrets |= {v for v in (contact.email, contact.phone, contact.address) if v}
    assert len(secrets) > 100
    for slug in SLUGS:
        page = client.get(reverse("transparency:obligation", args=[slug])).content.decode()
        cells = " ".join(str(c) for row in read_sheet(client, slug) for c in row if c is not None)
        assert not {s for s in secrets if s in page or s in cells}, slug


# --- The budget's execution period --------------------------------------------------------------------------------


def test_a_budget_reports_up_to_the_quarter_of_its_last_change(db):
    budget = BudgetFactory(state=LifecycleState.PUBLISHED, fiscal_year=FiscalYearFactory(year=2025))
    with time_machine.travel(datetime.datetime(2024, 12, 15, 12, tzinfo=MX), tick=False):
        line = BudgetLineFactory(budget=budget)
    assert [(r.start, r.end) for r in records.budget_execution()] == [
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    ], "approved before the year began: the first quarter"
    with time_machine.travel(datetime.datetime(2025, 5, 10, 12, tzinfo=MX), tick=False):
        line.executed_amount = Decimal("1000")
        line.save()
    (row,) = records.budget_execution()
    assert (row.end, row.updated, row.executed) == (datetime.date(2025, 6, 30), datetime.date(2025, 5, 10), 1000)


def test_a_draft_budget_is_in_no_file(client, db):
    BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.DRAFT))
    _header, *rows = read_sheet(client, "presupuesto")
    assert rows == []


def test_a_private_body_sessions_are_in_no_file(client, demo):
    Body.objects.filter(kind=BodyKind.AYUNTAMIENTO).update(is_public=False)
    _header, *rows = read_sheet(client, "sesiones-del-ayuntamiento")
    assert rows == []


def test_only_the_portals_own_links_are_links_not_text_that_begins_like_one(settings):
    from implan.portal.transparency.records import portal_link
    from implan.portal.transparency.selectors import _cell

    written = f"{settings.PORTAL_URL}//sitio-ajeno.example/ruta"  # a goal's text that begins with the address
    assert _cell(written).href == "" and _cell(written).text == written
    link = _cell(portal_link("transparency:index"))
    assert link.href == reverse("transparency:index") and link.text == "Ver en el portal"
