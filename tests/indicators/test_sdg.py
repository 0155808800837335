"""The UN's SDG list is loaded as a catalogue with the official codes."""

import pytest

from indicators.models import SdgCode, SdgLevel
from indicators.sdg import load_catalogue

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_17_goals_169_targets_and_the_231_unique_indicators():
    assert SdgCode.objects.filter(level=SdgLevel.GOAL).count() == 17
    assert SdgCode.objects.filter(level=SdgLevel.TARGET).count() == 169
    indicators = SdgCode.objects.filter(level=SdgLevel.INDICATOR)
    assert indicators.count() == 248
    assert indicators.filter(repeat_of__isnull=True).count() == 231
    assert SdgCode.objects.get(code="11.5.1").repeat_of.code == "1.5.1"
    assert not SdgCode.objects.filter(code__in=["1.a.3", "11.c.1", "13.3.2", "17.6.2"]).exists()
    assert SdgCode.objects.get(code="11").short_title_es.lower() == "ciudades y comunidades sostenibles"
    assert "acceso al transporte" in SdgCode.objects.get(code="11.2.1").title_es


def test_codes_sort_as_people_read_them():
    codes = list(SdgCode.objects.filter(code__startswith="1.").values_list("code", flat=True)[:8])
    assert codes[:3] == ["1.1", "1.1.1", "1.2"]
    goals = list(SdgCode.objects.filter(level=SdgLevel.GOAL).values_list("code", flat=True))
    assert goals[:3] == ["1", "2", "3"] and goals[-1] == "17"


def test_loading_again_changes_nothing():
    before = list(SdgCode.objects.values_list("code", "title_es", "repeat_of__code"))
    load_catalogue(SdgCode)
    assert list(SdgCode.objects.values_list("code", "title_es", "repeat_of__code")) == before
