"""Development indicators: their definitions and their observations (indicator × territory × period)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from implan.models import TerritoryKind


class Family(models.TextChoices):
    SUSTAINABILITY = "sustentabilidad", _("Sustentabilidad")
    COMPETITIVENESS = "competitividad", _("Competitividad")
    QUALITY_OF_LIFE = "calidad_de_vida", _("Calidad de vida")


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "ascendente", _("Ascendente (más es mejor)")
    LOWER_IS_BETTER = "descendente", _("Descendente (menos es mejor)")


class Frequency(models.TextChoices):
    MONTHLY = "mensual", _("Mensual")
    QUARTERLY = "trimestral", _("Trimestral")
    HALF_YEARLY = "semestral", _("Semestral")
    YEARLY = "anual", _("Anual")
    FIVE_YEARLY = "quinquenal", _("Quinquenal")
    TEN_YEARLY = "decenal", _("Decenal")


class SdgLevel(models.TextChoices):
    GOAL = "objetivo", _("Objetivo")
    TARGET = "meta", _("Meta")
    INDICATOR = "indicador", _("Indicador")


class SdgCode(models.Model):
    """An entry of the UN's official list of Sustainable Development Goals, targets and indicators."""

    code = models.CharField(_("clave"), max_length=20, unique=True, help_text=_("Por ejemplo: 11, 11.2, 11.2.1."))
    level = models.CharField(_("nivel"), max_length=10, choices=SdgLevel.choices)
    title_es = models.TextField(_("título en español"))
    title_en = models.TextField(_("título en inglés"), blank=True)

    class Meta:
        verbose_name = _("clave ODS")
        verbose_name_plural = _("claves ODS")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"ODS {self.code}"


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def published(self) -> IndicatorQuerySet:
        return self.filter(is_published=True)


class Indicator(models.Model):
    """A development indicator: what is measured, how, by whom, and which way is better."""

    code = models.CharField(_("clave"), max_length=30, unique=True,
                            help_text=_("Clave estable del indicador, usada en las importaciones."))
    name = models.CharField(_("nombre"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    definition = models.TextField(_("definición"), help_text=_("Qué mide el indicador, en lenguaje llano."))
    formula = models.TextField(_("fórmula"), blank=True, help_text=_("Método de cálculo."))
    unit = models.CharField(_("unidad de medida"), max_length=60, help_text=_("Por ejemplo: %, personas, km²."))
    family = models.CharField(_("familia"), max_length=20, choices=Family.choices)
    theme = models.CharField(_("tema"), max_length=100, blank=True)
    polarity = models.CharField(_("sentido"), max_length=12, choices=Polarity.choices,
                                help_text=_("Si un valor mayor es mejor (ascendente) o peor (descendente)."))
    frequency = models.CharField(_("periodicidad"), max_length=12, choices=Frequency.choices,
                                 default=Frequency.YEARLY)
    source = models.CharField(_("fuente"), max_length=250, help_text=_("Institución y producto que publica el dato."))
    territorial_level = models.CharField(_("desagregación territorial"), max_length=20,
                                         choices=TerritoryKind.choices, default=TerritoryKind.MUNICIPIO)
    # PROTECT: an indicator keeps its responsible agency until someone reassigns it.
    owner = models.ForeignKey("implan.Agency", verbose_name=_("responsable"), on_delete=models.PROTECT,
                              null=True, blank=True, related_name="indicators")
    sdg_codes = models.ManyToManyField(SdgCode, verbose_name=_("alineación ODS"), blank=True,
                                       related_name="indicators")
    is_published = models.BooleanField(_("publicado"), default=True)
    history = HistoricalRecords(m2m_fields=[sdg_codes])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        ordering = ["family", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class ObservationStatus(models.TextChoices):
    PRELIMINARY = "preliminar", _("Preliminar")
    FINAL = "definitivo", _("Definitivo")


class ObservationQuerySet(models.QuerySet["Observation"]):
    def for_territory(self, territory: object) -> ObservationQuerySet:
        return self.filter(territory=territory)


class Observation(models.Model):
    """One value of an indicator for a territory and a period; unique on those three."""

    # PROTECT: observations are evidence; an indicator with data cannot vanish.
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicador"), on_delete=models.PROTECT,
                                  related_name="observations")
    # PROTECT: same reason, from the territory's side.
    territory = models.ForeignKey("implan.Territory", verbose_name=_("territorio"), on_delete=models.PROTECT,
                                  related_name="observations")
    period = models.CharField(
        _("periodo"), max_length=10,
        help_text=_("Año (2024), semestre (2024-S1), trimestre (2024-T3) o mes (2024-03)."),
    )
    period_start = models.DateField(_("inicio del periodo"), help_text=_("Se calcula a partir del periodo."))
    value = models.DecimalField(_("valor"), max_digits=20, decimal_places=6)
    status = models.CharField(_("estatus"), max_length=12, choices=ObservationStatus.choices,
                              default=ObservationStatus.FINAL)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    # SET_NULL: the importing user is also in history; the value outlives the account link.
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("cargado por"))
    source_file = models.CharField(_("archivo de origen"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        ordering = ["indicator", "territory", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "territory", "period"],
                                    name="observation_unique_indicator_territory_period"),
        ]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.territory} · {self.period}"
