"""The instruments of the planning cycle: diagnosis, vision, vertientes, strategies, objectives, goals,
programmes, the three-year government plan, the annual budget, the annual report and the evaluation.

Approvable instruments inherit ``implan.models.Approvable`` (state + version). Planning never imports
``projects``: projects point at strategies, programmes and budget lines, and selectors in ``projects``
walk back.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords
from implan.limits import LONG_TEXT, TEXT, limited_text
from implan.models import Approvable, LifecycleState
from planning.models.conac import (  # noqa: F401  # the app's models, importable from planning.models
    LINE_LEVEL,
    QUARTERS,
    BudgetExecution,
    BudgetQuarter,
    ConacCatalogue,
    ConacEntry,
    ConacLevel,
)
from planning.models.mir import (  # noqa: F401
    MirDimension,
    MirIndicator,
    MirIndicatorVariable,
    MirLevel,
    MirRow,
    level_rank,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class StrategicPlan(Approvable):
    """The long-term strategic plan, e.g. "León hacia el Futuro, Visión 2025"."""

    title = models.CharField(_("título"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120)
    summary = limited_text(_("resumen"), max_length=TEXT, blank=True)
    horizon_year = models.PositiveSmallIntegerField(_("año horizonte"), validators=YEAR_VALIDATORS)
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan estratégico")
        verbose_name_plural = _("planes estratégicos")
        ordering = ["-horizon_year", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="strategic_plan_unique_version")]

    def __str__(self) -> str:
        return self.title


class Diagnosis(Approvable):
    """The diagnosis with development indicators that opens each cycle."""

    # PROTECT: a diagnosis is part of its plan's record.
    plan = models.ForeignKey(StrategicPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="diagnoses")
    title = models.CharField(_("título"), max_length=250)
    summary = limited_text(_("resumen"), max_length=TEXT, blank=True)
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("diagnóstico")
        verbose_name_plural = _("diagnósticos")

    def __str__(self) -> str:
        return self.title


class DiagnosisSection(models.Model):
    """A section of the diagnosis, citing the indicators it rests on."""

    # CASCADE: sections are parts of their diagnosis and mean nothing alone.
    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, related_name="sections", verbose_name=_("diagnóstico")
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("título"), max_length=250)
    body = limited_text(_("texto"), max_length=LONG_TEXT, blank=True, help_text=_("Texto con formato (Markdown)."))
    indicators = models.ManyToManyField(
        "indicators.Indicator", blank=True, related_name="diagnosis_sections", verbose_name=_("indicadores citados")
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        verbose_name = _("sección del diagnóstico")
        verbose_name_plural = _("secciones del diagnóstico")
        ordering = ["diagnosis", "order"]
        constraints = [models.UniqueConstraint(fields=["diagnosis", "order"], name="diagnosis_section_order")]

    def __str__(self) -> str:
        return self.title


class Vision(models.Model):
    """The strategic vision of a plan."""

    # CASCADE: the vision is part of its plan version.
    plan = models.OneToOneField(StrategicPlan, on_delete=models.CASCADE, related_name="vision", verbose_name=_("plan"))
    statement = limited_text(_("enunciado"), max_length=TEXT)
    horizon_year = models.PositiveSmallIntegerField(_("año horizonte"), validators=YEAR_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("visión")
        verbose_name_plural = _("visiones")

    def __str__(self) -> str:
        return f"{_('Visión')} {self.horizon_year}"


class Vertiente(models.Model):
    """One of the two lines of the strategic vocation (territory; social and economic development)."""

    # PROTECT: strategies hang from vertientes; the plan keeps them.
    plan = models.ForeignKey(StrategicPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="vertientes")
    order = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=200)
    description = limited_text(_("descripción"), max_length=TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vertiente")
        verbose_name_plural = _("vertientes")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="vertiente_unique_order")]

    def __str__(self) -> str:
        return self.name


class StrategyQuerySet(models.QuerySet["Strategy"]):
    def of_published_plans(self) -> StrategyQuerySet:
        return self.filter(plan__state=LifecycleState.PUBLISHED)


class Strategy(models.Model):
    """A strategy of the plan; each has its Comisión de Planeación Estratégica."""

    # PROTECT: a strategy belongs to its plan version.
    plan = models.ForeignKey(StrategicPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="strategies")
    # PROTECT: a strategy keeps its vertiente.
    vertiente = models.ForeignKey(
        Vertiente, verbose_name=_("vertiente"), on_delete=models.PROTECT, related_name="strategies"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120)
    description = limited_text(
        _("descripción"), max_length=LONG_TEXT, blank=True, help_text=_("Texto con formato (Markdown).")
    )
    # PROTECT: the commission that keeps a strategy current is part of its record.
    commission = models.ForeignKey(
        "councils.Body",
        verbose_name=_("comisión"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategies",
        help_text=_("Comisión de Planeación Estratégica responsable."),
    )
    history = HistoricalRecords()

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("estrategia")
        verbose_name_plural = _("estrategias")
        ordering = ["plan", "number"]
        permissions = [("edit_strategy_content", _("Puede editar objetivos y programas de la estrategia"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="strategy_unique_number"),
            models.UniqueConstraint(fields=["plan", "slug"], name="strategy_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A strategic objective of a strategy."""

    # PROTECT: goals and programmes hang from objectives.
    strategy = models.ForeignKey(
        Strategy, verbose_name=_("estrategia"), on_delete=models.PROTECT, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    title = models.CharField(_("objetivo"), max_length=300)
    description = limited_text(_("descripción"), max_length=TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objetivo")
        verbose_name_plural = _("objetivos")
        ordering = ["strategy", "number"]
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="objective_unique_number")]

    def __str__(self) -> str:
        return self.title


class Goal(models.Model):
    """A measurable goal (meta): an indicator, its baseline and the target value by a year."""

    # PROTECT: goals are evaluated years later; their objective stays.
    objective = models.ForeignKey(Objective, verbose_name=_("objetivo"), on_delete=models.PROTECT, related_name="goals")
    description = models.CharField(_("meta"), max_length=300)
    # PROTECT: a goal is judged by its indicator.
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicador"), on_delete=models.PROTECT, related_name="goals"
    )
    baseline_value = models.DecimalField(_("línea base"), max_digits=20, decimal_places=6)
    baseline_year = models.PositiveSmallIntegerField(_("año de la línea base"), validators=YEAR_VALIDATORS)
    target_value = models.DecimalField(_("valor meta"), max_digits=20, decimal_places=6)
    target_year = models.PositiveSmallIntegerField(_("año meta"), validators=YEAR_VALIDATORS)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        ordering = ["objective", "target_year"]
        constraints = [
            models.CheckConstraint(condition=Q(target_year__gte=F("baseline_year")), name="goal_target_after_baseline"),
        ]

    def __str__(self) -> str:
        return self.description


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def published(self) -> ProgrammeQuerySet:
        return self.filter(state=LifecycleState.PUBLISHED)

    def orphans(self) -> ProgrammeQuerySet:
        return self.filter(strategy__isnull=True)


class Programme(Approvable):
    """A programme (programa) that carries out a strategy, run by an agency."""

    code = models.CharField(_("clave"), max_length=30)
    name = models.CharField(_("nombre"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120)
    description = limited_text(
        _("descripción"), max_length=LONG_TEXT, blank=True, help_text=_("Texto con formato (Markdown).")
    )
    # PROTECT: a programme's alignment is part of the plan's record; a programme may be an orphan (null).
    strategy = models.ForeignKey(
        Strategy,
        verbose_name=_("estrategia"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    # PROTECT: same for the objective it serves.
    objective = models.ForeignKey(
        Objective,
        verbose_name=_("objetivo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    # PROTECT: the agency that runs a programme stays named.
    agency = models.ForeignKey(
        "implan.Agency",
        verbose_name=_("dependencia responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programa")
        verbose_name_plural = _("programas")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="programme_unique_version")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class GovernmentPlan(Approvable):
    """The three-year municipal government plan (programa de gobierno) of an administration term."""

    # PROTECT: a government plan belongs to its administration.
    administration_term = models.ForeignKey(
        "implan.AdministrationTerm",
        verbose_name=_("administración"),
        on_delete=models.PROTECT,
        related_name="government_plans",
    )
    title = models.CharField(_("título"), max_length=250)
    summary = limited_text(_("resumen"), max_length=TEXT, blank=True)
    programmes = models.ManyToManyField(
        Programme, blank=True, related_name="government_plans", verbose_name=_("programas comprometidos")
    )
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords(m2m_fields=[programmes])

    class Meta:
        verbose_name = _("programa de gobierno")
        verbose_name_plural = _("programas de gobierno")
        ordering = ["-administration_term__start_date", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["administration_term", "version"], name="government_plan_unique_version")
        ]

    def __str__(self) -> str:
        return self.title


class Budget(Approvable):
    """The annual budget (presupuesto) of a fiscal year, with an approved ceiling (techo)."""

    # PROTECT: a budget belongs to its fiscal year.
    fiscal_year = models.ForeignKey(
        "implan.FiscalYear", verbose_name=_("ejercicio fiscal"), on_delete=models.PROTECT, related_name="budgets"
    )
    title = models.CharField(_("título"), max_length=250)
    ceiling = models.DecimalField(
        _("techo presupuestal (MXN)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Monto total autorizado; la suma de las líneas no puede rebasarlo."),
    )
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presupuesto anual")
        verbose_name_plural = _("presupuestos anuales")
        ordering = ["-fiscal_year__year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "version"], name="budget_unique_version"),
            models.CheckConstraint(condition=Q(ceiling__gte=0), name="budget_ceiling_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeCeiling(models.Model):
    """How much of a budget a programme may receive: its lines together cannot exceed this amount."""

    # CASCADE: a ceiling is part of its budget.
    budget = models.ForeignKey(
        Budget, verbose_name=_("presupuesto"), on_delete=models.CASCADE, related_name="programme_ceilings"
    )
    # PROTECT: the programme named by a ceiling stays.
    programme = models.ForeignKey(
        "Programme", verbose_name=_("programa"), on_delete=models.PROTECT, related_name="ceilings"
    )
    amount = models.DecimalField(
        _("asignación del programa (MXN)"), **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asignación por programa")
        verbose_name_plural = _("asignaciones por programa")
        constraints = [
            models.UniqueConstraint(fields=["budget", "programme"], name="programme_ceiling_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programme_ceiling_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.amount}"


class SpendingChapter(models.TextChoices):
    """Chapters of CONAC's Clasificador por Objeto del Gasto."""

    PERSONAL = "1000", _("1000 Servicios personales")
    MATERIALS = "2000", _("2000 Materiales y suministros")
    SERVICES = "3000", _("3000 Servicios generales")
    TRANSFERS = "4000", _("4000 Transferencias, asignaciones, subsidios y otras ayudas")
    ASSETS = "5000", _("5000 Bienes muebles, inmuebles e intangibles")
    PUBLIC_WORKS = "6000", _("6000 Inversión pública")
    FINANCIAL = "7000", _("7000 Inversiones financieras y otras provisiones")
    SHARES = "8000", _("8000 Participaciones y aportaciones")
    DEBT = "9000", _("9000 Deuda pública")


class FundingSource(models.TextChoices):
    OWN = "recursos_propios", _("Recursos propios (ingresos municipales)")
    FEDERAL_PARTICIPATIONS = "participaciones", _("Participaciones federales (Ramo 28)")
    FAISM = "faism", _("Aportaciones federales: FAISM (Ramo 33)")
    FORTAMUN = "fortamun", _("Aportaciones federales: FORTAMUN (Ramo 33)")
    STATE = "estatal", _("Recursos estatales")
    FEDERAL_AGREEMENTS = "convenios_federales", _("Convenios federales")
    DEBT = "financiamiento", _("Financiamiento")


class BudgetLine(models.Model):
    """A line of the annual budget: programme, agency, spending chapter, funding source and amounts."""

    # CASCADE: lines are parts of their budget; a frozen budget cannot be deleted by the services.
    budget = models.ForeignKey(Budget, verbose_name=_("presupuesto"), on_delete=models.CASCADE, related_name="lines")
    # PROTECT: money assigned to a programme keeps naming it.
    programme = models.ForeignKey(
        Programme, verbose_name=_("programa"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    # PROTECT: the spending agency stays named.
    agency = models.ForeignKey(
        "implan.Agency", verbose_name=_("dependencia"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    chapter = models.CharField(_("capítulo del gasto"), max_length=4, choices=SpendingChapter.choices)
    funding_source = models.CharField(_("fuente de financiamiento"), max_length=30, choices=FundingSource.choices)
    description = models.CharField(_("concepto"), max_length=300, blank=True)
    # CONAC's classifications (planning.conac). Null only on lines recorded before they existed: their capítulo is
    # ``chapter``; a line saved through the services names its partida, and the capítulo is derived from it.
    # PROTECT (all four): a catalogue code stays while a line names it.
    partida = models.ForeignKey(
        ConacEntry,
        verbose_name=_("partida genérica"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Clasificador por Objeto del Gasto: capítulo y concepto se deducen de la partida."),
    )
    specific_partida = models.CharField(
        _("partida específica"),
        max_length=5,
        blank=True,
        help_text=_("Opcional: cinco dígitos que empiezan con los de la partida genérica (p. ej. 21101)."),
    )
    subfunction = models.ForeignKey(
        ConacEntry,
        verbose_name=_("subfunción"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Clasificación Funcional del Gasto: finalidad y función se deducen de la subfunción."),
    )
    modality = models.ForeignKey(
        ConacEntry,
        verbose_name=_("modalidad del programa presupuestario"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.ForeignKey(
        ConacEntry,
        verbose_name=_("fuente de financiamiento (CONAC)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_amount = models.DecimalField(_("aprobado (MXN)"), **MONEY, default=Decimal("0"))
    modified_amount = models.DecimalField(_("modificado (MXN)"), **MONEY, default=Decimal("0"))
    executed_amount = models.DecimalField(_("ejercido (MXN)"), **MONEY, default=Decimal("0"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("línea presupuestal")
        verbose_name_plural = _("líneas presupuestales")
        ordering = ["budget", "programme__code", "chapter"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__gte=0, modified_amount__gte=0, executed_amount__gte=0),
                name="budget_line_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.get_chapter_display()}"

    # Django's own get_FOO_display builds a dict of every label of the field on each call, hashing (so translating)
    # each of them: about 70 µs, and a budget's workspace page calls these three times a line. The enum's own
    # map gives the same label; Django keeps these methods when a model defines them.
    def get_chapter_display(self) -> str:
        return _choice_label(SpendingChapter, self.chapter)

    def get_funding_source_display(self) -> str:
        return _choice_label(FundingSource, self.funding_source)


def _choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` as Django's ``get_FOO_display`` gives it: the value itself when it is no choice."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class AnnualReport(Approvable):
    """The annual report (informe anual) of a fiscal year, generated from live data plus narrative."""

    # PROTECT: a report belongs to its fiscal year.
    fiscal_year = models.ForeignKey(
        "implan.FiscalYear", verbose_name=_("ejercicio fiscal"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("título"), max_length=250)
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informe anual")
        verbose_name_plural = _("informes anuales")
        ordering = ["-fiscal_year__year", "-version"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "version"], name="report_unique_version")]

    def __str__(self) -> str:
        return self.title


class ReportDocument(models.Model):
    """The PDF of one published version of the annual report, laid out once and kept in storage
    (``planning.report_files``): the public link serves this file instead of laying the report out again."""

    # CASCADE: the file is derived from its report version and means nothing without it.
    report = models.OneToOneField(
        AnnualReport, on_delete=models.CASCADE, related_name="document", verbose_name=_("informe")
    )
    file = models.FileField(_("archivo"), max_length=255)
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("tamaño en bytes"))
    generated_at = models.DateTimeField(_("generado el"))

    class Meta:
        verbose_name = _("PDF del informe anual")
        verbose_name_plural = _("PDF de los informes anuales")

    def __str__(self) -> str:
        return self.file.name


class ReportSection(models.Model):
    """A narrative section a planner adds to the annual report."""

    # CASCADE: sections are parts of their report.
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("informe")
    )
    # PROTECT: a section about a strategy keeps naming it.
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("estrategia")
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("título"), max_length=250)
    body = limited_text(_("texto"), max_length=LONG_TEXT, blank=True, help_text=_("Texto con formato (Markdown)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sección del informe")
        verbose_name_plural = _("secciones del informe")
        ordering = ["report", "order"]
        constraints = [models.UniqueConstraint(fields=["report", "order"], name="report_section_order")]

    def __str__(self) -> str:
        return self.title


class Evaluation(Approvable):
    """The evaluation of the plan with the development indicators, closing the cycle."""

    # PROTECT: an evaluation judges one plan version.
    plan = models.ForeignKey(
        StrategicPlan, verbose_name=_("plan evaluado"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # PROTECT: the evaluation is dated by its fiscal year.
    fiscal_year = models.ForeignKey(
        "implan.FiscalYear", verbose_name=_("ejercicio fiscal"), on_delete=models.PROTECT, related_name="evaluations"
    )
    title = models.CharField(_("título"), max_length=250)
    # PROTECT: a new version keeps the link to the version it replaces.
    previous_version = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("versión anterior"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        ordering = ["-fiscal_year__year", "-version"]

    def __str__(self) -> str:
        return self.title


class FindingKind(models.TextChoices):
    FINDING = "hallazgo", _("Hallazgo")
    RECOMMENDATION = "recomendacion", _("Recomendación")


class EvaluationFinding(models.Model):
    """A finding or recommendation of the evaluation; both feed the next diagnosis."""

    # CASCADE: findings are parts of their evaluation.
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="findings", verbose_name=_("evaluación")
    )
    # PROTECT: a finding about a goal keeps naming it.
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="findings", verbose_name=_("meta")
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=FindingKind.choices)
    text = limited_text(_("texto"), max_length=TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hallazgo o recomendación")
        verbose_name_plural = _("hallazgos y recomendaciones")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
