"""The portfolio of strategic projects: where each came from, what it serves, where it is, how far along."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from councils.models import BodyKind
from implan.historical import HistoricalRecords
from implan.limits import SHORT_TEXT, TEXT, limited_text

MONEY = {"max_digits": 16, "decimal_places": 2}


class ProjectSector(models.TextChoices):
    """The sectors of OC4IDS's projectSector codelist that a municipal portfolio uses (codes as in the codelist)."""

    EDUCATION = "education", _("Educación")
    HEALTH = "health", _("Salud")
    ENERGY = "energy", _("Energía")
    COMMUNICATIONS = "communications", _("Comunicaciones y tecnologías de la información")
    WATER_AND_WASTE = "waterAndWaste", _("Agua, saneamiento y residuos")
    GOVERNANCE = "governance", _("Gobierno y seguridad")
    ECONOMY = "economy", _("Economía")
    CULTURE_SPORTS = "cultureSportsAndRecreation", _("Cultura, deporte, recreación y áreas verdes")
    TRANSPORT_ROAD = "transport.road", _("Vialidades y caminos")
    TRANSPORT_URBAN = "transport.urban", _("Movilidad urbana (transporte público, ciclovías, peatones)")
    SOCIAL_HOUSING = "socialHousing", _("Vivienda social")
    NATURAL_RESOURCES = "naturalResources", _("Recursos naturales")


class ProjectStatus(models.TextChoices):
    PROPOSED = "propuesto", _("Propuesto")
    UNDER_ASSESSMENT = "en_evaluacion", _("En evaluación")
    IN_PORTFOLIO = "en_cartera", _("En cartera")
    IN_EXECUTION = "en_ejecucion", _("En ejecución")
    COMPLETED = "concluido", _("Concluido")
    SUSPENDED = "suspendido", _("Suspendido")
    CANCELLED = "cancelado", _("Cancelado")


# What the public sees: a project once it has entered the portfolio.
PUBLIC_STATUSES = frozenset(
    {ProjectStatus.IN_PORTFOLIO, ProjectStatus.IN_EXECUTION, ProjectStatus.COMPLETED, ProjectStatus.SUSPENDED}
)


# Where a proposal may come from: the councils that represent a sector, a territory or a strategy.
PROPOSING_BODY_KINDS = (
    BodyKind.SECTORAL_COUNCIL,
    BodyKind.URBAN_COMMUNITY_COUNCIL,
    BodyKind.RURAL_COMMUNITY_COUNCIL,
    BodyKind.STRATEGY_COMMISSION,
)


def validate_sdg_goals(value: object) -> None:
    """A list of distinct Sustainable Development Goal numbers, 1 to 17."""
    if (
        not isinstance(value, list)
        or any(not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 17 for n in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(_("Los ODS se indican como números distintos del 1 al 17."))


class ProjectQuerySet(models.QuerySet["Project"]):
    def public(self) -> ProjectQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)

    def of_agency(self, agency: object) -> ProjectQuerySet:
        return self.filter(agency=agency)


class Project(models.Model):
    """A strategic project of the portfolio (cartera de proyectos estratégicos)."""

    code = models.CharField(_("clave"), max_length=30, unique=True)
    title = models.CharField(_("título"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    problem = limited_text(_("problema que atiende"), max_length=TEXT)
    description = limited_text(_("descripción"), max_length=TEXT, blank=True)
    # PROTECT: a project's alignment to the plan is part of its record.
    strategy = models.ForeignKey(
        "planning.Strategy", verbose_name=_("estrategia"), on_delete=models.PROTECT, related_name="projects"
    )
    # PROTECT: same for its programme.
    programme = models.ForeignKey(
        "planning.Programme",
        verbose_name=_("programa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    # PROTECT: the responsible agency stays named.
    agency = models.ForeignKey(
        "implan.Agency",
        verbose_name=_("dependencia responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    # PROTECT: the territory a project serves stays named.
    territory = models.ForeignKey(
        "implan.Territory", verbose_name=_("territorio"), on_delete=models.PROTECT, related_name="projects"
    )
    latitude = models.DecimalField(
        _("latitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    beneficiaries = models.PositiveIntegerField(_("personas beneficiarias"), null=True, blank=True)
    estimated_cost = models.DecimalField(
        _("costo estimado (MXN)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))]
    )
    # PROTECT: the council a project came from is part of its origin record.
    origin_body = models.ForeignKey(
        "councils.Body",
        verbose_name=_("órgano que lo propuso"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_projects",
    )
    # PROTECT: the proposing person stays named.
    proposed_by = models.ForeignKey(
        "councils.Person",
        verbose_name=_("propuesto por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_projects",
    )
    priority_score = models.DecimalField(
        _("puntaje de prioridad"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("De 0 a 100, según los criterios ponderados de evaluación."),
    )
    status = models.CharField(
        _("estado"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED, db_index=True
    )
    status_reason = limited_text(
        _("motivo del estado"), max_length=SHORT_TEXT, blank=True, help_text=_("Obligatorio al suspender o cancelar.")
    )
    physical_progress = models.DecimalField(
        _("avance físico (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    sector = models.CharField(
        _("sector"),
        max_length=40,
        choices=ProjectSector.choices,
        blank=True,
        help_text=_("Sector de la obra o servicio (catálogo OC4IDS)."),
    )
    sdg_goals = models.JSONField(
        _("Objetivos de Desarrollo Sostenible"),
        default=list,
        blank=True,
        validators=[validate_sdg_goals],
        help_text=_("Números de los ODS a los que contribuye, del 1 al 17."),
    )
    government_plans = models.ManyToManyField(
        "planning.GovernmentPlan",
        blank=True,
        related_name="projects",
        verbose_name=_("programas de gobierno que lo comprometen"),
    )
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[government_plans])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("proyecto estratégico")
        verbose_name_plural = _("proyectos estratégicos")
        ordering = ["-priority_score", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="project_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100), name="project_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(priority_score__isnull=True) | Q(priority_score__gte=0, priority_score__lte=100),
                name="project_priority_0_100",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="project_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class Milestone(models.Model):
    """A milestone of a project with its planned and actual dates."""

    # CASCADE: milestones are parts of their project.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("proyecto")
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("hito"), max_length=250)
    planned_date = models.DateField(_("fecha programada"))
    actual_date = models.DateField(_("fecha real"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_unique_order")]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A progress report by the agency's liaison: physical %, money spent, narrative."""

    # PROTECT: progress reports are evidence of execution.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="progress_updates", verbose_name=_("proyecto")
    )
    reported_on = models.DateField(_("fecha del reporte"))
    physical_progress = models.DecimalField(_("avance físico (%)"), max_digits=5, decimal_places=2)
    amount_spent = models.DecimalField(_("monto ejercido acumulado (MXN)"), **MONEY, default=Decimal("0"))
    narrative = limited_text(_("descripción del avance"), max_length=TEXT)
    decrease_reason = limited_text(
        _("motivo del retroceso"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Obligatorio si el avance es menor que el reporte anterior."),
    )
    # PROTECT: the reporting user stays in the record; users are deactivated, not deleted.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reportado por"),
    )
    over_allocation = models.BooleanField(
        _("gasto por encima de lo asignado"),
        default=False,
        help_text=_("Se marca cuando lo ejercido supera la suma de las asignaciones anuales del proyecto."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        ordering = ["project", "-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100), name="progress_update_0_100"
            ),
            models.CheckConstraint(condition=Q(amount_spent__gte=0), name="progress_update_spent_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.reported_on}: {self.physical_progress}%"


class Allocation(models.Model):
    """Money assigned to a project in a fiscal year, tied to a line of that year's budget."""

    # PROTECT: allocations are part of the money trail.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("proyecto")
    )
    # PROTECT: same, from the year's side.
    fiscal_year = models.ForeignKey(
        "implan.FiscalYear", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("ejercicio fiscal")
    )
    # PROTECT: same, from the budget line's side.
    budget_line = models.ForeignKey(
        "planning.BudgetLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        verbose_name=_("línea presupuestal"),
    )
    amount = models.DecimalField(_("monto asignado (MXN)"), **MONEY)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asignación anual")
        verbose_name_plural = _("asignaciones anuales")
        ordering = ["project", "fiscal_year"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
            models.UniqueConstraint(
                fields=["project", "fiscal_year", "budget_line"], name="allocation_unique_per_line"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.fiscal_year}"


class ScoringCriterion(models.Model):
    """A criterion planners score proposals against; its weight is set by the administrators."""

    code = models.SlugField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("criterio"), max_length=120)
    description = limited_text(
        _("qué se valora"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Guía para calificar de 0 (nada) a 100 (máximo)."),
    )
    weight = models.DecimalField(
        _("peso"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Importancia relativa: el puntaje es el promedio ponderado por estos "
            "pesos. Los cambios valen para las evaluaciones siguientes."
        ),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("vigente"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterio de evaluación")
        verbose_name_plural = _("criterios de evaluación")
        ordering = ["order", "name"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_not_negative")]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """One scoring of a project by a planner: a rating per criterion and the weighted total (0–100).

    The weights in force are copied into each score, so an assessment keeps meaning what it meant when made.
    """

    # PROTECT: assessments are part of the project's record.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("proyecto")
    )
    # PROTECT: the assessing planner stays named; users are deactivated, not deleted.
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluado por")
    )
    assessed_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    score = models.DecimalField(
        _("puntaje"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    notes = limited_text(_("observaciones"), max_length=TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluación del proyecto")
        verbose_name_plural = _("evaluaciones de proyectos")
        ordering = ["project", "-assessed_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="assessment_score_0_100")]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.score}"


class CriterionScore(models.Model):
    """The rating (0–100) a project got on one criterion in one assessment, with the weight then in force."""

    # CASCADE: the ratings are parts of their assessment.
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("evaluación")
    )
    # PROTECT: a rating keeps naming its criterion.
    criterion = models.ForeignKey(
        ScoringCriterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("criterio")
    )
    value = models.PositiveSmallIntegerField(_("calificación"), validators=[MaxValueValidator(100)])
    weight = models.DecimalField(_("peso aplicado"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calificación por criterio")
        verbose_name_plural = _("calificaciones por criterio")
        ordering = ["assessment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="criterion_score_once"),
            models.CheckConstraint(condition=Q(value__lte=100), name="criterion_score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class AgencyLiaison(models.Model):
    """Grants a user, as liaison (enlace), the reporting of every project of one agency, present and future.

    An agency-level grant rather than a permission per project: a project created or reassigned later is covered
    at once, and the administration sees in one list who reports for each agency.
    """

    # PROTECT: who reported for an agency stays in the record; users are deactivated, not deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="liaison_grants", verbose_name=_("usuario")
    )
    # PROTECT: an agency with liaisons cannot vanish under them.
    agency = models.ForeignKey(
        "implan.Agency", on_delete=models.PROTECT, related_name="liaisons", verbose_name=_("dependencia")
    )
    granted_at = models.DateTimeField(_("otorgado el"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enlace de dependencia")
        verbose_name_plural = _("enlaces de dependencia")
        ordering = ["agency", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="agency_liaison_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency}"


class EvidenceKind(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    WEBP = "image/webp", "WebP"
    GIF = "image/gif", "GIF"


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name under the project's folder: nothing guessable, nothing taken from the uploader's name."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidencias/{instance.progress_update.project_id}/{secrets.token_urlsafe(16)}.{extension}"


class Evidence(models.Model):
    """A photo or PDF attached to a progress update, its type checked by its content on upload."""

    # PROTECT: evidence belongs to the progress report it supports.
    progress_update = models.ForeignKey(
        ProgressUpdate, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("reporte de avance")
    )
    file = models.FileField(_("archivo"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("nombre original"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=40, choices=EvidenceKind.choices)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        ordering = ["progress_update", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
