"""Public consultation of a draft instrument: its period, rules and sections; citizens' comments and their
moderation; forums held in person and their contributions; the answer to each contribution; the report.

A consultation is on one version of one instrument (a plan, a diagnosis, a programme, a government plan). Explicit
nullable foreign keys, one per kind with a check that exactly one is set, rather than a generic relation: the
report of a consultation is part of the instrument's record (PROTECT keeps the version from being deleted under it),
the database holds the link, and the kinds open to consultation are few and known (a programme's MIR will add one).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords
from implan.limits import SHORT_TEXT, TEXT, limited_text
from projects.models import PUBLIC_STATUSES, ProjectStatus

# The instrument fields of a consultation, in the order the kinds are offered.
INSTRUMENT_FIELDS = ("plan", "diagnosis", "programme", "government_plan")


class ConsultationState(models.TextChoices):
    DRAFT = "borrador", _("En preparación")
    OPEN = "abierta", _("Abierta")
    CLOSED = "cerrada", _("Cerrada")
    REPORTED = "informe_publicado", _("Informe publicado")


# What the public may see: a consultation in preparation is the planners' working copy.
PUBLIC_STATES = (ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.REPORTED)


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def public(self) -> ConsultationQuerySet:
        return self.filter(state__in=PUBLIC_STATES)

    def accepting_comments(self, day: datetime.date | None = None) -> ConsultationQuerySet:
        """Open and within its period on ``day`` (today in Mexico City): the period counts, not only the state, so
        a consultation past its end date takes no comment even before the closing command runs."""
        day = day or timezone.localdate()
        return self.filter(state=ConsultationState.OPEN, starts_on__lte=day, ends_on__gte=day)

    def due_to_close(self, day: datetime.date | None = None) -> ConsultationQuerySet:
        return self.filter(state=ConsultationState.OPEN, ends_on__lt=day or timezone.localdate())

    def for_instrument(self, instrument: models.Model) -> ConsultationQuerySet:
        field = instrument_field(instrument)
        return self.filter(**{field: instrument}) if field else self.none()


def instrument_field(instrument: models.Model) -> str | None:
    """The consultation's field that points at ``instrument``'s model, or None when it cannot be consulted."""
    for name in INSTRUMENT_FIELDS:
        if Consultation._meta.get_field(name).related_model is type(instrument):
            return name
    return None


def _instrument_fk(model: str, name: Any) -> models.ForeignKey:
    # PROTECT: the consultation and its report are part of the record of the version consulted.
    return models.ForeignKey(
        model, on_delete=models.PROTECT, null=True, blank=True, related_name="consultations", verbose_name=name
    )


class Consultation(models.Model):
    """A public consultation on one version of an instrument, open to comment during a period (Mexico City dates)."""

    title = models.CharField(_("título"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    plan = _instrument_fk("planning.StrategicPlan", _("plan estratégico"))
    diagnosis = _instrument_fk("planning.Diagnosis", _("diagnóstico"))
    programme = _instrument_fk("planning.Programme", _("programa"))
    government_plan = _instrument_fk("planning.GovernmentPlan", _("programa de gobierno"))
    starts_on = models.DateField(_("inicio del periodo"), help_text=_("Primer día en que se reciben comentarios."))
    ends_on = models.DateField(_("fin del periodo"), help_text=_("Último día en que se reciben comentarios."))
    rules = limited_text(
        _("reglas de participación"),
        max_length=TEXT,
        help_text=_("Qué se consulta, quién puede participar y cómo se modera. Texto con formato (Markdown)."),
    )
    state = models.CharField(
        _("estado"), max_length=20, choices=ConsultationState.choices, default=ConsultationState.DRAFT, db_index=True
    )
    opened_at = models.DateTimeField(_("abierta el"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    report_published_at = models.DateTimeField(_("informe publicado el"), null=True, blank=True)
    report_summary = limited_text(
        _("resumen del informe"),
        max_length=TEXT,
        blank=True,
        help_text=_("Conclusiones de la consulta, al inicio del informe. Texto con formato (Markdown)."),
    )
    history = HistoricalRecords()

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consulta pública")
        verbose_name_plural = _("consultas públicas")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="consultation_period_order"),
            models.CheckConstraint(
                condition=(
                    Q(plan__isnull=False, diagnosis__isnull=True, programme__isnull=True, government_plan__isnull=True)
                    | Q(
                        plan__isnull=True, diagnosis__isnull=False, programme__isnull=True, government_plan__isnull=True
                    )
                    | Q(
                        plan__isnull=True, diagnosis__isnull=True, programme__isnull=False, government_plan__isnull=True
                    )
                    | Q(
                        plan__isnull=True, diagnosis__isnull=True, programme__isnull=True, government_plan__isnull=False
                    )
                ),
                name="consultation_one_instrument",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def instrument(self) -> Any:
        return next(getattr(self, name) for name in INSTRUMENT_FIELDS if getattr(self, f"{name}_id"))

    def accepts_comments_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.state == ConsultationState.OPEN and self.starts_on <= day <= self.ends_on

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES


class Section(models.Model):
    """A part of the instrument open to comment (a strategy, a chapter of the diagnosis…)."""

    # CASCADE: sections are parts of their consultation (a consultation is deleted only while in preparation).
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections", verbose_name=_("consulta")
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("título"), max_length=250)
    description = limited_text(_("descripción"), max_length=SHORT_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sección en consulta")
        verbose_name_plural = _("secciones en consulta")
        ordering = ["consultation", "order"]
        constraints = [models.UniqueConstraint(fields=["consultation", "order"], name="consultation_section_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class CommentState(models.TextChoices):
    HELD = "retenido", _("Retenido para moderación")
    ACCEPTED = "aceptado", _("Publicado")
    REJECTED = "rechazado", _("Rechazado")


class RejectionReason(models.TextChoices):
    """The fixed list of reasons a comment or a citizen proposal is not published (stated in the rules of every
    consultation and call)."""

    OFFENSIVE = "ofensivo", _("Lenguaje ofensivo, discriminatorio o que incita a la violencia")
    PERSONAL_DATA = "datos_personales", _("Contiene datos personales de otras personas")
    ADVERTISING = "publicidad", _("Publicidad, propaganda o contenido ajeno a la consulta o a la convocatoria")
    OFF_TOPIC = "fuera_de_tema", _("No trata del instrumento en consulta ni de los temas de la convocatoria")
    DUPLICATE = "duplicado", _("Repite un comentario o una propuesta ya enviados")


class Sector(models.TextChoices):
    """Who took part, as the institute reports it: a forum's attendance, each contribution and each comment."""

    CITIZENS = "ciudadania", _("Ciudadanía")
    ACADEMIA = "academia", _("Academia")
    BUSINESS = "iniciativa_privada", _("Iniciativa privada")
    CIVIL_SOCIETY = "sociedad_civil", _("Organizaciones de la sociedad civil")
    GOVERNMENT = "gobierno", _("Gobierno")
    OTHER = "otro", _("Otro")


class CommentQuerySet(models.QuerySet["Comment"]):
    def published(self) -> CommentQuerySet:
        return self.filter(state=CommentState.ACCEPTED)

    def held(self) -> CommentQuerySet:
        return self.filter(state=CommentState.HELD)


class Comment(models.Model):
    """A comment sent through the portal on a section; held until a moderator accepts or rejects it.

    The e-mail is for the institute to reply, never shown; the address is kept only as a keyed hash, for rate
    limiting, and erased when the consultation closes.
    """

    # PROTECT: a comment is part of the public record of the consultation.
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments", verbose_name=_("sección"))
    author_name = models.CharField(_("nombre o seudónimo"), max_length=120)
    place = models.CharField(_("municipio o colonia"), max_length=120)
    # As a forum's attendance and contributions are counted: the report counts every contribution by sector.
    sector = models.CharField(_("participa como"), max_length=30, choices=Sector.choices, default=Sector.CITIZENS)
    email = models.EmailField(
        _("correo electrónico"), blank=True, help_text=_("Opcional; nunca se publica. Solo para responderle.")
    )
    text = limited_text(_("comentario"), max_length=SHORT_TEXT * 2)
    state = models.CharField(
        _("estado"), max_length=20, choices=CommentState.choices, default=CommentState.HELD, db_index=True
    )
    rejection_reason = models.CharField(
        _("motivo del rechazo"), max_length=30, choices=RejectionReason.choices, blank=True
    )
    # PROTECT: who moderated stays on the record; accounts are deactivated, not deleted.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderated_comments",
        verbose_name=_("moderado por"),
    )
    moderated_at = models.DateTimeField(_("moderado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("recibido el"), default=timezone.now, db_index=True)
    address_hash = models.CharField(_("huella de la dirección"), max_length=64, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comentario")
        verbose_name_plural = _("comentarios")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=CommentState.REJECTED, rejection_reason__gt="")
                | (~Q(state=CommentState.REJECTED) & Q(rejection_reason="")),
                name="comment_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.text[:60]}"


class Forum(models.Model):
    """A workshop or forum held in person during the consultation."""

    # PROTECT: a forum is part of the record of its consultation.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="forums", verbose_name=_("consulta")
    )
    held_on = models.DateField(_("fecha"))
    place = models.CharField(_("lugar"), max_length=250)
    title = models.CharField(_("nombre del foro"), max_length=250)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("foro de consulta")
        verbose_name_plural = _("foros de consulta")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def total_attendance(self) -> int:
        return sum(a.count for a in self.attendance.all())


class ForumAttendance(models.Model):
    """How many people of one sector attended a forum."""

    # CASCADE: attendance figures are part of their forum.
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("foro"))
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    count = models.PositiveIntegerField(_("asistentes"))

    class Meta:
        verbose_name = _("asistencia por sector")
        verbose_name_plural = _("asistencia por sector")
        ordering = ["forum", "sector"]
        constraints = [models.UniqueConstraint(fields=["forum", "sector"], name="forum_attendance_unique_sector")]

    def __str__(self) -> str:
        return f"{self.get_sector_display()}: {self.count}"


class Contribution(models.Model):
    """A contribution made at a forum, typed by a planner or imported from a CSV, linked to a section."""

    # PROTECT: contributions are the record of what was said at the forum.
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("foro"))
    # PROTECT: a contribution keeps naming the section it was about.
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("sección")
    )
    participant = models.CharField(
        _("participante"), max_length=120, blank=True, help_text=_("Nombre u organización, si consintió publicarlo.")
    )
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    place = models.CharField(_("municipio o colonia"), max_length=120, blank=True)
    text = limited_text(_("aportación"), max_length=SHORT_TEXT * 2)
    created_at = models.DateTimeField(_("registrada el"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aportación de foro")
        verbose_name_plural = _("aportaciones de foro")
        ordering = ["forum", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Verdict(models.TextChoices):
    ACCEPTED = "aceptada", _("Aceptada")
    PARTLY = "parcial", _("Aceptada en parte")
    NOT_ACCEPTED = "no_aceptada", _("No aceptada")


class Answer(models.Model):
    """The institute's answer to one contribution: a published comment or a forum contribution."""

    # PROTECT: an answer is the record of what became of the contribution.
    comment = models.OneToOneField(
        Comment, on_delete=models.PROTECT, null=True, blank=True, related_name="answer", verbose_name=_("comentario")
    )
    contribution = models.OneToOneField(
        Contribution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answer",
        verbose_name=_("aportación"),
    )
    verdict = models.CharField(_("respuesta"), max_length=20, choices=Verdict.choices)
    reason = limited_text(_("razón"), max_length=SHORT_TEXT, help_text=_("Por qué se aceptó, en parte o no."))
    # PROTECT: who answered stays on the record.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("respondida por")
    )
    answered_at = models.DateTimeField(_("respondida el"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("respuesta")
        verbose_name_plural = _("respuestas")
        constraints = [
            models.CheckConstraint(
                condition=Q(comment__isnull=False, contribution__isnull=True)
                | Q(comment__isnull=True, contribution__isnull=False),
                name="answer_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.get_verdict_display()


# --- Subscriptions: anyone follows a part of the plan by e-mail, no account needed --------------------------------


class FollowKind(models.TextChoices):
    STRATEGY = "estrategia", _("Estrategia")
    PROGRAMME = "programa", _("Programa")
    PROJECT = "proyecto", _("Proyecto")
    BODY = "organo", _("Órgano")
    INDICATOR = "indicador", _("Indicador")
    TERRITORY = "territorio", _("Territorio")


class DigestFrequency(models.TextChoices):
    DAILY = "diaria", _("Diaria")
    WEEKLY = "semanal", _("Semanal")


class SubscriptionState(models.TextChoices):
    PENDING = "pendiente", _("Por confirmar")
    CONFIRMED = "confirmada", _("Confirmada")
    CANCELLED = "cancelada", _("Cancelada")


class Subscription(models.Model):
    """An e-mail address that follows one strategy, programme, project, body, indicator or territory.

    The address is private: it is never shown on a public page nor written to an open-data file or an event row.
    Confirmed by a signed link (double opt-in); cancelled by a signed link in every digest. Written by the
    services of ``consultations.subscriptions`` only.
    """

    email = models.EmailField(_("correo electrónico"), max_length=254)
    kind = models.CharField(_("qué sigue"), max_length=20, choices=FollowKind.choices)
    object_id = models.PositiveBigIntegerField(_("id de lo que sigue"))
    frequency = models.CharField(
        _("frecuencia"), max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY
    )
    state = models.CharField(
        _("estado"), max_length=12, choices=SubscriptionState.choices, default=SubscriptionState.PENDING
    )
    created_at = models.DateTimeField(_("pedida el"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmada el"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelada el"), null=True, blank=True)

    class Meta:
        verbose_name = _("suscripción")
        verbose_name_plural = _("suscripciones")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["email", "kind", "object_id"], name="subscription_unique_follow"),
        ]
        indexes = [models.Index(fields=["state", "frequency"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.object_id} ({self.get_state_display()})"


class Digest(models.Model):
    """One period of one subscription, sent once: the row is written in the transaction that queues the e-mail,
    and the unique (subscription, period) keeps a second run (or a task delivered twice) from sending it again."""

    # CASCADE: a digest is the subscription's own bookkeeping.
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="digests", verbose_name=_("suscripción")
    )
    period_start = models.DateTimeField(_("desde"))
    period_end = models.DateTimeField(_("hasta"))
    changes = models.PositiveIntegerField(_("cambios"), default=0)
    # SET_NULL: the outgoing message may be purged; the digest stays counted as done. Null: nothing changed.
    email = models.ForeignKey(
        "implan.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("correo"),
    )
    created_at = models.DateTimeField(_("hecho el"), default=timezone.now)

    class Meta:
        verbose_name = _("resumen enviado")
        verbose_name_plural = _("resúmenes enviados")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period_start"], name="digest_once_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} · {self.period_start:%Y-%m-%d}"


# --- Citizen proposals: a call open for a period, proposals with a point on the map --------------------------------


class CallState(models.TextChoices):
    DRAFT = "borrador", _("En preparación")
    OPEN = "abierta", _("Abierta")
    CLOSED = "cerrada", _("Cerrada")


CALL_PUBLIC_STATES = (CallState.OPEN, CallState.CLOSED)


class ProposalCallQuerySet(models.QuerySet["ProposalCall"]):
    def public(self) -> ProposalCallQuerySet:
        return self.filter(state__in=CALL_PUBLIC_STATES)


class ProposalCall(models.Model):
    """A call for citizens' project proposals: a period, rules, and the territories and strategies it accepts."""

    title = models.CharField(_("título"), max_length=250)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    rules = limited_text(
        _("bases de la convocatoria"),
        max_length=TEXT,
        help_text=_("Qué se puede proponer, quién y cómo se valora. Texto con formato (Markdown)."),
    )
    starts_on = models.DateField(_("inicio del periodo"), help_text=_("Primer día en que se reciben propuestas."))
    ends_on = models.DateField(_("fin del periodo"), help_text=_("Último día en que se reciben propuestas."))
    territories = models.ManyToManyField(
        "implan.Territory",
        related_name="proposal_calls",
        verbose_name=_("territorios"),
        help_text=_("Dónde pueden estar los proyectos propuestos (una delegación incluye sus colonias)."),
    )
    strategies = models.ManyToManyField(
        "planning.Strategy",
        related_name="proposal_calls",
        verbose_name=_("temas (estrategias del plan)"),
        help_text=_("Las estrategias a las que puede servir un proyecto propuesto."),
    )
    state = models.CharField(
        _("estado"), max_length=20, choices=CallState.choices, default=CallState.DRAFT, db_index=True
    )
    opened_at = models.DateTimeField(_("abierta el"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cerrada el"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[territories, strategies])

    objects = ProposalCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("convocatoria de propuestas")
        verbose_name_plural = _("convocatorias de propuestas")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="proposal_call_period_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_proposals_on(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.state == CallState.OPEN and self.starts_on <= day <= self.ends_on


class ProposalState(models.TextChoices):
    HELD = "retenida", _("Retenida para moderación")
    REJECTED = "rechazada", _("Rechazada en moderación")
    RECEIVED = "recibida", _("Recibida")
    FOR_ASSESSMENT = "aceptada_para_valoracion", _("Aceptada para valoración")
    UNDER_ASSESSMENT = "en_valoracion", _("En valoración")
    IN_PORTFOLIO = "en_cartera", _("Incorporada a la cartera")
    NOT_VIABLE = "no_viable", _("No viable")


# Shown on the public site: everything after moderation accepted it.
PROPOSAL_PUBLIC_STATES = (
    ProposalState.RECEIVED,
    ProposalState.FOR_ASSESSMENT,
    ProposalState.UNDER_ASSESSMENT,
    ProposalState.IN_PORTFOLIO,
    ProposalState.NOT_VIABLE,
)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def published(self) -> ProposalQuerySet:
        return self.filter(state__in=PROPOSAL_PUBLIC_STATES, call__state__in=CALL_PUBLIC_STATES)

    def held(self) -> ProposalQuerySet:
        return self.filter(state=ProposalState.HELD)


class Proposal(models.Model):
    """A project proposed by anyone in an open call, with a point on the map; held until a moderator accepts it,
    then public with its status through assessment into the portfolio.

    As with comments: the e-mail is for the institute to reply, never shown; the address is kept only as a keyed
    hash, for rate limiting, and erased when the call closes.
    """

    # PROTECT: a proposal is part of the public record of its call.
    call = models.ForeignKey(
        ProposalCall, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("convocatoria")
    )
    title = models.CharField(_("título del proyecto"), max_length=200)
    description = limited_text(_("descripción"), max_length=SHORT_TEXT * 2)
    author_name = models.CharField(_("nombre o seudónimo"), max_length=120)
    # PROTECT: the territory a proposal is for stays named.
    territory = models.ForeignKey(
        "implan.Territory", on_delete=models.PROTECT, related_name="citizen_proposals", verbose_name=_("territorio")
    )
    # PROTECT: the theme of a proposal stays named.
    strategy = models.ForeignKey(
        "planning.Strategy", on_delete=models.PROTECT, related_name="citizen_proposals", verbose_name=_("tema")
    )
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6)
    email = models.EmailField(
        _("correo electrónico"), blank=True, help_text=_("Opcional; nunca se publica. Solo para responderle.")
    )
    state = models.CharField(
        _("estado"), max_length=30, choices=ProposalState.choices, default=ProposalState.HELD, db_index=True
    )
    rejection_reason = models.CharField(
        _("motivo del rechazo"), max_length=30, choices=RejectionReason.choices, blank=True
    )
    state_reason = limited_text(
        _("razón del estado"), max_length=SHORT_TEXT, blank=True, help_text=_("Obligatoria al declararla no viable.")
    )
    # PROTECT: the project a proposal became is part of both records.
    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_proposal",
        verbose_name=_("proyecto de la cartera"),
    )
    # PROTECT: who moderated stays on the record; accounts are deactivated, not deleted.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderated_proposals",
        verbose_name=_("moderada por"),
    )
    moderated_at = models.DateTimeField(_("moderada el"), null=True, blank=True)
    created_at = models.DateTimeField(_("recibida el"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("actualizada el"), default=timezone.now)
    address_hash = models.CharField(_("huella de la dirección"), max_length=64, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["email", "address_hash"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("propuesta ciudadana")
        verbose_name_plural = _("propuestas ciudadanas")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ProposalState.REJECTED, rejection_reason__gt="")
                | (~Q(state=ProposalState.REJECTED) & Q(rejection_reason="")),
                name="proposal_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state=ProposalState.IN_PORTFOLIO, project__isnull=False)
                | (~Q(state=ProposalState.IN_PORTFOLIO) & Q(project__isnull=True)),
                name="proposal_portfolio_has_project",
            ),
            models.CheckConstraint(
                condition=~Q(state=ProposalState.NOT_VIABLE) | Q(state_reason__gt=""),
                name="proposal_not_viable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state in PROPOSAL_PUBLIC_STATES

    @property
    def project_cancelled(self) -> bool:
        """The project it became was cancelled later: its page is gone, and the proposal's page says so."""
        return self.project is not None and self.project.status == ProjectStatus.CANCELLED

    @property
    def public_project(self) -> Any:
        """The project it became, once the project itself is public (a proposed project is the planners' for now)."""
        project = self.project
        return project if project is not None and project.status in PUBLIC_STATUSES else None
