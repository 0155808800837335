"""Public pages of the indicators: the dashboard, one indicator, and the open data."""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from implan.cache import lazy_context
from implan.exports import file_stem
from implan.models import Territory, TerritoryKind
from implan.params import is_number
from implan.permissions import is_planner
from indicators import calendar, charts, exporting, opendata, selectors
from indicators.models import Family, Indicator

COMPARISON_BARS = 40


def _territory(code: str | None, *, among: list[Territory] | None = None) -> Territory | None:
    if among is not None:
        found = next((t for t in among if t.code == code), None)
        return found or next((t for t in among if t.kind == TerritoryKind.MUNICIPIO), among[0] if among else None)
    found = Territory.objects.filter(code=code).first() if code else None
    return found or selectors.default_territory()


def dashboard(request: HttpRequest) -> HttpResponse:
    # Kept by content version and full path (theme and territory) with {% content_cache %}; lazy, so kept content
    # costs no query. Whether the user may edit is asked on every request, outside the kept part.
    context = lazy_context(
        functools.partial(_dashboard_content, request), ("groups", "territory", "theme", "themes", "territories")
    )
    key = f"tablero-{hashlib.md5(request.get_full_path().encode()).hexdigest()}"
    return render(
        request, "indicators/dashboard.html", {"can_edit": is_planner(request.user), "content_key": key, **context}
    )


def _dashboard_content(request: HttpRequest) -> dict[str, Any]:
    themes = selectors.themes()
    theme = request.GET.get("tema", "")
    theme = theme if theme in themes else ""
    territory = _territory(request.GET.get("territorio"))
    return {
        "groups": selectors.dashboard(territory=territory, theme=theme),
        "territory": territory,
        "theme": theme,
        "themes": themes,
        "territories": selectors.territory_choices(),
    }


SMALL = {"width": 340, "height": 180}


def update_calendar(request: HttpRequest) -> HttpResponse:
    """The public «calendario de actualización»: when each published indicator's next value is expected."""
    return render(
        request,
        "indicators/update_calendar.html",
        {"rows": calendar.update_calendar(today=timezone.localdate()), "soon_days": calendar.SOON_DAYS},
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Only the indicator itself now (the title, the 404); its goals and SDG codes with the rest of the content.
    indicator = (
        Indicator.objects.published()
        .select_related("owner", "rate_numerator", "rate_denominator")
        .filter(slug=slug)
        .first()
    )
    if indicator is None:
        raise Http404
    content = functools.partial(_indicator_content, request, indicator)
    # Kept by content version and full path (territory and comparison asked for) with {% content_cache %}; lazy,
    # so kept content costs no query.
    key = f"indicador-{indicator.pk}-{hashlib.md5(request.get_full_path().encode()).hexdigest()}"
    return render(
        request,
        "indicators/indicator_detail.html",
        {"indicator": indicator, "content_key": key, **lazy_context(content, INDICATOR_CONTENT)},
    )


INDICATOR_CONTENT = (
    "territory",
    "territories",
    "points",
    "chart",
    "card",
    "target",
    "comparison",
    "bars",
    "bar_limit",
    "summary",
    "small_multiples",
    "breakdown_table",
)


def _indicator_content(request: HttpRequest, indicator: Indicator) -> dict[str, Any]:
    prefetch_related_objects([indicator], *selectors.public_indicator_related())
    territories = selectors.territories_with_data(indicator)
    territory = _territory(request.GET.get("territorio"), among=territories)
    points = selectors.series(indicator, territory) if territory else []
    card = selectors.card_for(indicator, points[-selectors.SPARK_POINTS :])
    target = card.target
    label = _("Meta %(year)s: %(value)s") % {"year": target.year, "value": target.value.normalize()} if target else ""
    chart = charts.line_chart(
        [(o.period, o.value, o.is_preliminary) for o in points],
        target=target.value if target else None,
        target_label=label,
    )
    breakdowns = selectors.breakdown_series(indicator, territory) if territory else []
    comparison = selectors.comparison(indicator, kind=request.GET.get("comparar", ""))
    bars = (
        charts.bar_chart(
            [
                (o.territory.name, o.value, territory is not None and o.territory_id == territory.pk)
                for o in comparison.rows[:COMPARISON_BARS]
            ]
        )
        if comparison
        else None
    )
    return {
        "territory": territory,
        "territories": territories,
        "points": points,
        "chart": chart,
        "card": card,
        "target": target,
        "comparison": comparison,
        "bars": bars,
        "bar_limit": COMPARISON_BARS,
        "summary": selectors.summary_sentence(indicator, points, target),
        "small_multiples": [
            (b, charts.line_chart([(o.period, o.value, o.is_preliminary) for o in b.points], **SMALL))
            for b in breakdowns
        ],
        "breakdown_table": selectors.breakdown_table(breakdowns),
    }


def export(request: HttpRequest, resource: str, fmt: str) -> HttpResponse:
    """Catalogue or observations, whole or a selection (?indicador=…&territorio=…&familia=…&desde=…&hasta=…)."""
    indicators = Indicator.objects.published()
    if resource == "indicadores":
        return exporting.export(resource, fmt, exporting.catalogue_rows(indicators), base_name="indicadores")
    codes = request.GET.getlist("indicador")
    if codes:
        indicators = indicators.filter(code__in=codes)
    family = request.GET.get("familia", "")
    if family in Family.values:
        indicators = indicators.filter(family=family)
    territories = list(Territory.objects.filter(code__in=request.GET.getlist("territorio")))
    selection = selectors.observations_for_export(
        indicators=indicators,
        territories=territories,
        year_from=_year(request.GET.get("desde")),
        year_to=_year(request.GET.get("hasta")),
    )
    return exporting.export(
        resource, fmt, exporting.observation_rows(selection), base_name=_export_name(indicators if codes else None)
    )


def _export_name(chosen: QuerySet[Indicator] | None) -> str:
    """Named after the published indicators found, never after the raw ``indicador`` values (header injection)."""
    found = sorted(chosen.values_list("code", flat=True)) if chosen is not None else []
    return file_stem("observaciones", *found)[:100]


def _year(raw: str | None) -> int | None:
    return int(raw) if raw and is_number(raw) and len(raw) == 4 else None


def datapackage(request: HttpRequest) -> JsonResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(opendata.datapackage(base_url=base_url), json_dumps_params={"ensure_ascii": False, "indent": 1})
