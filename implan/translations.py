"""Django's translations, with each message's answer kept once it has been looked up.

Why: Django keeps the catalogue of each installed app apart (``TranslationCatalog.update`` compares a plural
function's code with the function itself, so it never merges two) and chains the base language's catalogues behind
them as gettext fallbacks. In Spanish (es-MX) that is 9 catalogues and 6 fallbacks, each asked twice (the message,
then its singular plural form) — and the portal's own messages are written in Spanish, so Spanish has no entry for
them and every one of them walks the whole chain before it comes back unchanged. The budget's workspace asks ~750
times per request (about a tenth of its build time). A language's catalogues never change once its translation is
built (a changed setting builds new ones), so an answer may be kept for good.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import trans_real

# The portal's templates and code hold a few thousand messages; the bound only guards against code that would pass
# text of unbounded variety (a user's input) through gettext.
MAX_KEPT = 20_000


class KeptTranslation(trans_real.DjangoTranslation):
    """A ``DjangoTranslation`` whose ``gettext`` answers each message from a dict after its first lookup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[str, str] = {}  # from here on: the catalogues are complete

    def gettext(self, message: str) -> str:
        try:
            return self._kept[message]
        except KeyError:
            pass
        result = super().gettext(message)
        # Only plain text is kept: a message marked safe comes back as itself when it has no translation, and
        # keeping that object would hand its "safe" mark to a later caller who passed plain text.
        if type(message) is str and type(result) is str and len(self._kept) < MAX_KEPT:
            self._kept[message] = result
        return result


def install() -> None:
    """Make Django build its translations as ``KeptTranslation`` (called once, when the apps are ready)."""
    # ``trans_real.translation()`` names the class at each call, so new translations use this one; any built before
    # (none in a normal start) are dropped from Django's cache and built again.
    trans_real.DjangoTranslation = KeptTranslation  # type: ignore[misc]
    trans_real._translations.clear()  # type: ignore[attr-defined]
    trans_real._default = None  # type: ignore[attr-defined]  # what code outside a request (commands, workers) uses
