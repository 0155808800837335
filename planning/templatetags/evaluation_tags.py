"""The evaluation's findings and recommendations where the next diagnosis is written: ``{% diagnosis_inputs_panel %}``.

An inclusion tag so that the diagnosis page (plan area) shows them with one line and no change to its view; it
runs the two queries of ``planning.selectors.evaluation.diagnosis_inputs`` once per page.
"""

from __future__ import annotations

from typing import Any

from django import template

from planning.selectors.evaluation import diagnosis_inputs

register = template.Library()


@register.inclusion_tag("planning/workspace/partials/diagnosis_inputs.html")
def diagnosis_inputs_panel() -> dict[str, Any]:
    return {"inputs": diagnosis_inputs()}
