"""The dashboard and the indicator page run the same number of queries with 1,000 or 30,000 observations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan.models import Territory, TerritoryKind
from indicators.models import Observation
from tests.factories import IndicatorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
INDICATORS, YEARS = 10, 20  # 10 indicators × 20 years × territories


def _grow(*, territories: list[int]) -> None:
    """Yearly values 2000–2019 of every indicator for ``territories``, inserted by the database itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO indicators_observation (indicator_id, territory_id, period, period_start, value, status, "
            "note, source_file) SELECT i.id, t.id, y::text, make_date(y, 1, 1), (i.id * 7 + t.id + y) %% 100, "
            "'definitivo', '', '' FROM indicators_indicator i CROSS JOIN unnest(%s::bigint[]) AS t(id) "
            "CROSS JOIN generate_series(2000, 2019) AS y",
            [territories],
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_stay_constant_from_1000_to_30000_observations(client):
    leon = MunicipalityFactory()
    indicators = [IndicatorFactory(code=f"Q-{n:02d}", theme="Tema") for n in range(INDICATORS)]
    places = Territory.objects.bulk_create(
        Territory(code=f"col-q-{n}", name=f"Colonia {n}", kind=TerritoryKind.COLONIA, parent=leon) for n in range(149)
    )
    _grow(territories=[leon.pk, *[p.pk for p in places[:4]]])
    assert Observation.objects.count() == 1_000
    urls = [
        reverse("indicators:dashboard"),
        reverse("indicators:dashboard") + "?tema=Tema&territorio=col-q-1",
        reverse("indicators:indicator_detail", args=[indicators[0].slug]),
        reverse("indicators:indicator_detail", args=[indicators[0].slug]) + "?territorio=col-q-2&comparar=colonia",
    ]
    before = [_queries(client, url) for url in urls]
    _grow(territories=[p.pk for p in places[4:]])
    assert Observation.objects.count() == 30_000
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert max(before) <= 12
