"""Following a public thing by e-mail, no account: double opt-in by a signed link, a daily or weekly digest in
Spanish of what changed (read from the event rows and the observations' history), sent once per period however
often ``send_digests`` runs, one-click unsubscribe (RFC 8058) without login, and an Atom feed per followed thing.
Against the real SMTP server of the tests (aiosmtpd) and each task backend."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from consultations import following, subscriptions
from consultations.models import Digest, FollowKind, Subscription, SubscriptionState
from implan import tasks
from implan.errors import DomainError
from implan.events import event_record
from implan.models import Event, LifecycleState
from projects.models import ProjectStatus
from tests.factories import (
    GoalFactory,
    IndicatorFactory,
    ObjectiveFactory,
    ObservationFactory,
    ProgrammeFactory,
    ProjectFactory,
    StrategicPlanFactory,
    StrategyFactory,
    VertienteFactory,
)

MX = ZoneInfo("America/Mexico_City")
ADDRESS = "vecina.privada@ejemplo.mx"


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=MX)


def published_strategy():
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED)
    return StrategyFactory(vertiente=VertienteFactory(plan=plan), plan=plan, name="Hábitat")


def _link(message, pattern: str) -> str:
    return re.search(rf"http://testserver({pattern}\S+)", message.get_body(("plain",)).get_content()).group(1)


def _follow(client: Client, strategy, frequency: str = "diaria") -> None:
    response = client.post(
        reverse("consultations:follow", args=[FollowKind.STRATEGY, strategy.pk]),
        {"email": ADDRESS, "frequency": frequency, "website": ""},
    )
    assert response.status_code == 302


@pytest.fixture
def role_groups(transactional_db):
    """The role groups a transactional test's flush removed (the ``planner`` fixture needs them)."""
    from django.contrib.auth.models import Group

    from implan import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


@pytest.fixture
def portal_url(settings):
    settings.PORTAL_URL = "http://testserver"


def test_a_follower_confirms_gets_one_daily_digest_in_spanish_and_unsubscribes_in_one_click(
    tasks_backend, smtp_server, portal_url, role_groups, client, planner
):
    strategy = published_strategy()
    programme = ProgrammeFactory(strategy=strategy, name="Parques de barrio", state=LifecycleState.PUBLISHED)
    project = ProjectFactory(strategy=strategy, title="Parque lineal del río", status=ProjectStatus.IN_EXECUTION)
    indicator = IndicatorFactory(is_published=True, name="Áreas verdes por habitante")
    GoalFactory(objective=ObjectiveFactory(strategy=strategy), indicator=indicator)

    with time_machine.travel(at(9, 10)):
        _follow(client, strategy)
        assert tasks.run_waiting_tasks() == 1
        [confirmation] = smtp_server.messages
        assert "Confirme que quiere seguir «Hábitat»" in confirmation["Subject"]
        assert Subscription.objects.get().state == SubscriptionState.PENDING
        # Nothing is sent to a pending address.
        call_command("send_digests", stdout=open("/dev/null", "w"))
        # Opening the link (as a mail scanner does) only asks; the button confirms.
        link = _link(confirmation, "/seguir/confirmar/")
        page = client.get(link)
        assert page.status_code == 200 and "Confirmar mi suscripción" in page.content.decode()
        assert ADDRESS not in page.content.decode()
        assert Subscription.objects.get().state == SubscriptionState.PENDING
        page = Client(enforce_csrf_checks=True).post(link)  # from a mail program's browser: no cookie of ours
        assert page.status_code == 200 and "Suscripción confirmada" in page.content.decode()
        assert Subscription.objects.get().state == SubscriptionState.CONFIRMED

    with time_machine.travel(at(9, 15)):
        event_record(actor=planner, subject=programme, action=following.PUBLISHED, to_state=LifecycleState.PUBLISHED)
        event_record(actor=planner, subject=project, action="progress_reported", from_state="20", to_state="40")
        ObservationFactory(indicator=indicator)
    with time_machine.travel(at(10, 9)):  # the next day's changes belong to the next digest
        event_record(actor=planner, subject=project, action="progress_reported", from_state="40", to_state="55")

    with time_machine.travel(at(10, 9, 20)):
        call_command("send_digests", stdout=open("/dev/null", "w"))
        call_command("send_digests", stdout=open("/dev/null", "w"))  # twice: the period is sent once
        tasks.run_waiting_tasks()
        call_command("send_digests", stdout=open("/dev/null", "w"))
        tasks.run_waiting_tasks()

    assert len(smtp_server.messages) == 2 and Digest.objects.count() == 1
    digest = smtp_server.messages[1]
    assert digest["To"] == ADDRESS
    assert "Novedades de «Hábitat»: 9 de marzo de 2026" in " ".join(digest["Subject"].split())
    body = digest.get_body(("plain",)).get_content()
    assert "Se publicó el programa «Parques de barrio», versión 1." in body
    assert "El proyecto «Parque lineal del río» informó su avance: 40 %." in body
    assert "1 observaciones nuevas del indicador «Áreas verdes por habitante»." in body
    assert "55 %" not in body
    assert "Para no recibir más" in body
    unsubscribe = _link(digest, "/seguir/baja/")
    assert digest["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # RFC 8058: the mail program posts with no session and no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "Ya no recibirá correos sobre «Hábitat»" in response.content.decode()
    assert Subscription.objects.get().state == SubscriptionState.CANCELLED
    with time_machine.travel(at(11, 9, 20)):
        call_command("send_digests", stdout=open("/dev/null", "w"))
        tasks.run_waiting_tasks()
    assert len(smtp_server.messages) == 2
    # No event row about the subscription carries its address.
    assert not any(ADDRESS in str(row) for row in Event.objects.values_list("note", "data"))


@pytest.mark.django_db
def test_a_tampered_or_expired_link_is_refused_in_spanish(client, portal_url):
    strategy = published_strategy()
    with time_machine.travel(at(9, 10)):
        subscription = subscriptions.subscription_request(
            email=ADDRESS, kind=FollowKind.STRATEGY, obj=strategy, frequency="semanal"
        )
        token = subscriptions.confirm_token(subscription, "semanal")
        tampered = client.get(reverse("consultations:subscription_confirm", args=[token[:-2] + "xx"]))
        assert tampered.status_code == 400 and "El enlace no es válido" in tampered.content.decode()
        forged = signing.dumps({"s": subscription.pk, "f": "semanal"}, salt="otra-cosa")
        assert client.get(reverse("consultations:subscription_confirm", args=[forged])).status_code == 400
        assert client.post(reverse("consultations:subscription_confirm", args=[forged])).status_code == 400
        bad_cancel = client.post(reverse("consultations:unsubscribe", args=["x" + token]))
        assert bad_cancel.status_code == 400 and "El enlace no es válido" in bad_cancel.content.decode()
    with time_machine.travel(at(17, 10)):
        expired = client.get(reverse("consultations:subscription_confirm", args=[token]))
        assert expired.status_code == 400 and "El enlace venció" in expired.content.decode()
        expired = client.post(reverse("consultations:subscription_confirm", args=[token]))
        assert expired.status_code == 400 and "El enlace venció" in expired.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.PENDING


@pytest.mark.django_db
def test_the_unsubscribe_page_asks_before_and_needs_no_login(client):
    strategy = published_strategy()
    subscription = subscriptions.subscription_request(
        email=ADDRESS, kind=FollowKind.STRATEGY, obj=strategy, frequency="diaria"
    )
    subscriptions.subscription_confirm(token=subscriptions.confirm_token(subscription, "diaria"))
    url = reverse("consultations:unsubscribe", args=[subscriptions.cancel_token(subscription)])
    page = client.get(url)
    assert page.status_code == 200 and "¿Dejar de recibir correos sobre «Hábitat»?" in page.content.decode()
    assert ADDRESS not in page.content.decode()
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.CONFIRMED
    client.post(url)
    client.post(url)  # twice: harmless
    subscription.refresh_from_db()
    assert subscription.state == SubscriptionState.CANCELLED
    assert Event.objects.filter(action="subscription_cancelled").count() == 1


@pytest.mark.django_db
def test_a_weekly_digest_covers_the_previous_monday_to_monday_week():
    start, end = subscriptions.last_period("semanal", at(11, 3))  # Wednesday 11 March 2026
    assert (start, end) == (at(2, 0), at(9, 0))
    assert subscriptions.last_period("diaria", at(11, 0, 30)) == (at(10, 0), at(11, 0))


@pytest.mark.django_db
def test_only_public_things_can_be_followed_and_the_honeypot_refuses(client):
    draft_plan = StrategicPlanFactory(state=LifecycleState.DRAFT)
    hidden = StrategyFactory(vertiente=VertienteFactory(plan=draft_plan), plan=draft_plan)
    assert client.get(reverse("consultations:follow", args=[FollowKind.STRATEGY, hidden.pk])).status_code == 404
    assert client.get(reverse("consultations:follow", args=["otra-cosa", 1])).status_code == 404
    with pytest.raises(DomainError):
        subscriptions.subscription_request(email=ADDRESS, kind=FollowKind.STRATEGY, obj=hidden, frequency="diaria")
    strategy = published_strategy()
    response = client.post(
        reverse("consultations:follow", args=[FollowKind.STRATEGY, strategy.pk]),
        {"email": ADDRESS, "frequency": "diaria", "website": "http://spam.example"},
    )
    assert response.status_code == 200 and not Subscription.objects.exists()


@pytest.mark.django_db
def test_the_atom_feed_of_a_followed_project_lists_its_progress(client, planner):
    project = ProjectFactory(title="Ciclovía <b>norte</b>", status=ProjectStatus.IN_EXECUTION)
    event_record(actor=planner, subject=project, action="progress_reported", from_state="0", to_state="30")
    hidden = ProjectFactory(status=ProjectStatus.PROPOSED)
    event_record(actor=planner, subject=hidden, action="progress_reported", to_state="10")
    response = client.get(reverse("consultations:follow_feed", args=[FollowKind.PROJECT, project.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "informó su avance: 30 %" in text and "<b>" not in text
    assert client.get(reverse("consultations:follow_feed", args=[FollowKind.PROJECT, hidden.pk])).status_code == 404
    page = client.get(reverse("consultations:follow", args=[FollowKind.PROJECT, project.pk]))
    assert "informó su avance: 30 %" in page.content.decode()


@pytest.mark.django_db
def test_the_follow_page_reads_a_fixed_number_of_queries_however_many_changes(
    client, planner, django_assert_max_num_queries
):
    strategy = published_strategy()
    indicator = IndicatorFactory(is_published=True)
    GoalFactory(objective=ObjectiveFactory(strategy=strategy), indicator=indicator)
    url = reverse("consultations:follow", args=[FollowKind.STRATEGY, strategy.pk])

    def add_changes(n: int, first: int = 0) -> None:
        for i in range(first, first + n):
            programme = ProgrammeFactory(strategy=strategy, state=LifecycleState.PUBLISHED)
            event_record(actor=planner, subject=programme, action=following.PUBLISHED)
            project = ProjectFactory(strategy=strategy, status=ProjectStatus.IN_EXECUTION)
            event_record(actor=planner, subject=project, action="progress_reported", to_state=str(10 + i))
            ObservationFactory(indicator=indicator, period=str(2000 + i), period_start=datetime.date(2000 + i, 1, 1))

    add_changes(1)
    client.get(url)  # warm the content-type cache
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    add_changes(6, first=1)
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode().partition('class="changes"')[2]
    shown = sum(page.count(text) for text in ("informó su avance", "Se publicó el programa", "observaciones nuevas"))
    assert shown == 10  # the ten newest of fifteen changes


@pytest.mark.django_db
def test_a_body_a_territory_and_an_indicator_each_have_their_changes(planner):
    from django.utils import timezone

    from tests.factories import BodyFactory, ResolutionFactory

    body = BodyFactory()
    resolution = ResolutionFactory(session__body=body)
    event_record(actor=planner, subject=resolution, action="resolution_recorded")
    project = ProjectFactory(status=ProjectStatus.IN_PORTFOLIO)
    event_record(actor=planner, subject=project, action="progress_reported", to_state="5")
    indicator = IndicatorFactory(is_published=True, name="Agua potable")
    ObservationFactory(indicator=indicator, territory=project.territory)
    now = timezone.now() + datetime.timedelta(seconds=1)

    [on_body] = following.changes(FollowKind.BODY, body, until=now)
    assert f"tomó el acuerdo {resolution.number}/{resolution.year}" in on_body.text
    on_territory = [c.text for c in following.changes(FollowKind.TERRITORY, project.territory, until=now)]
    assert any("informó su avance: 5 %" in t for t in on_territory)
    assert any("observaciones nuevas del indicador «Agua potable»" in t for t in on_territory)
    [on_indicator] = following.changes(FollowKind.INDICATOR, indicator, until=now)
    assert on_indicator.text.startswith("1 observaciones nuevas")


def test_a_strategys_follower_is_told_when_the_next_plans_draft_opens_to_consultation(
    tasks_backend, smtp_server, portal_url, role_groups, planner
):
    from consultations import services

    strategy = published_strategy()
    draft = StrategicPlanFactory(state=LifecycleState.DRAFT, title="Plan León 2040")
    StrategyFactory(vertiente=VertienteFactory(plan=draft), plan=draft, slug=strategy.slug, name="Hábitat")
    with time_machine.travel(at(9, 8)):
        subscription = subscriptions.subscription_request(
            email=ADDRESS, kind=FollowKind.STRATEGY, obj=strategy, frequency="diaria"
        )
        subscriptions.subscription_confirm(token=subscriptions.confirm_token(subscription, "diaria"))
    with time_machine.travel(at(9, 10)):
        consultation = services.consultation_create(
            actor=planner,
            instrument=draft,
            title="Consulta del Plan León 2040",
            starts_on=datetime.date(2026, 3, 9),
            ends_on=datetime.date(2026, 3, 30),
            rules="Comente cada sección.",
        )
        services.section_add(actor=planner, consultation=consultation, title="Hábitat")
        services.consultation_open(actor=planner, consultation=consultation)
    with time_machine.travel(at(10, 0, 20)):
        call_command("send_digests", stdout=open("/dev/null", "w"))
        tasks.run_waiting_tasks()
    digest = smtp_server.messages[-1]
    body = digest.get_body(("plain",)).get_content()
    assert "Se abrió la consulta pública «Consulta del Plan León 2040»." in body
    assert "http://testserver/consultas/" in body


@pytest.mark.django_db
def test_pressing_the_confirmation_button_again_records_nothing_more():
    """A second press (or a mail program's retry) leaves one confirmation event; a link of the other frequency
    changes the frequency and is recorded."""
    subscription = subscriptions.subscription_request(
        email=ADDRESS, kind=FollowKind.STRATEGY, obj=published_strategy(), frequency="diaria"
    )
    daily = subscriptions.confirm_token(subscription, "diaria")
    subscriptions.subscription_confirm(token=daily)
    subscriptions.subscription_confirm(token=daily)
    confirmations = Event.objects.filter(action="subscription_confirmed", object_id=subscription.pk)
    assert confirmations.count() == 1
    weekly = subscriptions.subscription_confirm(token=subscriptions.confirm_token(subscription, "semanal"))
    assert weekly.frequency == "semanal" and confirmations.count() == 2
