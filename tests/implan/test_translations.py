"""Translations keep each message's answer (implan/translations.py): the answers are Django's own, in both languages,
for a hit, a miss, a context and a plural, and a message marked safe lends its mark to no later caller."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import trans_real

from implan.translations import MAX_KEPT, KeptTranslation


def django_answer(language: str, message: str) -> str:
    """What Django's own class answers, built apart from the portal's cache of translations."""
    return KeptTranslation.__base__(language).gettext(message)


def test_the_portal_builds_its_translations_with_the_kept_answers():
    with translation.override("es-mx"):
        assert isinstance(trans_real.catalog(), KeptTranslation)
    with translation.override("en"):
        assert isinstance(trans_real.catalog(), KeptTranslation)


@pytest.mark.parametrize(
    ("language", "message", "expected"),
    [
        ("es-mx", "This field is required.", "Este campo es obligatorio."),  # Django's own, from its es catalogues
        ("es-mx", "Presupuestos", "Presupuestos"),  # the portal's own: written in Spanish, so no entry
        ("en", "Presupuestos", "Budgets"),
        ("en", "This field is required.", "This field is required."),
    ],
)
def test_each_answer_is_djangos_the_first_time_and_every_time_after(language, message, expected):
    with translation.override(language):
        answers = {translation.gettext(message) for _ in range(3)}
    assert answers == {expected} == {django_answer(language, message)}


def test_a_context_and_a_plural_are_translated_as_before():
    with translation.override("en"):
        assert [translation.pgettext("start date", "Inicio") for _ in range(2)] == ["Start", "Start"]
        singular = "Falta registrar el trimestre %(q)s en %(n)s línea; regístrelo antes de cerrar el trimestre."
        plural = singular.replace("línea", "líneas")
        assert translation.ngettext(singular, plural, 2) % {"q": 3, "n": 2} == (
            "Quarter 3 is not recorded for 2 lines yet; record it before closing the quarter."
        )


def test_a_safe_message_lends_its_mark_to_no_later_plain_caller():
    # Django's gettext() hands the translation plain text; a caller of the translation object itself may not.
    kept = KeptTranslation("es-mx")
    text = "<b>sin traducción</b>"
    assert isinstance(kept.gettext(mark_safe(text)), SafeData)
    assert not isinstance(kept.gettext(text), SafeData)
    with translation.override("es-mx"):
        assert not isinstance(translation.gettext(text), SafeData)


def test_text_of_unbounded_variety_keeps_no_more_than_the_bound(monkeypatch):
    monkeypatch.setattr("implan.translations.MAX_KEPT", 5)
    kept = KeptTranslation("es-mx")
    for n in range(20):
        assert kept.gettext(f"texto {n}") == f"texto {n}"
    assert len(kept._kept) == 5 < MAX_KEPT
