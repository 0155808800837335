"""One slug maker for every public URL: readable, unique where it must be, never longer than its field."""

import pytest

from implan.slugs import unique_slug
from planning.models import Strategy
from projects.models import Project
from tests.factories import ProjectFactory, StrategicPlanFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_namesakes_get_the_next_free_number():
    assert unique_slug(Project.objects.all(), "Parque Lineal del Río", fallback="proyecto") == "parque-lineal-del-rio"
    ProjectFactory(slug="parque-lineal-del-rio")
    ProjectFactory(slug="parque-lineal-del-rio-2")
    assert unique_slug(Project.objects.all(), "Parque Lineal del Río", fallback="proyecto") == "parque-lineal-del-rio-3"


def test_the_slug_is_unique_only_within_the_queryset_given():
    strategy = StrategyFactory(slug="habitat")
    other_plan = StrategicPlanFactory(slug="otro-plan")
    assert unique_slug(strategy.plan.strategies.all(), "Hábitat", fallback="registro") == "habitat-2"
    assert unique_slug(Strategy.objects.filter(plan=other_plan), "Hábitat", fallback="registro") == "habitat"


def test_a_text_without_letters_takes_the_fallback_and_a_long_one_leaves_room_for_the_number():
    assert unique_slug(Project.objects.all(), "¡¿ — ?!", fallback="proyecto") == "proyecto"
    long = unique_slug(Project.objects.all(), "obra " * 60, fallback="proyecto")
    assert len(long) == Project._meta.get_field("slug").max_length - 10
