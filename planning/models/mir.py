"""The Matriz de Indicadores para Resultados (MIR) of a programme: its rows (Fin, Propósito, Componentes and the
Actividades under each Componente) and each row's indicators with their ficha técnica.

The MIR is a part of its programme: it follows the programme's versions (a new version copies it), its approval (a
frozen version's MIR is frozen with it) and its comparison of versions. What belongs to any indicator (definition,
method, unit, frequency, sentido, responsible agency) stays on the catalogue's ``indicators.Indicator``; the link
keeps only what the MIR adds: the dimension, the baseline, the annual targets and the variables of the method
(``MirIndicatorVariable``: each symbol of the formula with its description, unit and source).

Kept in its own module of ``planning.models`` so the MIR reads as one piece; the app label is
``planning`` all the same.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords
from implan.limits import SHORT_TEXT, TEXT, limited_text

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class MirLevel(models.TextChoices):
    """The four levels of the MIR's vertical logic, top to bottom."""

    FIN = "fin", _("Fin")
    PROPOSITO = "proposito", _("Propósito")
    COMPONENTE = "componente", _("Componente")
    ACTIVIDAD = "actividad", _("Actividad")


# Levels that a MIR has exactly once.
SINGLE_LEVELS = (MirLevel.FIN, MirLevel.PROPOSITO)


class MirDimension(models.TextChoices):
    """What an indicator of the MIR measures (CONEVAL's four dimensions)."""

    EFFICACY = "eficacia", _("Eficacia")
    EFFICIENCY = "eficiencia", _("Eficiencia")
    QUALITY = "calidad", _("Calidad")
    ECONOMY = "economia", _("Economía")


def level_rank(path: str = "") -> models.Case:
    """The level's place in the vertical logic (Fin 0 … Actividad 3), for ordering; ``path`` leads to the row."""
    return models.Case(
        *(models.When(**{f"{path}level": level}, then=rank) for rank, level in enumerate(MirLevel.values)),
        output_field=models.IntegerField(),
    )


class MirRowQuerySet(models.QuerySet["MirRow"]):
    def in_table_order(self) -> MirRowQuerySet:
        """By level, then number (the classic table, each Componente followed by its Actividades, is built by
        ``planning.selectors.mir``)."""
        return self.alias(level_rank=level_rank()).order_by("level_rank", "order", "pk")


class MirRow(models.Model):
    """A row of a programme's MIR: its level, resumen narrativo, medios de verificación and supuestos."""

    # CASCADE: the MIR is part of its programme; discarding a draft programme discards its MIR.
    programme = models.ForeignKey(
        "planning.Programme", verbose_name=_("programa"), on_delete=models.CASCADE, related_name="mir_rows"
    )
    level = models.CharField(_("nivel"), max_length=12, choices=MirLevel.choices)
    # CASCADE: an Actividad exists only under its Componente (the service refuses to delete one that has some).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("componente"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        help_text=_("Solo para una actividad: el componente al que contribuye."),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    summary = limited_text(
        _("resumen narrativo"), max_length=TEXT, help_text=_("El objetivo de este nivel, en una oración.")
    )
    verification = limited_text(
        _("medios de verificación"),
        max_length=TEXT,
        help_text=_("Las fuentes donde cualquiera puede comprobar el indicador (informe, registro, página…)."),
    )
    assumptions = limited_text(
        _("supuestos"),
        max_length=TEXT,
        help_text=_("Lo que debe ocurrir fuera del control del programa para alcanzar el nivel superior."),
    )
    history = HistoricalRecords()

    objects = MirRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("renglón de la MIR")
        verbose_name_plural = _("renglones de la MIR")
        ordering = ["programme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "level"],
                condition=Q(level__in=["fin", "proposito"]),
                name="mir_row_one_fin_one_proposito",
            ),
            models.CheckConstraint(
                condition=(Q(level="actividad") & Q(parent__isnull=False))
                | (~Q(level="actividad") & Q(parent__isnull=True)),
                name="mir_row_actividad_under_componente",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.order}: {self.summary[:60]}"

    @property
    def number(self) -> str:
        """How the table numbers the row: «2» for a Componente, «2.1» for an Actividad, nothing for Fin and
        Propósito (there is one of each)."""
        if self.level == MirLevel.ACTIVIDAD and self.parent_id is not None:
            return f"{self.parent.order}.{self.order}"  # type: ignore[union-attr]
        return str(self.order) if self.level in (MirLevel.COMPONENTE, MirLevel.ACTIVIDAD) else ""

    @property
    def is_componente(self) -> bool:
        return self.level == MirLevel.COMPONENTE

    def clean(self) -> None:
        """An Actividad hangs from a Componente of the same programme; the other levels from nothing."""
        if self.level == MirLevel.ACTIVIDAD:
            parent = self.parent
            if parent is None:
                raise ValidationError(_("Una actividad debe pertenecer a un componente."))
            if parent.level != MirLevel.COMPONENTE or parent.programme_id != self.programme_id:
                raise ValidationError(_("Una actividad solo puede pertenecer a un componente de la misma MIR."))
        elif self.parent_id is not None:
            raise ValidationError(_("Solo una actividad pertenece a un componente."))


def parse_targets(raw: object) -> dict[str, str]:
    """Annual targets as stored ({"2025": "12.5", …}, years sorted), or ``ValidationError`` in Spanish."""
    if not isinstance(raw, dict):
        raise ValidationError(_("Las metas anuales deben ser pares año → valor."))
    targets = {}
    for year, value in raw.items():
        if not str(year).isdigit() or not 1990 <= int(year) <= 2100:
            raise ValidationError(_("«%(y)s» no es un año válido para una meta.") % {"y": year})
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError(_("La meta de %(y)s no es un número.") % {"y": year}) from error
        if not number.is_finite():
            raise ValidationError(_("La meta de %(y)s no es un número.") % {"y": year})
        targets[str(int(year))] = str(number)
    return dict(sorted(targets.items()))


class MirIndicator(models.Model):
    """An indicator of the catalogue measuring a MIR row, with what the MIR adds to its ficha técnica."""

    # CASCADE: the link is part of its row.
    row = models.ForeignKey(MirRow, verbose_name=_("renglón"), on_delete=models.CASCADE, related_name="indicators")
    # PROTECT: a MIR keeps naming the indicator it measures with; the catalogue cannot drop it from under it.
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicador"), on_delete=models.PROTECT, related_name="mir_links"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    dimension = models.CharField(_("dimensión"), max_length=12, choices=MirDimension.choices)
    baseline_value = models.DecimalField(_("línea base"), max_digits=20, decimal_places=6, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("año de la línea base"), validators=YEAR_VALIDATORS, null=True, blank=True
    )
    targets = models.JSONField(
        _("metas anuales"), default=dict, blank=True, help_text=_("Año → valor meta de ese año.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicador de la MIR")
        verbose_name_plural = _("indicadores de la MIR")
        ordering = ["row", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["row", "indicator"], name="mir_indicator_once_per_row"),
        ]

    def __str__(self) -> str:
        return str(self.indicator)

    def clean(self) -> None:
        self.targets = parse_targets(self.targets)
        if (self.baseline_value is None) != (self.baseline_year is None):
            raise ValidationError(_("La línea base lleva valor y año, los dos."))
        if self.baseline_year and any(int(year) < self.baseline_year for year in self.targets):
            raise ValidationError(_("Una meta anual no puede ser de un año anterior a la línea base."))

    def target_for(self, year: int) -> Decimal | None:
        value = self.targets.get(str(year))
        return Decimal(value) if value is not None else None

    @property
    def last_target(self) -> tuple[int, Decimal] | None:
        """The farthest annual target (year, value): what the traffic light judges progress against."""
        if not self.targets:
            return None
        year = max(self.targets, key=int)
        return int(year), Decimal(self.targets[year])


# A variable's symbol: a letter, then letters, digits or «_» (HC, VA, A1, km_r); short, as formulas write them.
SYMBOL = re.compile(r"[^\W\d_]\w{0,11}")


def check_symbol(symbol: str) -> None:
    """``ValidationError`` in Spanish unless ``symbol`` (when given) is a letter followed by letters, digits or «_»."""
    if symbol and not SYMBOL.fullmatch(symbol):
        raise ValidationError(
            _("El símbolo «%(s)s» debe empezar con una letra y llevar solo letras, números o «_».") % {"s": symbol}
        )


def symbol_in(symbol: str, formula: str) -> bool:
    """Whether ``symbol`` appears in ``formula`` as a whole word («A» in «A / B × 100», not in «Agua»)."""
    return re.search(rf"(?<!\w){re.escape(symbol)}(?!\w)", formula) is not None


class MirIndicatorVariable(models.Model):
    """A variable of a MIR indicator's método de cálculo: the symbol the formula uses, what it counts, its unit and
    where anyone can verify it. Part of the MIR's ficha técnica (the catalogue's formula stays shared free text)."""

    # CASCADE: the variable is part of its indicator's ficha técnica in this version of the MIR.
    link = models.ForeignKey(
        MirIndicator, verbose_name=_("indicador de la MIR"), on_delete=models.CASCADE, related_name="variables"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    symbol = models.CharField(
        _("símbolo"), max_length=12, help_text=_("Como aparece en el método de cálculo, por ejemplo «A» o «HC».")
    )
    description = models.CharField(
        _("descripción"), max_length=300, help_text=_("Qué cuenta, por ejemplo «Viviendas con agua entubada».")
    )
    unit = models.CharField(_("unidad"), max_length=60)
    source = limited_text(
        _("medio de verificación"),
        max_length=SHORT_TEXT,
        help_text=_("La fuente donde cualquiera puede comprobar el valor (registro, informe, censo…)."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("variable del indicador de la MIR")
        verbose_name_plural = _("variables del indicador de la MIR")
        ordering = ["link", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["link", "symbol"], name="mir_variable_symbol_once_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol}: {self.description}"

    def clean(self) -> None:
        self.symbol = self.symbol.strip()
        check_symbol(self.symbol)

    @property
    def as_text(self) -> str:
        """«A: descripción (unidad; fuente)», as the open-data files list it."""
        return f"{self.symbol}: {self.description} ({self.unit}; {self.source})"
