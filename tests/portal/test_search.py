"""Search across published content: Spanish-aware and accent-insensitive, grouped by type, paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.portal.search import KINDS_BY_KEY, _fallback, normalized, search_groups
from projects.models import Project
from tests.factories import (
    IndicatorFactory,
    ProgrammeFactory,
    ProjectFactory,
    StrategicPlanFactory,
    StrategyFactory,
    VertienteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_plan():
    plan = StrategicPlanFactory(title="León hacia el Futuro", state="publicado")
    vertiente = VertienteFactory(plan=plan)
    education = StrategyFactory(
        vertiente=vertiente,
        name="Educación para la Vida",
        slug="educacion-para-la-vida",
        description="Escuelas dignas y aprendizaje a lo largo de la vida.",
    )
    return plan, education


def _titles(text: str) -> dict[str, list[str]]:
    return {g.kind.key: [h.title for h in g.hits] for g in search_groups(text)}


def test_educacion_without_accent_finds_educacion_para_la_vida(published_plan):
    _plan, education = published_plan
    found = _titles("educacion")
    assert f"{education.number}. Educación para la Vida" in found["estrategias"]


def test_spanish_stemming_finds_plural_and_singular(published_plan):
    ProjectFactory(title="Escuela digna en Las Joyas", status="en_cartera", slug="escuela-las-joyas")
    assert "Escuela digna en Las Joyas" in _titles("escuelas")["proyectos"]


def test_unpublished_content_is_never_found(published_plan):
    StrategyFactory(plan=StrategicPlanFactory(state="borrador"), name="Educación secreta en borrador")
    ProjectFactory(title="Educación propuesta sin evaluar", status="propuesto")
    ProgrammeFactory(name="Programa de educación en borrador", state="borrador")
    titles = [t for group in _titles("educación").values() for t in group]
    assert titles and not any("borrador" in t or "propuesta" in t for t in titles)


def test_results_are_grouped_by_type_and_link_to_their_pages(client, published_plan):
    IndicatorFactory(
        name="Grado promedio de escolaridad", definition="Años de educación aprobados.", slug="escolaridad"
    )
    page = client.get(reverse("implan:search"), {"q": "educación"}).content.decode()
    assert "Estrategias" in page and "Indicadores" in page
    assert reverse("planning:strategy_public", args=["educacion-para-la-vida"]) in page
    assert reverse("indicators:indicator_detail", args=["escolaridad"]) in page


def test_one_type_is_paginated(client, published_plan):
    strategy = published_plan[1]
    Project.objects.bulk_create(
        [
            Project(
                code=f"AG-{n:03d}",
                title=f"Red de agua potable {n}",
                slug=f"agua-{n}",
                problem="Falta de agua",
                strategy=strategy,
                territory=ProjectFactory().territory,
                status="en_cartera",
            )
            for n in range(25)
        ]
    )
    first = client.get(reverse("implan:search"), {"q": "agua", "tipo": "proyectos"}).content.decode()
    second = client.get(reverse("implan:search"), {"q": "agua", "tipo": "proyectos", "pagina": 2}).content.decode()
    assert first.count('class="search-hit"') == 20 and second.count('class="search-hit"') >= 5
    assert "Página 2 de 2" in second and "tipo=proyectos" in first


def test_the_number_of_queries_does_not_grow_with_the_data(client, published_plan):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("implan:search"), {"q": "agua"})
        return len(ctx.captured_queries)

    strategy = published_plan[1]
    ProjectFactory(title="Agua para todos", status="en_cartera", strategy=strategy)
    few = queries()
    for n in range(15):
        ProjectFactory(title=f"Agua y drenaje {n}", status="en_ejecucion", strategy=strategy)
    assert queries() == few


def test_the_search_text_is_shown_escaped(client):
    page = client.get(reverse("implan:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_search_with_nothing_found_says_so(client, published_plan):
    page = client.get(reverse("implan:search"), {"q": "zzzxq"}).content.decode()
    assert "No encontramos nada publicado" in page


def test_the_sqlite_fallback_ignores_accents_and_case(published_plan):
    assert normalized("EDUCACIÓN Pública") == "educacion publica"
    kind = KINDS_BY_KEY["estrategias"]
    assert [s.name for s in _fallback(kind.queryset(), kind, "EDUCACION vida")] == ["Educación para la Vida"]
