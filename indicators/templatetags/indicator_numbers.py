"""Numbers as León's planners write them: 1,721,215 · 95.4 · 0.95 (es-MX: comma for thousands, point for decimals)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """{{ value|number }} → «1,734,000», «95.12», «-0.4»: at most ``places`` decimals, no trailing zeros."""
    if value is None or value == "":
        return "—"
    quantized = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    text = f"{quantized:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
