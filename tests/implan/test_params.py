"""A number typed in an address or a form is read with implan.params: «²» and other scripts' digits pass
``str.isdigit()`` and made ``int()`` or the database fail with a 500 on the pages below."""

from __future__ import annotations

import pytest
from django.urls import reverse

from implan.params import LONGEST, is_number, number
from tests.factories import StrategicPlanFactory

HOSTILE = ["²", "٣", "１２", "2²", "-1", " 1", "1.0", "", "9" * (LONGEST + 1)]


@pytest.mark.parametrize("raw", HOSTILE)
def test_anything_but_ascii_digits_is_no_number(raw):
    assert not is_number(raw) and number(raw) is None


@pytest.mark.parametrize(("raw", "value"), [("0", 0), ("7", 7), ("2045", 2045), ("9" * LONGEST, int("9" * LONGEST))])
def test_ascii_digits_are_read_as_their_number(raw, value):
    assert is_number(raw) and number(raw) == value
    assert number(None) is None


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["²", "٣٣٣٣", "²²²²"])
def test_the_pages_that_read_a_number_from_the_address_answer_without_an_error(client, planner, raw):
    plan = StrategicPlanFactory()
    public = [
        f"{reverse('projects:project_list')}?estrategia={raw}&territorio={raw}&dependencia={raw}",
        f"{reverse('indicators:export', args=['observaciones', 'csv'])}?desde={raw}&hasta={raw}",
        reverse("planning:government_plan_public", args=[f"{raw}-2027"]),
    ]
    for url in public:
        assert client.get(url).status_code in (200, 404), url
    client.force_login(planner)
    workspace = [
        f"{reverse('projects:workspace_portfolio')}?estrategia={raw}",
        f"{reverse('planning:programme_create')}?estrategia={raw}",
        f"{reverse('planning:instrument_compare', args=['plan', plan.pk])}?punto={raw}",
    ]
    for url in workspace:
        assert client.get(url).status_code in (200, 404), url
    assert client.post(reverse("implan:inbox_mark_read"), {"aviso": raw}).status_code == 302
