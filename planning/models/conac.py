"""CONAC's budget classifications as tables (one table holds the four catalogues, each entry pointing at its parent
level) and the execution of a budget line by its stages (momentos contables), quarter by quarter. The catalogue
files and the rules between the stages are in ``planning.conac``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords

MONEY = {"max_digits": 16, "decimal_places": 2}
QUARTERS = (1, 2, 3, 4)


class ConacCatalogue(models.TextChoices):
    OBJECT = "cog", _("Clasificador por Objeto del Gasto")
    FUNCTIONAL = "funcional", _("Clasificación Funcional del Gasto")
    PROGRAMMATIC = "programatica", _("Clasificación Programática")
    FUNDING = "fuentes", _("Clasificador por Fuentes de Financiamiento")


class ConacLevel(models.TextChoices):
    CHAPTER = "capitulo", _("Capítulo")
    CONCEPT = "concepto", _("Concepto")
    GENERIC = "partida_generica", _("Partida genérica")
    PURPOSE = "finalidad", _("Finalidad")
    FUNCTION = "funcion", _("Función")
    SUBFUNCTION = "subfuncion", _("Subfunción")
    MODALITY = "modalidad", _("Modalidad")
    SOURCE = "fuente", _("Fuente")
    SUBSOURCE = "subfuente", _("Subfuente")


# The level a budget line names in each catalogue: the most detailed one.
LINE_LEVEL = {
    ConacCatalogue.OBJECT: ConacLevel.GENERIC,
    ConacCatalogue.FUNCTIONAL: ConacLevel.SUBFUNCTION,
    ConacCatalogue.PROGRAMMATIC: ConacLevel.MODALITY,
    ConacCatalogue.FUNDING: ConacLevel.SUBSOURCE,
}


class ConacEntryQuerySet(models.QuerySet["ConacEntry"]):
    def for_lines(self, catalogue: str) -> ConacEntryQuerySet:
        """The entries of ``catalogue`` a budget line may name (partidas genéricas, subfunciones…)."""
        return self.filter(catalogue=catalogue, level=LINE_LEVEL[ConacCatalogue(catalogue)]).order_by("code")


class ConacEntry(models.Model):
    """One code of a CONAC catalogue, as published in the DOF (see planning/data/conac/README.md)."""

    catalogue = models.CharField(_("catálogo"), max_length=20, choices=ConacCatalogue.choices)
    code = models.CharField(_("clave"), max_length=10)
    level = models.CharField(_("nivel"), max_length=20, choices=ConacLevel.choices)
    name = models.CharField(_("nombre"), max_length=300)
    group = models.CharField(_("grupo"), max_length=200, blank=True)
    # PROTECT: a level stays while a more detailed one hangs from it.
    parent = models.ForeignKey(
        "self", verbose_name=_("nivel superior"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = ConacEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("clave del CONAC")
        verbose_name_plural = _("claves del CONAC")
        ordering = ["catalogue", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="conac_entry_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetExecution(models.Model):
    """A budget line's stages accumulated from January 1 to the end of a quarter (as the quarterly Estado Analítico
    del Ejercicio del Presupuesto de Egresos reports them). The approved stage is the line's approved amount."""

    # CASCADE: the execution is part of its line (a line with execution lives in an approved, undeletable budget).
    line = models.ForeignKey(
        "planning.BudgetLine", verbose_name=_("línea presupuestal"), on_delete=models.CASCADE, related_name="executions"
    )
    quarter = models.PositiveSmallIntegerField(_("trimestre"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    modified = models.DecimalField(_("modificado (MXN)"), **MONEY, default=Decimal("0"))
    committed = models.DecimalField(_("comprometido (MXN)"), **MONEY, default=Decimal("0"))
    accrued = models.DecimalField(_("devengado (MXN)"), **MONEY, default=Decimal("0"))
    exercised = models.DecimalField(_("ejercido (MXN)"), **MONEY, default=Decimal("0"))
    paid = models.DecimalField(_("pagado (MXN)"), **MONEY, default=Decimal("0"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ejecución trimestral")
        verbose_name_plural = _("ejecución trimestral")
        ordering = ["line", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "quarter"], name="budget_execution_one_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="budget_execution_quarter"),
            models.CheckConstraint(
                condition=Q(paid__gte=0)
                & Q(paid__lte=F("exercised"))
                & Q(exercised__lte=F("accrued"))
                & Q(accrued__lte=F("committed"))
                & Q(committed__lte=F("modified")),
                name="budget_execution_stage_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} · T{self.quarter}"


class BudgetQuarter(models.Model):
    """A closed quarter of a budget's execution: its figures are frozen from then on."""

    # CASCADE: the closing is part of its budget.
    budget = models.ForeignKey(
        "planning.Budget", verbose_name=_("presupuesto"), on_delete=models.CASCADE, related_name="closed_quarters"
    )
    quarter = models.PositiveSmallIntegerField(_("trimestre"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    closed_at = models.DateTimeField(_("cerrado el"))
    # PROTECT: who closed a quarter stays on record.
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cerrado por"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trimestre cerrado")
        verbose_name_plural = _("trimestres cerrados")
        ordering = ["budget", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "quarter"], name="budget_quarter_closed_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="budget_quarter_number"),
        ]

    def __str__(self) -> str:
        return f"{self.budget} · T{self.quarter}"
