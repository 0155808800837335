import pytest
from django.db import IntegrityError, transaction

from tests.factories import IndicatorFactory, MunicipalityFactory, ObservationFactory

pytestmark = pytest.mark.django_db


def test_a_duplicate_observation_fails_at_the_database():
    indicator, leon = IndicatorFactory(), MunicipalityFactory()
    ObservationFactory(indicator=indicator, territory=leon, period="2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(indicator=indicator, territory=leon, period="2020")
    ObservationFactory(indicator=indicator, territory=leon, period="2021")
