"""The bodies that decide and the record of what they decided.

Modelled on Open Civic Data / Popolo: Body (Organization), Person, Membership(start, end, role), Session
(Event), AgendaItem, Motion (VoteEvent), Vote (PersonVote). Councils knows nothing of planning: an agenda
item points at its subject generically and the owning app says what approval means.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from implan.historical import HistoricalRecords
from implan.limits import LONG_TEXT, SHORT_TEXT, TEXT, limited_text

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class BodyKind(models.TextChoices):
    AYUNTAMIENTO = "ayuntamiento", _("Ayuntamiento")
    CONSULTATIVE_COUNCIL = "consejo_consultivo", _("Consejo Consultivo de Planeación")
    STRATEGY_COMMISSION = "comision_estrategica", _("Comisión de Planeación Estratégica")
    SECTORAL_COUNCIL = "consejo_sectorial", _("Consejo Sectorial")
    URBAN_COMMUNITY_COUNCIL = "consejo_comunitario_urbano", _("Consejo Comunitario Urbano")
    RURAL_COMMUNITY_COUNCIL = "consejo_comunitario_rural", _("Consejo Comunitario Rural")
    GOVERNING_BOARD = "junta_gobierno", _("Junta de Gobierno")
    REGIDORES_COMMISSION = "comision_regidores", _("Comisión de Regidores")
    CONSULTATIVE_COMMISSION = "comision_consejo_consultivo", _("Comisión del Consejo Consultivo")
    TECHNICAL_STAFF = "cuerpo_tecnico", _("Cuerpo Técnico")


class MajorityBase(models.TextChoices):
    """What a majority is counted against. Abstentions and members who do not vote count against the motion under
    the first two, as Mexican municipal rules read "la mayoría de los integrantes presentes" and "las dos terceras
    partes de los integrantes del Ayuntamiento"."""

    PRESENT = "presentes", _("Integrantes con voto presentes")
    MEMBERS = "integrantes", _("Todos los integrantes con voto del órgano")
    CAST = "votos_emitidos", _("Votos emitidos")


class BodyQuerySet(models.QuerySet["Body"]):
    def of_kind(self, kind: str) -> BodyQuerySet:
        return self.filter(kind=kind)

    def active(self) -> BodyQuerySet:
        return self.filter(is_active=True)


class Body(models.Model):
    """An órgano of the planning system, with its seat limit, quorum rule and renewal rule."""

    name = models.CharField(_("nombre"), max_length=200, unique=True)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    kind = models.CharField(_("tipo"), max_length=40, choices=BodyKind.choices)
    purpose = limited_text(
        _("atribuciones"), max_length=TEXT, blank=True, help_text=_("Qué hace el órgano, en lenguaje llano.")
    )
    # PROTECT: a commission or council that hangs from another body keeps that link in the record.
    parent = models.ForeignKey(
        "self", verbose_name=_("depende de"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # PROTECT: a sectoral council sits beside its agency; the agency cannot vanish under it.
    agency = models.ForeignKey(
        "implan.Agency",
        verbose_name=_("dependencia"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        help_text=_("Para consejos sectoriales: la dependencia a la que acompaña."),
    )
    # PROTECT: a community council represents its territory.
    territory = models.ForeignKey(
        "implan.Territory",
        verbose_name=_("territorio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        help_text=_("Para consejos comunitarios: el barrio, delegación o comunidad."),
    )
    seat_limit = models.PositiveSmallIntegerField(
        _("número de asientos"), null=True, blank=True, help_text=_("Máximo de integrantes; vacío si no hay límite.")
    )
    quorum_percent = models.DecimalField(
        _("quórum (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
        help_text=_(
            "Hay quórum cuando los integrantes con voto presentes superan este porcentaje "
            "de los integrantes con voto (50 = mitad más uno)."
        ),
    )
    # The four voting rules change only through councils.services.body_set_voting_rules (history and an event).
    majority_percent = models.DecimalField(
        _("mayoría simple (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
        help_text=_(
            "Un acuerdo se aprueba cuando los votos a favor superan este porcentaje de la base de la "
            "mayoría simple (50 = mitad más uno)."
        ),
    )
    majority_base = models.CharField(
        _("base de la mayoría simple"),
        max_length=20,
        choices=MajorityBase.choices,
        default=MajorityBase.PRESENT,
        help_text=_("Sobre qué se cuenta la mayoría simple; lo usual es sobre los integrantes con voto presentes."),
    )
    qualified_majority_percent = models.DecimalField(
        _("mayoría calificada (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=PERCENT_VALIDATORS,
        help_text=_("Porcentaje mínimo de votos a favor cuando el asunto exige mayoría calificada."),
    )
    qualified_majority_base = models.CharField(
        _("base de la mayoría calificada"),
        max_length=20,
        choices=MajorityBase.choices,
        default=MajorityBase.MEMBERS,
        help_text=_(
            "Sobre qué se cuenta la mayoría calificada; lo usual es sobre todos los integrantes con voto "
            "del órgano (las dos terceras partes del Ayuntamiento)."
        ),
    )
    renewal_period_years = models.PositiveSmallIntegerField(
        _("periodo de renovación (años)"),
        null=True,
        blank=True,
        help_text=_("Cada cuántos años se renueva el órgano; vacío si no se renueva por periodos."),
    )
    renewal_min_continuity_percent = models.DecimalField(
        _("continuidad mínima en la renovación (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Porcentaje mínimo de integrantes ciudadanos salientes que deben continuar (León: 50)."),
    )
    # The notice periods change only through councils.services.rules.body_set_notice_periods (history and an event).
    notice_hours_ordinary = models.PositiveSmallIntegerField(
        _("anticipación de la convocatoria ordinaria (horas)"),
        default=72,
        help_text=_("Horas mínimas entre la convocatoria y una sesión ordinaria; convocar con menos pide un motivo."),
    )
    notice_hours_extraordinary = models.PositiveSmallIntegerField(
        _("anticipación de la convocatoria extraordinaria (horas)"),
        default=24,
        help_text=_(
            "Horas mínimas entre la convocatoria y una sesión extraordinaria; convocar con menos pide un motivo."
        ),
    )
    is_active = models.BooleanField(_("vigente"), default=True)
    is_public = models.BooleanField(
        _("sesiones públicas"),
        default=True,
        help_text=_(
            "Desmarque para un órgano privado: sus sesiones, su orden del día, sus documentos y su paquete de la "
            "sesión solo los ven sus integrantes y su secretaría técnica."
        ),
    )
    history = HistoricalRecords()

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("órgano")
        verbose_name_plural = _("órganos")
        ordering = ["kind", "name"]
        permissions = [
            ("manage_sessions", _("Puede convocar y conducir sesiones del órgano")),
            ("manage_memberships", _("Puede administrar las membresías del órgano")),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A person who sits on a body. Only public facts live here; contact data is in ``PersonContact``."""

    name = models.CharField(_("nombre público"), max_length=200)
    sort_name = models.CharField(_("nombre para ordenar"), max_length=200, blank=True)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    # SET_NULL: the person and their record stay when an account link is removed.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    biography = limited_text(_("semblanza"), max_length=TEXT, blank=True)
    is_demo = models.BooleanField(
        _("dato de demostración"), default=False, help_text=_("Persona ficticia creada por los datos de demostración.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("personas")
        ordering = ["sort_name", "name"]

    def __str__(self) -> str:
        return self.name


class PersonContact(models.Model):
    """Private contact data of a person. Never shown on public pages nor in open data."""

    # CASCADE: contact data belongs to the person and means nothing without them.
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="contact", verbose_name=_("persona"))
    email = models.EmailField(_("correo electrónico"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=30, blank=True)
    address = limited_text(_("domicilio"), max_length=SHORT_TEXT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("datos de contacto (privados)")
        verbose_name_plural = _("datos de contacto (privados)")

    def __str__(self) -> str:
        return str(self.person)


class BodyTerm(models.Model):
    """A body's term of office (periodo), e.g. the Consejo Consultivo 2024–2027."""

    # PROTECT: terms are part of the body's record.
    body = models.ForeignKey(Body, verbose_name=_("órgano"), on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(_("nombre"), max_length=80)
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("periodo del órgano")
        verbose_name_plural = _("periodos de los órganos")
        ordering = ["body", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["body", "start_date"], name="body_term_unique_start"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="body_term_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {self.name}"


class MembershipRole(models.TextChoices):
    PRESIDENT = "presidente", _("Presidencia")
    TECHNICAL_SECRETARY = "secretario_tecnico", _("Secretaría técnica")
    MEMBER = "integrante", _("Integrante")
    COUNCILLOR = "consejero", _("Consejero o consejera")
    REGIDOR = "regidor", _("Regidor o regidora")
    SINDICO = "sindico", _("Síndico o síndica")
    MAYOR = "presidente_municipal", _("Presidencia municipal")
    AGENCY_REPRESENTATIVE = "representante_dependencia", _("Representante de dependencia")
    GUEST = "invitado", _("Invitado permanente")


class Sector(models.TextChoices):
    CITIZEN = "ciudadano", _("Ciudadano")
    PUBLIC_SERVANT = "servidor_publico", _("Servidor público")
    REGIDOR = "regidor", _("Regidor")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active_on(self, day: datetime.date) -> MembershipQuerySet:
        """Memberships in force on ``day``: the body "as of a given date"."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def current(self) -> MembershipQuerySet:
        return self.active_on(timezone.localdate())

    def voting(self) -> MembershipQuerySet:
        return self.filter(has_vote=True)

    def citizens(self) -> MembershipQuerySet:
        return self.filter(sector=Sector.CITIZEN)


class Membership(models.Model):
    """Who sat on which body, in which role and sector, from when to when."""

    # PROTECT: a person with a record of membership (and votes) cannot be deleted.
    person = models.ForeignKey(Person, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="memberships")
    # PROTECT: the record of a body's members outlives any reorganisation.
    body = models.ForeignKey(Body, verbose_name=_("órgano"), on_delete=models.PROTECT, related_name="memberships")
    # PROTECT: memberships taken in a term document that term.
    term = models.ForeignKey(
        BodyTerm, verbose_name=_("periodo"), on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(_("cargo"), max_length=30, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    has_vote = models.BooleanField(_("con voto"), default=True)
    # PROTECT: an agency representative's seat names the agency they speak for.
    on_behalf_of = models.ForeignKey(
        "implan.Agency",
        verbose_name=_("en representación de"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("inicio"))
    end_date = models.DateField(_("fin"), null=True, blank=True, help_text=_("Vacío mientras siga en el cargo."))
    end_reason = models.CharField(_("motivo de término"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        ordering = ["body", "person__sort_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("La fecha de término no puede ser anterior a la de inicio."),
            ),
            # A person holds at most one open seat on a body at a time.
            models.UniqueConstraint(
                fields=["person", "body"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_seat_per_body",
                violation_error_message=_("Esta persona ya ocupa un asiento abierto en este órgano."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.body} ({self.get_role_display()})"

    @classmethod
    def history_names(cls, pks: Iterable[int]) -> dict[int, str]:
        """History names a seat by its person and role («Ana López, Regidor o regidora»): one query."""
        return {
            m.pk: f"{m.person.name}, {m.get_role_display()}"
            for m in cls._base_manager.filter(pk__in=pks).select_related("person")
        }


class SessionKind(models.TextChoices):
    ORDINARY = "ordinaria", _("Ordinaria")
    EXTRAORDINARY = "extraordinaria", _("Extraordinaria")


class SessionState(models.TextChoices):
    CONVENED = "convocada", _("Convocada")
    IN_PROGRESS = "en_curso", _("En curso")
    CLOSED = "concluida", _("Concluida")
    CANCELLED = "cancelada", _("Cancelada")


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self) -> SessionQuerySet:
        return self.filter(scheduled_at__gte=timezone.now(), state=SessionState.CONVENED)


class Session(models.Model):
    """A meeting of a body, ordinary or extraordinary, numbered per body."""

    # PROTECT: sessions are the record of the body's decisions.
    body = models.ForeignKey(Body, verbose_name=_("órgano"), on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField(_("número"), help_text=_("Consecutivo de sesiones del órgano."))
    kind = models.CharField(_("tipo"), max_length=20, choices=SessionKind.choices, default=SessionKind.ORDINARY)
    state = models.CharField(
        _("estado"), max_length=20, choices=SessionState.choices, default=SessionState.CONVENED, db_index=True
    )
    scheduled_at = models.DateTimeField(_("fecha y hora"))
    place = models.CharField(_("lugar"), max_length=250)
    # PROTECT: who convened a session stays in the record; users are deactivated, not deleted.
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("convocada por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("inicio"), null=True, blank=True)
    ended_at = models.DateTimeField(_("término"), null=True, blank=True)
    late_notice_reason = limited_text(
        _("motivo de la convocatoria fuera de plazo"),
        max_length=SHORT_TEXT,
        blank=True,
        help_text=_("Por qué se convocó con menos anticipación que la que fija el órgano; lo ven los integrantes."),
    )
    # The iCalendar SEQUENCE of the session's event: raised by each change or cancellation sent to the members.
    sequence = models.PositiveIntegerField(_("versión de la convocatoria"), default=0)
    reminder_sent_at = models.DateTimeField(_("recordatorio enviado el"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        ordering = ["-scheduled_at"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="session_unique_number_per_body")]

    def __str__(self) -> str:
        return f"{self.body} · {self.get_kind_display()} {self.number}"

    def motions_open(self) -> models.QuerySet[Motion]:
        return Motion.objects.filter(agenda_item__session=self, state=MotionState.OPEN)


class NoticeKind(models.TextChoices):
    CONVOCATION = "convocatoria", _("Convocatoria")
    CHANGE = "cambio", _("Cambio de fecha o lugar")
    CANCELLATION = "cancelacion", _("Cancelación")
    REMINDER = "recordatorio", _("Recordatorio")


class SessionNotice(models.Model):
    """One notice of a session to one recipient (a member or a secretary) and the e-mail that carried it: the
    «acuse» the secretary reads. Written once by the convocation services; the e-mail's row says how it went."""

    # PROTECT: the notices are part of the record that the session was duly convened.
    session = models.ForeignKey(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="notices")
    # PROTECT: a notice names the member it was sent to (empty for a secretary who is not a member).
    person = models.ForeignKey(
        Person, verbose_name=_("integrante"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # PROTECT: the account it was sent to stays in the record; accounts are deactivated, not deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("aviso"), max_length=20, choices=NoticeKind.choices)
    sequence = models.PositiveIntegerField(_("versión de la convocatoria"), default=0)
    address = models.EmailField(_("correo"), blank=True)
    # PROTECT: the message's row records whether it was delivered; empty when no e-mail was sent.
    email = models.ForeignKey(
        "implan.OutgoingEmail",
        verbose_name=_("correo enviado"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("aviso de sesión")
        verbose_name_plural = _("avisos de sesión")
        ordering = ["session", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_kind_display()} · {self.person or self.user}"


class ReplyAnswer(models.TextChoices):
    ATTENDING = "asistire", _("Asistiré")
    NOT_ATTENDING = "no_asistire", _("No asistiré")


class ReplyChannel(models.TextChoices):
    EMAIL = "correo", _("Enlace del correo")
    PORTAL = "portal", _("Portal")


class AttendanceReply(models.Model):
    """A member's answer to a convocation (asistiré / no asistiré), before the session; changes until it starts."""

    # PROTECT: the answers belong to the session's record.
    session = models.ForeignKey(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="replies")
    # PROTECT: an answer names its member.
    person = models.ForeignKey(Person, verbose_name=_("integrante"), on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("respuesta"), max_length=20, choices=ReplyAnswer.choices)
    channel = models.CharField(_("medio"), max_length=20, choices=ReplyChannel.choices)
    answered_at = models.DateTimeField(_("respondió el"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confirmación de asistencia")
        verbose_name_plural = _("confirmaciones de asistencia")
        ordering = ["session", "person__sort_name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="reply_once_per_member")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_answer_display()}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "presente", _("Presente")
    ABSENT = "ausente", _("Ausente")
    EXCUSED = "justificada", _("Ausencia justificada")


class Attendance(models.Model):
    """Whether a member attended a session: the basis of quorum and of the right to vote in it."""

    # PROTECT: attendance is part of the session's record.
    session = models.ForeignKey(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="attendances")
    # PROTECT: the seat that attended stays identifiable.
    membership = models.ForeignKey(
        Membership, verbose_name=_("integrante"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(_("asistencia"), max_length=20, choices=AttendanceStatus.choices)
    # PROTECT: the secretary who took attendance stays in the record.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrada por"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        constraints = [
            models.UniqueConstraint(fields=["session", "membership"], name="attendance_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} · {self.get_status_display()}"

    @classmethod
    def history_names(cls, pks: Iterable[int]) -> dict[int, str]:
        """History names an attendance by whose it is («asistencia de Ana López»): one query."""
        rows = cls._base_manager.filter(pk__in=pks).values_list("pk", "membership__person__name")
        return {pk: gettext("asistencia de %(person)s") % {"person": name} for pk, name in rows}

    @classmethod
    def history_summary(cls, records: Iterable[Any]) -> str:
        """The attendance recorded in one act, in one line: «asistencia registrada: 23 presentes, 2 ausentes»."""
        statuses = [r.status for r in records]
        parts = [
            ngettext("%(n)s presente", "%(n)s presentes", n) % {"n": n}
            if status == AttendanceStatus.PRESENT
            else ngettext("%(n)s ausente", "%(n)s ausentes", n) % {"n": n}
            if status == AttendanceStatus.ABSENT
            else ngettext("%(n)s ausencia justificada", "%(n)s ausencias justificadas", n) % {"n": n}
            for status in AttendanceStatus.values
            if (n := statuses.count(status))
        ]
        return gettext("asistencia registrada: %(counts)s") % {"counts": ", ".join(parts)}


class AgendaItemKind(models.TextChoices):
    INFORMATIVE = "informativo", _("Informativo")
    DECISION = "decision", _("Para acuerdo")


class AgendaItem(models.Model):
    """A point of a session's agenda; it may carry a subject from another app to approve."""

    # PROTECT: agenda items are part of the session's record.
    session = models.ForeignKey(
        Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("asunto"), max_length=300)
    description = limited_text(_("descripción"), max_length=TEXT, blank=True)
    kind = models.CharField(
        _("tipo"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.INFORMATIVE
    )
    requires_qualified_majority = models.BooleanField(_("requiere mayoría calificada"), default=False)
    # PROTECT: the subject's model type must keep existing for the record to be readable.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tipo de asunto")
    )
    subject_id = models.PositiveBigIntegerField(_("asunto a aprobar"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("punto del orden del día")
        verbose_name_plural = _("orden del día")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="agenda_item_unique_order"),
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="agenda_item_subject_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class MotionState(models.TextChoices):
    PENDING = "pendiente", _("Pendiente")
    OPEN = "abierta", _("Votación abierta")
    CLOSED = "cerrada", _("Votación cerrada")


class MotionResult(models.TextChoices):
    PASSED = "aprobada", _("Aprobada")
    FAILED = "rechazada", _("Rechazada")
    # Closed, on the secretary's confirmation, before enough members voted to decide: no resolution is numbered
    # and the point may be put to the vote again.
    NO_MAJORITY = "sin_mayoria", _("Sin mayoría")


class Motion(models.Model):
    """A proposal put to the vote on an agenda item (Popolo's motion + vote event)."""

    # PROTECT: a motion is part of the decision record.
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("punto del orden del día"), on_delete=models.PROTECT, related_name="motions"
    )
    text = limited_text(_("propuesta de acuerdo"), max_length=TEXT)
    state = models.CharField(
        _("estado"), max_length=20, choices=MotionState.choices, default=MotionState.PENDING, db_index=True
    )
    result = models.CharField(_("resultado"), max_length=20, choices=MotionResult.choices, blank=True)
    required_percent = models.DecimalField(
        _("mayoría requerida (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Se fija al abrir la votación según el órgano y el asunto."),
    )
    qualified = models.BooleanField(_("mayoría calificada"), default=False)
    majority_base = models.CharField(
        _("base de la mayoría"),
        max_length=20,
        choices=MajorityBase.choices,
        blank=True,
        help_text=_("Se fija al abrir la votación según el órgano."),
    )
    opened_at = models.DateTimeField(_("apertura"), null=True, blank=True)
    closed_at = models.DateTimeField(_("cierre"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("a favor"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("en contra"), default=0)
    abstentions = models.PositiveSmallIntegerField(_("abstenciones"), default=0)
    present_voting_members = models.PositiveSmallIntegerField(_("integrantes con voto presentes"), default=0)
    voting_members = models.PositiveSmallIntegerField(
        _("integrantes con voto del órgano"), default=0, help_text=_("Se fija al abrir la votación.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("votación")
        verbose_name_plural = _("votaciones")
        ordering = ["agenda_item", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=MotionState.CLOSED) | ~Q(result=""), name="motion_closed_has_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.get_state_display()}"


class VoteOption(models.TextChoices):
    YES = "a_favor", _("A favor")
    NO = "en_contra", _("En contra")
    ABSTAIN = "abstencion", _("Abstención")


class Vote(models.Model):
    """How one member voted on one motion. The database guarantees one vote per member per motion."""

    # PROTECT: votes are the decision record.
    motion = models.ForeignKey(Motion, verbose_name=_("votación"), on_delete=models.PROTECT, related_name="votes")
    # PROTECT: each vote names its voter for ever.
    voter = models.ForeignKey(Person, verbose_name=_("integrante"), on_delete=models.PROTECT, related_name="votes")
    # PROTECT: the seat (role, sector) from which the vote was cast.
    membership = models.ForeignKey(
        Membership, verbose_name=_("membresía"), on_delete=models.PROTECT, related_name="votes"
    )
    option = models.CharField(_("sentido del voto"), max_length=20, choices=VoteOption.choices)
    cast_at = models.DateTimeField(_("emitido el"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voto")
        verbose_name_plural = _("votos")
        ordering = ["motion", "voter__sort_name"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "voter"], name="vote_one_per_member_per_motion"),
        ]

    def __str__(self) -> str:
        return f"{self.voter}: {self.get_option_display()}"

    @classmethod
    def history_names(cls, pks: Iterable[int]) -> dict[int, str]:
        """History names a vote by its voter («voto de Ana López»): one query."""
        rows = cls._base_manager.filter(pk__in=pks).values_list("pk", "voter__name")
        return {pk: gettext("voto de %(person)s") % {"person": name} for pk, name in rows}


class Resolution(models.Model):
    """An acuerdo, numbered per body and year."""

    # PROTECT: resolutions are the body's public record.
    body = models.ForeignKey(Body, verbose_name=_("órgano"), on_delete=models.PROTECT, related_name="resolutions")
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))
    # PROTECT: a resolution names the session where it was adopted.
    session = models.ForeignKey(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="resolutions")
    # PROTECT: the vote that produced a resolution stays attached.
    motion = models.OneToOneField(
        Motion, verbose_name=_("votación"), on_delete=models.PROTECT, null=True, blank=True, related_name="resolution"
    )
    text = limited_text(_("texto del acuerdo"), max_length=LONG_TEXT)
    adopted_on = models.DateField(_("fecha"))
    content_hash = models.CharField(_("huella del contenido"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="resolution_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.body} · {_('Acuerdo')} {self.number}/{self.year}"

    def hashed_content(self) -> dict[str, object]:
        """What the tamper-evidence hash covers."""
        return {
            "body": self.body_id,
            "year": self.year,
            "number": self.number,
            "session": self.session_id,
            "motion": self.motion_id,
            "text": self.text,
            "adopted_on": self.adopted_on,
        }


class MinutesState(models.TextChoices):
    DRAFT = "borrador", _("Borrador")
    APPROVED = "aprobada", _("Aprobada")
    PUBLISHED = "publicada", _("Publicada")


class Minutes(models.Model):
    """The acta of a session: drafted by the secretary, approved by vote in a later session, then frozen."""

    # PROTECT: the minutes belong to their session for ever.
    session = models.OneToOneField(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="minutes")
    text = limited_text(_("texto del acta"), max_length=LONG_TEXT)
    state = models.CharField(_("estado"), max_length=20, choices=MinutesState.choices, default=MinutesState.DRAFT)
    # PROTECT: the session that approved the minutes is part of their validity.
    approved_in = models.ForeignKey(
        Session,
        verbose_name=_("aprobada en la sesión"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    published_at = models.DateTimeField(_("publicada el"), null=True, blank=True)
    content_hash = models.CharField(_("huella del contenido"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acta")
        verbose_name_plural = _("actas")

    def __str__(self) -> str:
        return f"{_('Acta')} · {self.session}"

    def hashed_content(self) -> dict[str, object]:
        """What the tamper-evidence hash covers."""
        return {"session": self.session_id, "text": self.text, "approved_in": self.approved_in_id}


# --- Knowing what you vote on: the version frozen on the agenda, documents, the meeting packet ---------------------


class FrozenSubject(models.Model):
    """The exact version of an agenda point's subject that the session decides on, frozen when the point is set.

    ``fingerprint`` is the owning app's hash of the subject's content (``approvals.ApprovalRule.fingerprint``): a vote
    is opened and closed only while the subject still has it. ``snapshot`` is what members read (label, the data of
    the version, its differences from the version in force), kept as it was frozen; its shape is described in
    ``councils.approvals``. Re-frozen only by the body's secretary before the session starts.
    """

    # PROTECT: what a session decided on is part of its record.
    agenda_item = models.OneToOneField(
        AgendaItem, verbose_name=_("punto del orden del día"), on_delete=models.PROTECT, related_name="frozen"
    )
    label = models.CharField(_("versión bajo votación"), max_length=300)
    fingerprint = models.CharField(_("huella del contenido"), max_length=64, blank=True)
    snapshot = models.JSONField(_("contenido congelado"), default=dict, blank=True)
    frozen_at = models.DateTimeField(_("congelada el"))
    # PROTECT: who froze the version stays in the record; users are deactivated, not deleted.
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("congelada por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        verbose_name = _("versión congelada de un punto")
        verbose_name_plural = _("versiones congeladas de los puntos")

    def __str__(self) -> str:
        return self.label


class DocumentKind(models.TextChoices):
    """What an agenda document may be, by the MIME type read from its content."""

    PDF = "application/pdf", "PDF"
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"
    WEBP = "image/webp", "WebP"
    GIF = "image/gif", "GIF"


def agenda_document_path(instance: AgendaDocument, filename: str) -> str:
    """A random name under the session's folder: nothing guessable, nothing taken from the uploader's name."""
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sesiones/{instance.agenda_item.session_id}/{secrets.token_urlsafe(16)}.{extension}"


class AgendaDocument(models.Model):
    """A document attached to an agenda point (PDF, spreadsheet, text, image), its type read from its content."""

    # PROTECT: a document belongs to its agenda point; it is removed only through the service.
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("punto del orden del día"), on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(_("archivo"), upload_to=agenda_document_path, max_length=200)
    original_name = models.CharField(_("nombre del archivo"), max_length=200)
    content_type = models.CharField(_("tipo"), max_length=100, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("agregado el"), default=timezone.now)
    # PROTECT: who attached a document stays in the record.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agregado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("documento de un punto")
        verbose_name_plural = _("documentos de los puntos")
        ordering = ["agenda_item", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class SessionPacket(models.Model):
    """The meeting packet of a session as one PDF, laid out once for each state of the session and its agenda.

    ``fingerprint`` is the hash of everything the packet shows (``councils.packets.packet_data``): a change of the
    session, its agenda, a frozen version or a document gives a new fingerprint and a new packet; earlier packets
    stay as the record of what members received.
    """

    # PROTECT: a packet documents what members received for the session.
    session = models.ForeignKey(Session, verbose_name=_("sesión"), on_delete=models.PROTECT, related_name="packets")
    fingerprint = models.CharField(_("huella del contenido"), max_length=64)
    file = models.FileField(_("archivo"), max_length=255)
    sha256 = models.CharField(_("huella SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("tamaño en bytes"))
    pages = models.PositiveSmallIntegerField(_("páginas"), default=0)
    generated_at = models.DateTimeField(_("generado el"))

    class Meta:
        verbose_name = _("paquete de la sesión")
        verbose_name_plural = _("paquetes de las sesiones")
        ordering = ["session", "-generated_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "fingerprint"], name="session_packet_once_per_content"),
        ]

    def __str__(self) -> str:
        return self.file.name
