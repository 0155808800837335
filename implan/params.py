"""Values that arrive in a request's query string or form, read before they reach a query.

``str.isdigit()`` is not the test for a number typed in a URL: it also takes «²» and other scripts' digits, which
``int()`` or the database then refuse with an error page (a 500 for any visitor who edits the address).
"""

from __future__ import annotations

# A database integer has at most 19 digits; a longer "number" is no key or year of this portal.
LONGEST = 18


def is_number(raw: str | None) -> bool:
    """Whether ``raw`` is a whole number written with ASCII digits only (no sign, no spaces), short enough to query."""
    return raw is not None and raw.isascii() and raw.isdigit() and 0 < len(raw) <= LONGEST


def number(raw: str | None) -> int | None:
    """``raw`` as a number if ``is_number``, else None."""
    return int(raw) if raw is not None and is_number(raw) else None
