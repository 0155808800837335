"""Development indicators: their definitions and their observations (indicator × territory × period)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from implan.historical import HistoricalRecords
from implan.limits import SHORT_TEXT, TEXT, limited_text
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


class RatePer(models.IntegerChoices):
    HUNDRED = 100, _("por cada 100")
    THOUSAND = 1000, _("por cada 1,000")
    HUNDRED_THOUSAND = 100000, _("por cada 100,000")


class SdgLevel(models.TextChoices):
    # The UN's words: Goal, Target, Indicator (a plan's «meta» is a goal, an SDG «meta» a target).
    GOAL = "objetivo", pgettext_lazy("SDG level", "Objetivo")
    TARGET = "meta", pgettext_lazy("SDG level", "Meta")
    INDICATOR = "indicador", _("Indicador")


class SdgCode(models.Model):
    """An entry of the UN's official list of Sustainable Development Goals, targets and indicators."""

    code = models.CharField(_("clave"), max_length=20, unique=True, help_text=_("Por ejemplo: 11, 11.2, 11.2.1."))
    level = models.CharField(_("nivel"), max_length=10, choices=SdgLevel.choices)
    title_es = limited_text(_("título en español"), max_length=SHORT_TEXT)
    title_en = limited_text(_("título en inglés"), max_length=SHORT_TEXT, blank=True)
    short_title_es = models.CharField(
        _("nombre corto"),
        max_length=80,
        blank=True,
        help_text=_("Solo los objetivos: «Ciudades y comunidades sostenibles»."),
    )
    # SET_NULL: the UN repeats some indicators under several targets; losing the pointer loses no data.
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repite a"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        help_text=_("El mismo indicador de la ONU con otra clave (p. ej. 11.5.1 = 1.5.1)."),
    )
    sort_key = models.CharField(
        _("clave de orden"),
        max_length=20,
        editable=False,
        default="",
        help_text=_("Orden natural: 2 antes que 10, 1.2 antes que 1.a."),
    )

    class Meta:
        verbose_name = _("clave ODS")
        verbose_name_plural = _("claves ODS")
        ordering = ["sort_key"]

    def __str__(self) -> str:
        return _("ODS %(code)s") % {"code": self.code}

    @property
    def title(self) -> str:
        """The UN's title in the reader's language (English when the page is in English and the list has it)."""
        english = (translation.get_language() or "").startswith("en")
        return self.title_en if english and self.title_en else self.title_es

    @property
    def short_title(self) -> str:
        """«Ciudades y comunidades sostenibles»; in English through the catalogue, which holds the 17 goals' names
        (projects.sdg marks them)."""
        return translation.gettext(self.short_title_es) if self.short_title_es else ""

    @property
    def label(self) -> str:
        """What a select list shows: «11.2.1 · Proporción de la población…» (titles are long; cut at 110)."""
        title = self.short_title or self.title
        return f"{self.code} · {title[:110]}{'…' if len(title) > 110 else ''}"


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def published(self) -> IndicatorQuerySet:
        return self.filter(is_published=True)

    def of_family(self, family: str) -> IndicatorQuerySet:
        return self.filter(family=family) if family else self

    def of_theme(self, theme: str) -> IndicatorQuerySet:
        return self.filter(theme=theme) if theme else self


class Indicator(models.Model):
    """A development indicator: what is measured, how, by whom, and which way is better."""

    code = models.CharField(
        _("clave"), max_length=30, unique=True, help_text=_("Clave estable del indicador, usada en las importaciones.")
    )
    name = models.CharField(_("nombre"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    definition = limited_text(
        _("definición"), max_length=TEXT, help_text=_("Qué mide el indicador, en lenguaje llano.")
    )
    formula = limited_text(_("fórmula"), max_length=SHORT_TEXT, blank=True, help_text=_("Método de cálculo."))
    unit = models.CharField(_("unidad de medida"), max_length=60, help_text=_("Por ejemplo: %, personas, km²."))
    family = models.CharField(_("familia"), max_length=20, choices=Family.choices)
    theme = models.CharField(_("tema"), max_length=100, blank=True)
    polarity = models.CharField(
        _("sentido"),
        max_length=12,
        choices=Polarity.choices,
        help_text=_("Si un valor mayor es mejor (ascendente) o peor (descendente)."),
    )
    frequency = models.CharField(_("periodicidad"), max_length=12, choices=Frequency.choices, default=Frequency.YEARLY)
    source = models.CharField(_("fuente"), max_length=250, help_text=_("Institución y producto que publica el dato."))
    territorial_level = models.CharField(
        _("desagregación territorial"), max_length=20, choices=TerritoryKind.choices, default=TerritoryKind.MUNICIPIO
    )
    # PROTECT: an indicator keeps its responsible agency until someone reassigns it.
    owner = models.ForeignKey(
        "implan.Agency",
        verbose_name=_("responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    # SET_NULL: the person leaves or changes posts; the indicator keeps its agency and waits for a new person.
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persona responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators_responsible",
        help_text=_("Quien actualiza los datos; recibe el recordatorio cuando se acerca o pasa la fecha."),
    )
    publication_lag_months = models.PositiveSmallIntegerField(
        _("meses de rezago de la fuente"),
        default=0,
        help_text=_(
            "Meses que tarda la fuente en publicar un periodo después de que termina: un dato anual publicado en "
            "marzo tiene 3."
        ),
    )
    sdg_codes = models.ManyToManyField(SdgCode, verbose_name=_("alineación ODS"), blank=True, related_name="indicators")
    is_published = models.BooleanField(_("publicado"), default=True)
    # A rate: computed by the portal (indicators.rates) from two other indicators, never loaded from a file.
    # PROTECT: a rate cannot lose the indicators it is computed from while it exists.
    rate_numerator = models.ForeignKey(
        "self",
        verbose_name=_("tasa de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rates_as_numerator",
        help_text=_("El indicador que se cuenta (por ejemplo, delitos registrados)."),
    )
    rate_denominator = models.ForeignKey(
        "self",
        verbose_name=_("por población de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rates_as_denominator",
        help_text=_("El indicador de población que divide (por ejemplo, población total)."),
    )
    rate_per = models.PositiveIntegerField(_("por cada"), choices=RatePer.choices, null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[sdg_codes])

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        ordering = ["family", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_rate(self) -> bool:
        return bool(self.rate_numerator_id and self.rate_denominator_id and self.rate_per)


class Dimension(models.Model):
    """A breakdown an indicator declares (sexo, grupo de edad, tipo de delito); its observations may carry one of
    its categories. An observation with no category of any dimension is the indicator's total."""

    # CASCADE: a dimension is part of its indicator's definition (an indicator with data cannot be deleted anyway).
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicador"), on_delete=models.CASCADE, related_name="dimensions"
    )
    name = models.CharField(
        _("nombre"), max_length=60, help_text=_("Como lo escribe el encabezado del archivo: «sexo».")
    )
    slug = models.SlugField(_("identificador"), max_length=60)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("desagregación")
        verbose_name_plural = _("desagregaciones")
        ordering = ["indicator", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["indicator", "slug"], name="dimension_unique_per_indicator")]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """One category of a dimension («mujeres» of «sexo»)."""

    # CASCADE: a category is part of its dimension.
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("desagregación"), on_delete=models.CASCADE, related_name="categories"
    )
    label = models.CharField(_("categoría"), max_length=80)
    slug = models.SlugField(_("identificador"), max_length=80)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("categoría")
        verbose_name_plural = _("categorías")
        ordering = ["dimension", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["dimension", "slug"], name="category_unique_per_dimension")]

    def __str__(self) -> str:
        return self.label


class ObservationStatus(models.TextChoices):
    PRELIMINARY = "preliminar", _("Preliminar")
    FINAL = "definitivo", _("Definitivo")


class ObservationQuerySet(models.QuerySet["Observation"]):
    def for_territory(self, territory: object) -> ObservationQuerySet:
        return self.filter(territory=territory)

    def totals(self) -> ObservationQuerySet:
        """Values of the indicator as a whole, not of one category of a breakdown."""
        return self.filter(breakdown="")


class Observation(models.Model):
    """One value of an indicator for a territory, a period and a breakdown (its categories; "" for the total).

    The value may be missing («sin dato»): then it is None, never zero, with an optional reason.
    """

    # PROTECT: observations are evidence; an indicator with data cannot vanish.
    # No index of its own: the unique (indicator, territory, period) and (indicator, period_start) cover it, and
    # every index costs time on each of the 100,000 rows of a large import.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicador"), on_delete=models.PROTECT, related_name="observations", db_index=False
    )
    # PROTECT: same reason, from the territory's side.
    territory = models.ForeignKey(
        "implan.Territory",
        verbose_name=_("territorio"),
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,
    )  # see observation_territory_series
    period = models.CharField(
        _("periodo"),
        max_length=10,
        help_text=_("Año (2024), semestre (2024-S1), trimestre (2024-T3) o mes (2024-03)."),
    )
    period_start = models.DateField(_("inicio del periodo"), help_text=_("Se calcula a partir del periodo."))
    # The categories as one canonical key, «grupo-de-edad=0-14;sexo=mujeres» (dimension slugs in order, see
    # indicators.breakdowns): one text column keeps the uniqueness and the set-based import simple and fast.
    breakdown = models.CharField(
        _("desagregación"), max_length=200, blank=True, default="", db_default="", help_text=_("Vacío para el total.")
    )
    value = models.DecimalField(_("valor"), max_digits=20, decimal_places=6, null=True, blank=True)
    missing_reason = models.CharField(
        _("motivo de la falta de dato"),
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text=_("Solo cuando no hay dato."),
    )
    status = models.CharField(
        _("estatus"), max_length=12, choices=ObservationStatus.choices, default=ObservationStatus.FINAL
    )
    note = models.CharField(_("nota"), max_length=500, blank=True)
    # SET_NULL: the importing user is also in history; the value outlives the account link.
    # No database constraint: the importing user is also in history, and a constraint check on each of 100,000
    # rows is a third of the cost of saving them.
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cargado por"),
        db_index=False,
        db_constraint=False,
    )
    source_file = models.CharField(_("archivo de origen"), max_length=255, blank=True)
    # History is read per observation (by id) or per import (by date); the other copied indexes only slow imports.
    history = HistoricalRecords(no_db_index=["indicator", "territory", "loaded_by"], user_db_constraint=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        ordering = ["indicator", "territory", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "period", "breakdown"],
                name="observation_unique_indicator_territory_period_breakdown",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start"]),
            models.Index(fields=["territory", "indicator", "period_start"], name="observation_territory_series"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.territory} · {self.period}"

    @property
    def is_missing(self) -> bool:
        return self.value is None

    @property
    def is_preliminary(self) -> bool:
        return self.status == ObservationStatus.PRELIMINARY


class UpdateReminder(models.Model):
    """That the responsible person was reminded of an indicator's update due on ``due``: at most one reminder per
    indicator and due date, whatever the number of runs of the periodic command (bookkeeping, no history)."""

    # CASCADE: the bookkeeping of reminders means nothing without its indicator.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicador"), on_delete=models.CASCADE, related_name="update_reminders"
    )
    due = models.DateField(_("fecha esperada"))
    sent_at = models.DateTimeField(_("enviado el"), auto_now_add=True)

    class Meta:
        verbose_name = _("recordatorio de actualización")
        verbose_name_plural = _("recordatorios de actualización")
        constraints = [models.UniqueConstraint(fields=["indicator", "due"], name="update_reminder_once_per_due")]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.due}"


# --- Loading files in the background -------------------------------------------------------------------------


class ImportJobState(models.TextChoices):
    QUEUED = "en_cola", _("En cola")
    VALIDATING = "validando", _("Revisando el archivo")
    READY = "lista", _("Lista para confirmar")
    REFUSED = "rechazada", _("Rechazada")
    UNCHANGED = "sin_cambios", _("Sin cambios: nada que guardar")
    CONFIRMED = "confirmada", _("Confirmada, en cola para guardar")
    APPLYING = "guardando", _("Guardando")
    DONE = "aplicada", _("Aplicada")
    DISCARDED = "descartada", _("Descartada")
    FAILED = "fallida", _("Interrumpida")


class DecimalMark(models.TextChoices):
    """How a file writes its numbers; decided per file from its whole value column (``importing``)."""

    POINT = "punto", _("punto decimal (1,234.5)")
    COMMA = "coma", _("coma decimal (1.234,5)")


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def waiting(self) -> ImportJobQuerySet:
        """Jobs a worker should pick up: uploaded and not yet checked, or confirmed and not yet saved."""
        return self.filter(state__in=[ImportJobState.QUEUED, ImportJobState.CONFIRMED])

    def running(self) -> ImportJobQuerySet:
        return self.filter(state__in=[ImportJobState.VALIDATING, ImportJobState.APPLYING])

    def stalled(self, *, now: datetime.datetime) -> ImportJobQuerySet:
        """Running jobs whose runner has not signalled life for ImportJob.stalled_after(): it stopped."""
        cutoff = now - ImportJob.stalled_after()
        return self.running().filter(
            models.Q(heartbeat_at__lt=cutoff) | models.Q(heartbeat_at=None, updated_at__lt=cutoff)
        )


class ImportJob(models.Model):
    """One file loaded in the workspace: checked in the background, previewed, then confirmed and saved.

    The job row is the claim (a task takes its waiting step), the progress bar (``rows_done`` of ``rows_total``),
    the heartbeat and the record of who loaded which file. The file's bytes stay in the database so any app server
    or worker can read them (no shared disk needed) and the institute keeps what was loaded.
    """

    # PROTECT: the record of who loaded data must outlive nothing; deactivate accounts instead of deleting them.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cargado por"),
        on_delete=models.PROTECT,
        related_name="indicator_imports",
    )
    file_name = models.CharField(_("archivo"), max_length=255)
    content = models.BinaryField(_("contenido"), editable=False)
    size = models.PositiveIntegerField(_("tamaño en bytes"), default=0)
    state = models.CharField(_("estado"), max_length=12, choices=ImportJobState.choices, default=ImportJobState.QUEUED)
    rows_total = models.PositiveIntegerField(_("filas"), default=0)
    rows_done = models.PositiveIntegerField(_("filas procesadas"), default=0)
    counts = models.JSONField(
        _("resultado por fila"),
        default=dict,
        blank=True,
        help_text=_("Filas nuevas, con cambios, sin cambios y con error."),
    )
    message = limited_text(
        _("mensaje"), max_length=TEXT, blank=True, help_text=_("Por qué se rechazó o se interrumpió.")
    )
    error_summary = models.JSONField(
        _("resumen de errores"),
        default=list,
        blank=True,
        help_text=_("Por tipo de error: columna, filas, claves distintas y las primeras claves."),
    )
    has_note = models.BooleanField(_("trae notas"), default=False, help_text=_("El archivo trae la columna «nota»."))
    has_status = models.BooleanField(
        _("trae estatus"), default=False, help_text=_("El archivo trae la columna «estatus».")
    )
    decimal_mark = models.CharField(
        _("signo decimal"),
        max_length=5,
        choices=DecimalMark.choices,
        blank=True,
        help_text=_("Vacío cuando nada en el archivo lo decide."),
    )
    number_evidence = models.JSONField(
        _("qué decidió el signo decimal"),
        default=dict,
        blank=True,
        help_text=_(
            "El primer valor que solo se lee con cada signo (fila y texto), o el delimitador «;» de Excel en español."
        ),
    )
    attempt = models.PositiveIntegerField(
        _("intento"), default=0, help_text=_("Cuántas veces un proceso ha tomado la carga para revisarla o guardarla.")
    )
    heartbeat_at = models.DateTimeField(
        _("última señal del proceso"),
        null=True,
        blank=True,
        help_text=_("El proceso que atiende la carga la renueva mientras trabaja."),
    )
    interrupted_step = models.CharField(
        _("paso interrumpido"),
        max_length=12,
        choices=ImportJobState.choices,
        blank=True,
        help_text=_("Qué hacía la carga cuando se interrumpió."),
    )
    created_at = models.DateTimeField(_("cargado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("última actividad"), auto_now=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("carga de observaciones")
        verbose_name_plural = _("cargas de observaciones")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @staticmethod
    def heartbeat_every() -> datetime.timedelta:
        return datetime.timedelta(seconds=settings.INDICATOR_IMPORT_HEARTBEAT_SECONDS)

    @staticmethod
    def stalled_after() -> datetime.timedelta:
        """Four missed signals (a minute by default): the task signals between steps that each take seconds, and
        while it waits for another import's save, so silence this long means its worker is gone (killed, crashed,
        its machine restarted)."""
        return ImportJob.heartbeat_every() * 4

    def is_stalled(self, *, now: datetime.datetime) -> bool:
        last_sign = self.heartbeat_at or self.updated_at
        return (
            self.state in (ImportJobState.VALIDATING, ImportJobState.APPLYING)
            and last_sign < now - self.stalled_after()
        )

    @property
    def is_running(self) -> bool:
        return self.state in (
            ImportJobState.QUEUED,
            ImportJobState.VALIDATING,
            ImportJobState.CONFIRMED,
            ImportJobState.APPLYING,
        )

    @property
    def percent(self) -> int:
        if self.state in (ImportJobState.DONE, ImportJobState.READY, ImportJobState.UNCHANGED):
            return 100
        return min(100, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0


class RowOutcome(models.TextChoices):
    NEW = "nueva", _("Nueva")
    CHANGED = "cambia", _("Con cambios")
    UNCHANGED = "igual", _("Sin cambios")
    ERROR = "error", _("Con error")


class ImportRow(models.Model):
    """One row of a loaded file as the preview shows it; the rows of a confirmed file are saved from here.

    A staging table: rows live only while their job is previewed (and, for a refused file, until it is
    discarded). It is UNLOGGED on PostgreSQL (migration 0003): it is rewritten from the file if ever lost.
    """

    # CASCADE: staging rows are part of their job and mean nothing without it. No constraint in the database:
    # PostgreSQL would check it once per staged row at each commit (a fifth of the check of a big file), and
    # rows are only ever written by the job that holds the id, and dropped with it (``jobs.drop_rows``).
    job = models.ForeignKey(
        ImportJob,
        verbose_name=_("carga"),
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
        db_constraint=False,
    )
    line = models.PositiveIntegerField(_("fila"))
    outcome = models.CharField(_("resultado"), max_length=6, choices=RowOutcome.choices)
    # Plain ids without constraints: validation has just resolved them, and checking 100,000 foreign keys twice
    # (here and in the observations) would double the cost of a large file.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicador"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        db_index=False,
    )
    territory = models.ForeignKey(
        "implan.Territory",
        verbose_name=_("territorio"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        db_index=False,
    )
    period = models.CharField(_("periodo"), max_length=10, blank=True)
    period_start = models.DateField(_("inicio del periodo"), null=True)
    breakdown = models.CharField(_("desagregación"), max_length=200, blank=True)
    value = models.DecimalField(_("valor"), max_digits=20, decimal_places=6, null=True)
    missing_reason = models.CharField(_("motivo de la falta de dato"), max_length=200, blank=True)
    status = models.CharField(_("estatus"), max_length=12, blank=True)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    # What the file said, kept for rows with errors only (a valid row shows its resolved values).
    raw_indicator = models.CharField(_("indicador"), max_length=200, blank=True)
    raw_territory = models.CharField(_("territorio"), max_length=200, blank=True)
    raw_period = models.CharField(_("periodo"), max_length=200, blank=True)
    raw_value = models.CharField(_("valor"), max_length=200, blank=True)
    errors = models.JSONField(
        _("errores"),
        null=True,
        blank=True,
        help_text=_("Lista de errores: columna, tipo, texto de la celda y mensaje."),
    )

    class Meta:
        verbose_name = _("fila cargada")
        verbose_name_plural = _("filas cargadas")
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "line"], name="importrow_job_line")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line}"

    @property
    def error_list(self) -> list[tuple[str, str]]:
        return [(problem["column"], problem["message"]) for problem in self.errors or []]
