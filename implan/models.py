"""Shared catalogues every app points at: territories, agencies, administration terms and fiscal years.

Also the two mechanisms every app shares: the approval lifecycle (an abstract model) and the event row
written by each state change (``Event``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords
from implan.limits import LONG_TEXT, SHORT_TEXT, limited_text


class TerritoryKind(models.TextChoices):
    """The levels of territory, from the country down; each level hangs from the ones in ``PARENT_KINDS``."""

    PAIS = "pais", _("País")
    ENTIDAD = "entidad", _("Entidad federativa")
    MUNICIPIO = "municipio", _("Municipio")
    DELEGACION = "delegacion", _("Delegación o zona")
    COLONIA = "colonia", _("Colonia o AGEB")
    LOCALIDAD = "localidad", _("Localidad")


# What each level may hang from. A level without a parent is allowed (a catalogue may start at any level: a portal
# that loads only León's colonias need not load Mexico), but a parent, when there is one, must be of these kinds.
PARENT_KINDS: dict[str, tuple[str, ...]] = {
    TerritoryKind.PAIS: (),
    TerritoryKind.ENTIDAD: (TerritoryKind.PAIS,),
    TerritoryKind.MUNICIPIO: (TerritoryKind.ENTIDAD,),
    TerritoryKind.DELEGACION: (TerritoryKind.MUNICIPIO,),
    TerritoryKind.COLONIA: (TerritoryKind.DELEGACION, TerritoryKind.MUNICIPIO),
    TerritoryKind.LOCALIDAD: (TerritoryKind.MUNICIPIO,),
}
# INEGI's keys, by width: entidad 2 digits, municipio 3, localidad 4 (with leading zeros).
INEGI_KEY_WIDTHS = {"cve_ent": 2, "cve_mun": 3, "cve_loc": 4}
# The portal's code of the country: INEGI writes «00» for the Estados Unidos Mexicanos in its national tables.
COUNTRY_CODE = "00"


def parent_kind_error(kind: str, parent_kind: str | None) -> str:
    """The Spanish reason why a territory of ``kind`` cannot hang from one of ``parent_kind``; "" when it can."""
    if parent_kind is None or kind not in PARENT_KINDS or parent_kind in PARENT_KINDS[kind]:
        return ""  # an unknown kind is the kind field's own error
    allowed = PARENT_KINDS.get(kind, ())
    labels = dict(TerritoryKind.choices)
    if not allowed:
        return str(_("Un territorio de tipo «%(kind)s» no pertenece a otro.") % {"kind": labels[kind]})
    return str(
        _("Un territorio de tipo «%(kind)s» pertenece a: %(allowed)s; no a uno de tipo «%(parent)s».")
        % {
            "kind": labels[kind],
            "allowed": ", ".join(f"«{labels[k]}»" for k in allowed),
            "parent": labels.get(parent_kind, parent_kind),
        }
    )


def inegi_key(raw: str, field: str) -> str:
    """INEGI's key as stored: digits only, padded with the leading zeros a spreadsheet drops («1» → «01»).

    Raises ValueError (with a Spanish message) when it is not a number or is too long for its level.
    """
    text = str(raw).strip()
    if text.endswith(".0"):  # a spreadsheet that read the key as a number
        text = text[:-2]
    width = INEGI_KEY_WIDTHS[field]
    if not text.isdigit() or not text.isascii() or len(text) > width or int(text) == 0:
        raise ValueError(
            _("«%(value)s» no es una clave válida: %(field)s lleva de 1 a %(width)s dígitos (no todos cero).")
            % {"value": raw, "field": field.upper(), "width": width}
        )
    return text.zfill(width)


class AreaType(models.TextChoices):
    URBAN = "urbana", _("Urbana")
    RURAL = "rural", _("Rural")
    MIXED = "mixta", _("Mixta")


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def of_kind(self, kind: str) -> TerritoryQuerySet:
        return self.filter(kind=kind)

    def home_municipality(self) -> TerritoryQuerySet:
        """The municipality the portal serves and its plan's goals are set for, as a one-row queryset: the one whose
        key is ``HOME_TERRITORY_CODE`` if recorded, else the first recorded (other municipalities, if loaded, are
        there for comparison). Usable in a subquery."""
        municipalities = self.filter(kind=TerritoryKind.MUNICIPIO)
        code = settings.HOME_TERRITORY_CODE
        if not code:
            return municipalities.order_by("pk")[:1]
        # The configured one when it is recorded: a planner may load a whole state's municipalities, its own not first.
        chosen = models.Case(models.When(Q(code=code) | Q(inegi_code=code), then=0), default=1)
        return municipalities.order_by(chosen, "pk")[:1]

    def places_of_home(self) -> TerritoryQuerySet:
        """The places a project of the portal's municipality can be in: the municipality and what lies in it, plus
        delegaciones and colonias (the portal's own subdivisions) and localities recorded without a municipality.

        A national catalogue of 300,000 localities may be loaded for comparisons: lists of places to choose from
        must not offer them all.
        """
        home = self.model.objects.home_municipality().values("pk")
        return self.filter(
            Q(kind__in=[TerritoryKind.DELEGACION, TerritoryKind.COLONIA])
            | Q(pk__in=home)
            | Q(parent__in=home)
            | Q(parent__parent__in=home)
            | Q(kind=TerritoryKind.LOCALIDAD, parent__isnull=True)
        )


class Territory(models.Model):
    """A place the plan speaks about: the municipality, its delegaciones, polígonos, colonias, localities."""

    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=TerritoryKind.choices)
    code = models.SlugField(
        _("clave"),
        max_length=40,
        unique=True,
        help_text=_("Clave única en el portal; para unidades del INEGI, la misma clave geoestadística."),
    )
    inegi_code = models.CharField(
        _("clave INEGI"),
        max_length=20,
        blank=True,
        help_text=_("Clave geoestadística del INEGI (municipio: 5 dígitos; localidad: 9 dígitos)."),
    )
    # PROTECT: removing a delegación must not silently remove the colonias and data that hang from it.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("pertenece a"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    area_type = models.CharField(_("ámbito"), max_length=10, choices=AreaType.choices, default=AreaType.URBAN)
    latitude = models.DecimalField(
        _("latitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Punto representativo, en grados decimales (WGS84)."),
    )
    longitude = models.DecimalField(
        _("longitud"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    population = models.PositiveIntegerField(
        _("población"), null=True, blank=True, help_text=_("Población según el último censo.")
    )
    population_year = models.PositiveSmallIntegerField(_("año del dato de población"), null=True, blank=True)
    population_source = models.CharField(
        _("fuente del dato de población"),
        max_length=200,
        blank=True,
        help_text=_("Institución y producto, p. ej. «INEGI, Censo de Población y Vivienda 2020»."),
    )
    cve_ent = models.CharField(
        _("clave de entidad (CVE_ENT)"), max_length=2, blank=True, help_text=_("Dos dígitos, p. ej. 11.")
    )
    cve_mun = models.CharField(
        _("clave de municipio (CVE_MUN)"), max_length=3, blank=True, help_text=_("Tres dígitos, p. ej. 020.")
    )
    cve_loc = models.CharField(
        _("clave de localidad (CVE_LOC)"), max_length=4, blank=True, help_text=_("Cuatro dígitos, p. ej. 0001.")
    )
    # A GeoJSON geometry (Polygon or MultiPolygon, WGS84) with its bounding box, for maps; only from a cited source.
    boundary = models.JSONField(_("límite"), null=True, blank=True, editable=False)
    boundary_source = models.CharField(_("fuente del límite"), max_length=300, blank=True, editable=False)
    bbox = models.JSONField(
        _("caja del límite"), null=True, blank=True, editable=False, help_text=_("[oeste, sur, este, norte].")
    )
    # As the observations' history: no foreign-key constraint from each history row to its user, which PostgreSQL
    # checked once per row at commit — 300,000 times for INEGI's locality catalogue. Accounts are never deleted.
    history = HistoricalRecords(excluded_fields=["boundary"], user_db_constraint=False)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territorio")
        verbose_name_plural = _("territorios")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inegi_code"],
                condition=~Q(inegi_code=""),
                name="territory_inegi_code_unique",
                violation_error_message=_("Otro territorio ya tiene esta clave INEGI."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="territory_point_complete",
                violation_error_message=_("Indique latitud y longitud juntas, o ninguna."),
            ),
            models.CheckConstraint(
                condition=Q(cve_ent="") | Q(cve_ent__regex=r"^[0-9]{2}$"),
                name="territory_cve_ent_two_digits",
                violation_error_message=_("La clave de entidad lleva dos dígitos."),
            ),
            models.CheckConstraint(
                condition=Q(cve_mun="") | Q(cve_mun__regex=r"^[0-9]{3}$"),
                name="territory_cve_mun_three_digits",
                violation_error_message=_("La clave de municipio lleva tres dígitos."),
            ),
            models.CheckConstraint(
                condition=Q(cve_loc="") | Q(cve_loc__regex=r"^[0-9]{4}$"),
                name="territory_cve_loc_four_digits",
                violation_error_message=_("La clave de localidad lleva cuatro dígitos."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        parent_kind = self.parent.kind if self.parent_id and self.parent else None
        if message := parent_kind_error(self.kind, parent_kind):
            raise ValidationError({"parent": message})

    @property
    def has_boundary(self) -> bool:
        return self.boundary is not None


class Agency(models.Model):
    """A municipal agency (dependencia o entidad) that runs programmes and projects."""

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("siglas"), max_length=30, blank=True)
    slug = models.SlugField(_("identificador"), max_length=80, unique=True)
    is_active = models.BooleanField(_("vigente"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AdministrationTerm(models.Model):
    """A three-year municipal administration (trienio), e.g. 2024–2027."""

    name = models.CharField(_("nombre"), max_length=60, unique=True, help_text=_("Por ejemplo: 2024–2027."))
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administración municipal")
        verbose_name_plural = _("administraciones municipales")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="administration_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class FiscalYear(models.Model):
    """A fiscal year (ejercicio fiscal); budgets, reports and allocations hang from it."""

    year = models.PositiveSmallIntegerField(
        _("año"), unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    # PROTECT: a fiscal year's budget and report belong to the administration that ran it.
    administration_term = models.ForeignKey(
        AdministrationTerm,
        verbose_name=_("administración"),
        on_delete=models.PROTECT,
        related_name="fiscal_years",
    )
    is_closed = models.BooleanField(
        _("cerrado"), default=False, help_text=_("Un ejercicio cerrado ya no admite cambios en su ejecución.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ejercicio fiscal")
        verbose_name_plural = _("ejercicios fiscales")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


# --- The approval lifecycle shared by plans, programmes, budgets, reports and evaluations -------------------


class LifecycleState(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    IN_REVIEW = "en_revision", _("En revisión")
    APPROVED = "aprobado", _("Aprobado")
    PUBLISHED = "publicado", _("Publicado")
    SUPERSEDED = "sustituido", _("Sustituido")
    ARCHIVED = "archivado", _("Archivado")


FROZEN_STATES = frozenset(
    {LifecycleState.APPROVED, LifecycleState.PUBLISHED, LifecycleState.SUPERSEDED, LifecycleState.ARCHIVED}
)
PUBLIC_STATES = frozenset({LifecycleState.PUBLISHED})
# Versions no longer in force: replaced by a newer one, or archived. Nothing new is attached to them.
RETIRED_STATES = frozenset({LifecycleState.SUPERSEDED, LifecycleState.ARCHIVED})
# Versions that are a public record: approved by a council's vote (in a public resolution), published, or replaced
# after publication. Public pages may name them (a project's programme, the budget that funds it); a draft or a
# version under review they never name.
PUBLIC_RECORD_STATES = frozenset({LifecycleState.APPROVED, LifecycleState.PUBLISHED, LifecycleState.SUPERSEDED})


# Lifecycle bookkeeping, left out of the content hash.
LIFECYCLE_FIELDS = frozenset({"id", "state", "approved_at", "published_at", "content_hash"})


class ApprovableQuerySet(models.QuerySet):
    def published(self) -> ApprovableQuerySet:
        return self.filter(state=LifecycleState.PUBLISHED)

    def drafts(self) -> ApprovableQuerySet:
        return self.filter(state=LifecycleState.DRAFT)


class Approvable(models.Model):
    """Something a body must approve: it carries a lifecycle state and a version number.

    The state moves only through the owning app's services; an approved version is frozen and
    editing it starts a new draft version (``previous_version`` points back).
    """

    state = models.CharField(
        _("estado"), max_length=20, choices=LifecycleState.choices, default=LifecycleState.DRAFT, db_index=True
    )
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    approved_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    content_hash = models.CharField(
        _("huella del contenido"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 del contenido al aprobarse; permite detectar alteraciones posteriores."),
    )

    objects = ApprovableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    def hashed_content(self) -> dict[str, object]:
        """What the tamper-evidence hash covers: the instrument's own fields, not its lifecycle bookkeeping."""
        return {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.attname not in LIFECYCLE_FIELDS
        }


# --- Event rows -----------------------------------------------------------------------------------------


class Event(models.Model):
    """One state change of anything in the portal: who did what to which object, from which state to which.

    History (django-simple-history) records every field change; events record the meaningful steps
    (submitted, approved, vote opened...) so timelines can be read without diffing.
    """

    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    # PROTECT: authorship of a recorded step must never disappear; users are deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("quién"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="portal_events",
    )
    action = models.CharField(_("acción"), max_length=60)
    # PROTECT: an event must keep pointing at a real model type.
    content_type = models.ForeignKey(ContentType, verbose_name=_("tipo de registro"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("id del registro"))
    subject = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("estado anterior"), max_length=30, blank=True)
    to_state = models.CharField(_("estado nuevo"), max_length=30, blank=True)
    note = limited_text(_("nota"), max_length=LONG_TEXT, blank=True)
    data = models.JSONField(_("datos"), default=dict, blank=True)

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.action} · {self.content_type.model} #{self.object_id}"


# --- Outgoing e-mail ------------------------------------------------------------------------------------------


class EmailState(models.TextChoices):
    QUEUED = "en_cola", _("En cola")
    SENDING = "enviando", _("Enviándose")
    SENT = "enviado", _("Enviado")
    FAILED = "fallido", _("Falló")


class OutgoingEmail(models.Model):
    """One message as the portal handed it to the SMTP server: what was sent, to whom, and how it went.

    Written by ``implan.mail`` only: queued by ``email_queue``, sent by the ``send_email`` task, which records the
    outcome (the server's answer when it refused), retried by ``email_retry`` and ``manage.py retry_failed_emails``.
    """

    to = models.JSONField(_("destinatarios"), default=list)
    reply_to = models.JSONField(_("responder a"), default=list, blank=True)
    from_email = models.CharField(_("remitente"), max_length=320)
    subject = models.CharField(_("asunto"), max_length=998)
    body = limited_text(_("texto"), max_length=LONG_TEXT)
    html = limited_text(_("HTML"), max_length=LONG_TEXT, blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: small files (an .ics invitation); larger ones go as links.
    attachments = models.JSONField(_("adjuntos"), default=list, blank=True)
    # Extra headers ({"List-Unsubscribe": "<https://…>"}): a digest's one-click unsubscribe (RFC 8058).
    headers = models.JSONField(_("encabezados"), default=dict, blank=True)
    # Fixed when queued, so that a message sent again after an uncertain outcome keeps its identity.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    state = models.CharField(_("estado"), max_length=20, choices=EmailState.choices, default=EmailState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    answer = limited_text(_("respuesta del servidor"), max_length=SHORT_TEXT, blank=True)
    queued_at = models.DateTimeField(_("en cola desde"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("correo saliente")
        verbose_name_plural = _("correos salientes")
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class AdminImportState(models.TextChoices):
    QUEUED = "en_cola", _("En cola para revisar")
    CHECKING = "revisando", _("Revisando el archivo")
    READY = "lista", _("Lista para confirmar")
    REFUSED = "rechazada", _("Rechazada")
    UNCHANGED = "sin_cambios", _("Sin cambios: nada que importar")
    CONFIRMED = "confirmada", _("Confirmada, en cola para importar")
    IMPORTING = "importando", _("Importando")
    DONE = "importada", _("Importada")
    DISCARDED = "descartada", _("Descartada")
    FAILED = "interrumpida", _("Interrumpida")


class AdminImportQuerySet(models.QuerySet["AdminImport"]):
    def waiting(self) -> AdminImportQuerySet:
        """Jobs a worker should pick up: uploaded and not yet checked, or confirmed and not yet imported."""
        return self.filter(state__in=[AdminImportState.QUEUED, AdminImportState.CONFIRMED])

    def running(self) -> AdminImportQuerySet:
        return self.filter(state__in=[AdminImportState.CHECKING, AdminImportState.IMPORTING])

    def stalled(self, *, now: datetime.datetime) -> AdminImportQuerySet:
        """Running jobs whose worker has not signalled life for AdminImport.stalled_after(): it stopped."""
        cutoff = now - AdminImport.stalled_after()
        return self.running().filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at=None, updated_at__lt=cutoff))

    def visible_to(self, user: Any) -> AdminImportQuerySet:
        """Whoever uploaded a file sees its job; a superuser sees every job."""
        return self if getattr(user, "is_superuser", False) else self.filter(created_by=user)


class AdminImport(models.Model):
    """A file uploaded to a catalogue's import page in the Django admin, checked and imported in the background.

    Any app's admin uses it (``implan.admin_base.PortalAdmin``): the job names its model and resource by label and
    path, and the worker finds them in the admin's registry, so the core imports no app. As for indicator loads, the
    row is the claim (a conditional UPDATE takes the waiting step), the progress bar and the heartbeat; the file's
    bytes stay in the database so any worker can read them.
    """

    # PROTECT: the record of who imported what must not vanish with an account; deactivate accounts instead.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cargado por"), on_delete=models.PROTECT, related_name="admin_imports"
    )
    model_label = models.CharField(_("catálogo"), max_length=100, help_text=_("app_label.model_name del catálogo."))
    resource = models.CharField(_("recurso"), max_length=255, help_text=_("La clase que lee y valida las filas."))
    input_format = models.CharField(_("formato"), max_length=20)
    file_name = models.CharField(_("archivo"), max_length=255)
    content = models.BinaryField(_("contenido"), editable=False)
    size = models.PositiveIntegerField(_("tamaño en bytes"), default=0)
    state = models.CharField(
        _("estado"), max_length=12, choices=AdminImportState.choices, default=AdminImportState.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("filas"), default=0)
    rows_done = models.PositiveIntegerField(_("filas procesadas"), default=0)
    counts = models.JSONField(_("resultado por fila"), default=dict, blank=True)
    preview = models.JSONField(
        _("vista previa"),
        default=dict,
        blank=True,
        help_text=_("Las columnas, las primeras filas con su resultado y los errores del archivo y de cada fila."),
    )
    message = limited_text(_("mensaje"), max_length=SHORT_TEXT, blank=True)
    attempt = models.PositiveIntegerField(_("intento"), default=0)
    heartbeat_at = models.DateTimeField(_("última señal del proceso"), null=True, blank=True)
    interrupted_step = models.CharField(
        _("paso interrumpido"), max_length=12, choices=AdminImportState.choices, blank=True
    )
    created_at = models.DateTimeField(_("cargado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("última actividad"), auto_now=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    objects = AdminImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("importación de catálogo")
        verbose_name_plural = _("importaciones de catálogos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @staticmethod
    def heartbeat_every() -> datetime.timedelta:
        return datetime.timedelta(seconds=settings.INDICATOR_IMPORT_HEARTBEAT_SECONDS)

    @staticmethod
    def stalled_after() -> datetime.timedelta:
        """Four missed signals (a minute by default), as for indicator loads."""
        return AdminImport.heartbeat_every() * 4

    @property
    def is_running(self) -> bool:
        return self.state in (
            AdminImportState.QUEUED,
            AdminImportState.CHECKING,
            AdminImportState.CONFIRMED,
            AdminImportState.IMPORTING,
        )

    @property
    def percent(self) -> int:
        if self.state in (AdminImportState.DONE, AdminImportState.READY, AdminImportState.UNCHANGED):
            return 100
        return min(100, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0


# --- Territory catalogue loads ----------------------------------------------------------------------------------


class TerritoryImportState(models.TextChoices):
    QUEUED = "en_cola", _("En cola para revisar")
    CHECKING = "revisando", _("Revisando el archivo")
    READY = "lista", _("Lista para confirmar")
    REFUSED = "rechazada", _("Rechazada")
    UNCHANGED = "sin_cambios", _("Sin cambios: nada que guardar")
    CONFIRMED = "confirmada", _("Confirmada, en cola para guardar")
    SAVING = "guardando", _("Guardando")
    DONE = "aplicada", _("Guardada")
    DISCARDED = "descartada", _("Descartada")
    FAILED = "fallida", _("Interrumpida")


class TerritoryImport(models.Model):
    """A territory catalogue (INEGI's files as INEGI publishes them) loaded by a planner: checked in the background,
    previewed, and saved all or nothing once confirmed. The job row is the claim, the progress bar and the record.

    The reading and saving live in ``indicators.territories`` (the core imports no app); the row lives here, beside
    the territories it loads, so that the catalogue's own migrations carry it.
    """

    # PROTECT: the record of who loaded a catalogue must not vanish with an account; deactivate accounts instead.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cargado por"),
        on_delete=models.PROTECT,
        related_name="territory_imports",
    )
    file_name = models.CharField(_("archivo"), max_length=255)
    content = models.BinaryField(_("contenido"), editable=False)
    population_year = models.PositiveSmallIntegerField(_("año del dato de población"), null=True, blank=True)
    population_source = models.CharField(_("fuente del dato de población"), max_length=200, blank=True)
    state = models.CharField(
        _("estado"), max_length=12, choices=TerritoryImportState.choices, default=TerritoryImportState.QUEUED
    )
    attempt = models.PositiveIntegerField(_("intento"), default=0)
    rows_total = models.PositiveIntegerField(_("filas"), default=0)
    rows_done = models.PositiveIntegerField(_("filas procesadas"), default=0)
    counts = models.JSONField(_("resultado"), default=dict, blank=True)
    preview = models.JSONField(
        _("vista previa"), default=dict, blank=True, help_text=_("Las primeras filas y los errores de cada fila.")
    )
    message = limited_text(_("mensaje"), max_length=SHORT_TEXT, blank=True)
    heartbeat_at = models.DateTimeField(_("última señal del proceso"), null=True, blank=True)
    created_at = models.DateTimeField(_("cargado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("última actividad"), auto_now=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        verbose_name = _("carga de territorios")
        verbose_name_plural = _("cargas de territorios")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_running(self) -> bool:
        return self.state in (
            TerritoryImportState.QUEUED,
            TerritoryImportState.CHECKING,
            TerritoryImportState.CONFIRMED,
            TerritoryImportState.SAVING,
        )

    @property
    def percent(self) -> int:
        if self.state in (TerritoryImportState.DONE, TerritoryImportState.READY, TerritoryImportState.UNCHANGED):
            return 100
        return min(100, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0


# --- Notifications ------------------------------------------------------------------------------------------------


class Notification(models.Model):
    """A notice to one account in its portal inbox; by the person's choice also sent by e-mail (``email``).

    Written by ``implan.notifications.notify`` only; the person marks it read. ``kind`` is one of the kinds the apps
    register there (a string, so that the core knows none of them).
    """

    # CASCADE: an inbox belongs to its account and means nothing without it (accounts are deactivated, not deleted).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cuenta"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=60)
    title = models.CharField(_("título"), max_length=300)
    text = limited_text(_("texto"), max_length=SHORT_TEXT, blank=True)
    url = models.CharField(_("enlace"), max_length=500, blank=True)
    # PROTECT: the message's row says whether the e-mail was delivered.
    email = models.ForeignKey(
        OutgoingEmail, verbose_name=_("correo"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    read_at = models.DateTimeField(_("leída el"), null=True, blank=True)

    class Meta:
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """Whether a person wants a kind of notification by e-mail too (no row: yes). The inbox always gets it."""

    # CASCADE: a preference belongs to its account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("tipo"), max_length=60)
    email = models.BooleanField(_("por correo"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("preferencia de avisos")
        verbose_name_plural = _("preferencias de avisos")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"
