"""The 17 Sustainable Development Goals with their official short Spanish names.

Source: open-sdg/sdg-translations (MIT), official UN wording; numbers are what projects store (``Project.sdg_goals``).
"""

from django.utils.translation import gettext_lazy as _

SDG_GOALS: dict[int, str] = {
    1: _("Fin de la pobreza"),
    2: _("Hambre cero"),
    3: _("Salud y bienestar"),
    4: _("Educación de calidad"),
    5: _("Igualdad de género"),
    6: _("Agua limpia y saneamiento"),
    7: _("Energía asequible y no contaminante"),
    8: _("Trabajo decente y crecimiento económico"),
    9: _("Industria, innovación e infraestructura"),
    10: _("Reducción de las desigualdades"),
    11: _("Ciudades y comunidades sostenibles"),
    12: _("Producción y consumo responsables"),
    13: _("Acción por el clima"),
    14: _("Vida submarina"),
    15: _("Vida de ecosistemas terrestres"),
    16: _("Paz, justicia e instituciones sólidas"),
    17: _("Alianzas para lograr los objetivos"),
}


def sdg_labels(numbers: list[int]) -> list[str]:
    return [f"{n}. {SDG_GOALS[n]}" for n in sorted(numbers) if n in SDG_GOALS]
