"""The evaluation's recommendations where the next diagnosis is written: ``{% open_recommendations_panel %}``.

An inclusion tag so that the diagnosis page (plan area) shows them with one line and no change to its view; it
runs the two queries of ``planning.selectors.open_recommendations`` once per page.
"""

from __future__ import annotations

from typing import Any

from django import template

from planning.selectors import open_recommendations

register = template.Library()


@register.inclusion_tag("planning/partials/open_recommendations.html")
def open_recommendations_panel() -> dict[str, Any]:
    return {"recommendations": open_recommendations()}
