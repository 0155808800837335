"""The public home: the planning cycle with each step linked to its published content and its state, the
strategies, indicator highlights, recent resolutions and upcoming sessions — with a constant number of queries."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.portal.selectors import planning_cycle
from tests.factories import BudgetFactory, StrategicPlanFactory

pytestmark = pytest.mark.django_db


def test_an_empty_portal_shows_the_cycle_without_links_to_missing_content(client):
    page = client.get("/").content.decode()
    assert "El ciclo de la planeación" in page and "Sin publicación todavía" in page
    steps = planning_cycle()
    assert [str(s.label) for s in steps] == [
        "Diagnóstico",
        "Visión",
        "Estrategias",
        "Cartera de proyectos",
        "Programa de gobierno",
        "Presupuesto anual",
        "Informe anual",
        "Evaluación",
    ]
    assert all(s.published is None for s in steps)


def test_a_published_budget_is_linked_and_the_next_one_shows_as_in_preparation(client):
    published = BudgetFactory(title="Presupuesto de egresos 2025", state="publicado", fiscal_year__year=2025)
    BudgetFactory(title="Presupuesto de egresos 2026", state="en_revision", fiscal_year__year=2026)
    step = next(s for s in planning_cycle() if str(s.label) == "Presupuesto anual")
    assert step.published == published and step.url == reverse("planning:budget_year", args=[2025])
    assert step.in_progress.title == "Presupuesto de egresos 2026"
    page = client.get("/").content.decode()
    assert f'href="{reverse("planning:budget_year", args=[2025])}"' in page
    assert 'Presupuesto de egresos 2025: <span class="badge badge-publicado">publicado</span>' in page


def test_a_draft_is_the_planners_working_copy_and_the_home_does_not_name_it(client):
    BudgetFactory(title="Presupuesto de egresos 2027 (borrador interno)", state="borrador", fiscal_year__year=2027)
    step = next(s for s in planning_cycle() if str(s.label) == "Presupuesto anual")
    assert step.in_progress is None
    assert "borrador interno" not in client.get("/").content.decode()


def test_the_demo_home_links_every_step_and_every_link_works(client, demo):
    steps = planning_cycle()
    linked = [s for s in steps if s.url]
    assert len(linked) >= 6
    for step in linked:
        assert client.get(step.url.split("#")[0]).status_code == 200, step.url
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert "Presupuesto de egresos 2025" in page and "Programa de Gobierno 2024–2027" in page
    assert 'class="card indicator-card' in page
    demo_queries = len(ctx.captured_queries)
    StrategicPlanFactory(title="Otro plan en borrador")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) == demo_queries


def test_every_page_names_its_icon_so_no_browser_asks_for_a_missing_favicon(client):
    """Without a named icon, every browser's first visit asked for /favicon.ico and got a 404."""
    page = client.get(reverse("implan:home")).content.decode()
    [href] = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert href.startswith("/static/") and finders.find(href.removeprefix("/static/"))
