"""An indicator with structure as the public sees it in a real browser: a gap for «sin dato», a hollow preliminary
point left out of the traffic light, small multiples by sex with their table; and the public update calendar. The
pages pass axe."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Category, Dimension, ObservationStatus
from tests.browser.a11y import assert_accessible
from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory


@pytest.fixture
def population(transactional_db):
    leon = MunicipalityFactory()
    indicator = IndicatorFactory(
        code="POB-01",
        slug="poblacion-total",
        name="Población total",
        unit="personas",
        definition="Personas que residen en el municipio, en total y por sexo.",
        source="INEGI, Censo de Población y Vivienda",
        publication_lag_months=3,
    )
    sex = Dimension.objects.create(indicator=indicator, name="sexo", slug="sexo", order=1)
    Category.objects.create(dimension=sex, label="Mujeres", slug="mujeres", order=1)
    Category.objects.create(dimension=sex, label="Hombres", slug="hombres", order=2)
    rows = [
        (2018, "1650000", "846000", "804000", ObservationStatus.FINAL),
        (2019, None, None, None, ObservationStatus.FINAL),
        (2020, "1721215", "874542", "846673", ObservationStatus.FINAL),
        (2021, "1740000", "884000", "856000", ObservationStatus.FINAL),
        (2022, "1752300", "890000", "862300", ObservationStatus.PRELIMINARY),
    ]
    for year, total, women, men in [r[:4] for r in rows]:
        status = dict((r[0], r[4]) for r in rows)[year]
        for key, value in [("", total), ("sexo=mujeres", women), ("sexo=hombres", men)]:
            ObservationFactory(
                indicator=indicator,
                territory=leon,
                period=str(year),
                period_start=datetime.date(year, 1, 1),
                breakdown=key,
                value=Decimal(value) if value else None,
                missing_reason="" if value else "Sin levantamiento ese año",
                status=status,
            )
    return indicator


def test_the_public_page_shows_gaps_preliminary_values_and_the_breakdown(live_server, population, page, screenshot):
    page.goto(live_server.url + "/indicadores/poblacion-total/")
    expect(page.get_by_text("El valor de 2022 es preliminar")).to_be_visible()
    expect(page.locator("svg.line-chart .gap-mark")).to_have_count(1)
    expect(page.locator("svg.line-chart .point-preliminary")).to_have_count(1)
    expect(page.get_by_role("heading", name="Desagregación en León")).to_be_visible()
    expect(page.locator("svg.small-multiple")).to_have_count(2)
    expect(page.get_by_role("cell", name="sin dato (Sin levantamiento ese año)").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "indicador-desagregado-sin-dato-preliminar")


def test_the_public_update_calendar(live_server, population, page, screenshot):
    page.goto(live_server.url + "/indicadores/calendario/")
    expect(page.get_by_role("heading", name="Calendario de actualización de los indicadores")).to_be_visible()
    expect(page.get_by_role("row", name="Población total")).to_contain_text("2023")
    assert_accessible(page)
    screenshot(page, "calendario-de-actualizacion")
