"""Owners and deadlines (issue 17): the update calendar from frequency and publication lag, the planner's list of
overdue and soon-due indicators, the public «calendario de actualización» and the e-mail reminder, sent once."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from implan import roles, tasks
from implan.models import Notification
from indicators.calendar import DueState, add_months, needing_attention, next_due, update_calendar
from indicators.models import Frequency
from tests.factories import AgencyFactory, IndicatorFactory, ObservationFactory, UserFactory

TODAY = datetime.date(2026, 3, 20)
one_backend = pytest.mark.parametrize("tasks_backend", ["database"], indirect=True)


@pytest.mark.parametrize(
    ("frequency", "lag", "latest", "expected"),
    [
        (Frequency.YEARLY, 3, datetime.date(2024, 1, 1), (datetime.date(2025, 1, 1), datetime.date(2026, 3, 31))),
        (Frequency.YEARLY, 0, datetime.date(2024, 1, 1), (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))),
        (Frequency.QUARTERLY, 2, datetime.date(2024, 10, 1), (datetime.date(2025, 1, 1), datetime.date(2025, 5, 31))),
        (Frequency.MONTHLY, 1, datetime.date(2024, 12, 1), (datetime.date(2025, 1, 1), datetime.date(2025, 2, 28))),
        (Frequency.HALF_YEARLY, 0, datetime.date(2024, 7, 1), (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))),
        (Frequency.TEN_YEARLY, 6, datetime.date(2020, 1, 1), (datetime.date(2030, 1, 1), datetime.date(2040, 6, 30))),
    ],
)
def test_the_next_value_is_due_after_the_next_period_ends_plus_the_sources_lag(frequency, lag, latest, expected):
    assert next_due(frequency=frequency, lag_months=lag, latest_start=latest) == expected


def test_adding_months_keeps_the_last_day_of_short_months():
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


@pytest.fixture
def calendar_world(db):
    agency = AgencyFactory()
    person = UserFactory(username="responsable", email="responsable@example.org", roles=[roles.PLANNING])
    rows = {
        # code: (latest year, lag months, published)
        "VENCIDO": (2023, 3, True),  # 2024's value was due 31 Mar 2025
        "PRONTO": (2024, 3, True),  # 2025's value is due 31 Mar 2026, in 11 days
        "ALDIA": (2024, 6, True),  # due 30 Jun 2026
        "OCULTO": (2023, 0, False),  # overdue, but not public
    }
    made = {}
    for code, (year, lag, published) in rows.items():
        indicator = IndicatorFactory(
            code=code,
            slug=code.lower(),
            owner=agency,
            responsible_person=person,
            publication_lag_months=lag,
            is_published=published,
        )
        ObservationFactory(indicator=indicator, period=str(year), period_start=datetime.date(year, 1, 1))
        made[code] = indicator
    IndicatorFactory(code="NUEVO", slug="nuevo")  # no data yet
    return made, person


def test_states_follow_today_and_the_public_calendar_leaves_out_unpublished(calendar_world):
    rows = {r.indicator.code: r for r in update_calendar(today=TODAY)}
    assert {code: r.state for code, r in rows.items()} == {
        "VENCIDO": DueState.OVERDUE,
        "PRONTO": DueState.SOON,
        "ALDIA": DueState.ON_TIME,
        "NUEVO": DueState.NO_DATA,
    }
    assert rows["PRONTO"].next_period == "2025" and rows["PRONTO"].days == 11
    assert [r.indicator.code for r in needing_attention(today=TODAY)] == ["OCULTO", "VENCIDO", "PRONTO"]


def test_the_public_calendar_page_lists_each_published_indicator_in_constant_queries(
    calendar_world, client, django_assert_max_num_queries
):
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        with django_assert_max_num_queries(8):
            html = client.get("/indicadores/calendario/").content.decode()
        for n in range(10):
            IndicatorFactory(code=f"MAS-{n}", slug=f"mas-{n}")
        with django_assert_max_num_queries(8):
            client.get("/indicadores/calendario/")
    assert "Vencido" in html and "Vence pronto" in html and "31 Mar 2026" in html
    assert "OCULTO" not in html and "responsable@example.org" not in html


def test_the_planners_home_lists_overdue_and_soon_due_indicators(calendar_world, client):
    _made, person = calendar_world
    client.force_login(person)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        html = client.get("/espacio/").content.decode()
    assert "Indicadores por actualizar" in html
    assert "VENCIDO" in html and "PRONTO" in html and "OCULTO" in html and "ALDIA" not in html


@one_backend
def test_the_reminder_command_run_twice_reminds_the_responsible_person_once_per_due_date(
    calendar_world, tasks_backend, smtp_server, settings
):
    settings.PORTAL_URL = "https://planeacion.example"
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC), tick=False):
        call_command("send_indicator_reminders")
        call_command("send_indicator_reminders")
        tasks.run_waiting_tasks()
    subjects = sorted(m["Subject"] for m in smtp_server.messages)
    assert len(subjects) == 3 and all(m["To"] == "responsable@example.org" for m in smtp_server.messages)
    assert any("Actualizar PRONTO: 2025 esperado para el 31/03/2026" in s for s in subjects)
    assert Notification.objects.filter(kind="indicador_por_actualizar").count() == 3
    with time_machine.travel(datetime.datetime(2026, 3, 21, 12, tzinfo=datetime.UTC), tick=False):
        call_command("send_indicator_reminders")  # the next day: the same due dates, nothing new
    assert Notification.objects.filter(kind="indicador_por_actualizar").count() == 3
