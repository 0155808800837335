"""Money in MXN, formatted for the active language (es-MX: $1,234.50 MXN)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

CENT = Decimal("0.01")


def to_money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_mxn(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    amount = formats.number_format(to_money(value), 2, use_l10n=True, force_grouping=True)
    if amount.startswith("-"):
        return f"-${amount[1:]} MXN"
    return f"${amount} MXN"
