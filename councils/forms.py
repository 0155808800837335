"""Forms of the councils' workspace. They validate input; the services decide and write.

The forms that edit what is stored (a membership, the attendance, the minutes) carry the snapshot of what the
person saw when they opened them (``implan.concurrency``), so the service can tell them when someone saved since.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils import approvals, selectors
from councils.models import (
    AgendaItem,
    AttendanceStatus,
    Body,
    MajorityBase,
    Membership,
    MembershipRole,
    Minutes,
    Motion,
    Person,
    ReplyAnswer,
    Sector,
    Session,
    SessionKind,
    VoteOption,
)
from councils.services import memberships as membership_services
from councils.services import minutes as minutes_services
from councils.services import renewal as renewal_services
from councils.services import rules as rules_services
from councils.services import sessions as session_services
from councils.services.rules import VotingRules
from implan.concurrency import OpenedMixin, snapshot
from implan.formatting import account_name
from implan.limits import TEXT, text_limit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembershipAddForm(forms.Form):
    person = forms.ModelChoiceField(
        Person.objects.order_by("sort_name", "name"),
        label=_("Persona"),
        required=False,
        help_text=_("Elija a una persona registrada o escriba el nombre de una nueva."),
    )
    new_person_name = forms.CharField(label=_("Nombre de una persona nueva"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Cargo"), choices=MembershipRole.choices, initial=MembershipRole.COUNCILLOR)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    has_vote = forms.BooleanField(label=_("Con voto"), required=False, initial=True)
    start_date = forms.DateField(label=pgettext_lazy("start date", "Inicio"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("person") and not data.get("new_person_name", "").strip():
            raise forms.ValidationError(_("Elija a una persona o escriba el nombre de una nueva."))
        if data.get("person") and data.get("new_person_name", "").strip():
            raise forms.ValidationError(_("Elija a una persona o escriba un nombre nuevo, no ambas cosas."))
        return data


class MembershipEndForm(OpenedMixin):
    end_date = forms.DateField(label=_("Fecha de término"), widget=DATE)
    reason = forms.CharField(label=_("Motivo"), max_length=200)

    @classmethod
    def for_membership(cls, membership: Membership, data: Any = None) -> MembershipEndForm:
        form = cls(data, initial={"end_date": timezone.localdate()})
        form.remember(membership, membership_services.MEMBERSHIP_FIELDS)
        return form

    def end_data(self) -> dict[str, Any]:
        return {"end_date": self.cleaned_data["end_date"], "reason": self.cleaned_data["reason"]}


class MembershipChangeForm(OpenedMixin):
    role = forms.ChoiceField(label=_("Nuevo cargo"), choices=MembershipRole.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    has_vote = forms.BooleanField(label=_("Con voto"), required=False, initial=True)
    on = forms.DateField(label=_("A partir de"), widget=DATE)

    @classmethod
    def for_membership(cls, membership: Membership, data: Any = None) -> MembershipChangeForm:
        form = cls(
            data,
            initial={
                "role": membership.role,
                "sector": membership.sector,
                "has_vote": membership.has_vote,
                "on": timezone.localdate(),
            },
        )
        form.remember(membership, membership_services.MEMBERSHIP_FIELDS)
        return form

    def change_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("role", "sector", "has_vote", "on")}


class RenewalForm(OpenedMixin):
    """A new term, or the correction of the renewal recorded in advance: the form starts from that renewal and
    remembers it (or that there was none), so a second secretary saving an older copy is told what changed."""

    name = forms.CharField(label=_("Nombre del nuevo periodo"), max_length=80, help_text=_("Por ejemplo: 2027–2030."))
    start_date = forms.DateField(label=_("Inicio del periodo"), widget=DATE)
    end_date = forms.DateField(label=_("Fin del periodo"), widget=DATE)
    continuing = forms.ModelMultipleChoiceField(
        Membership.objects.none(),
        label=_("Integrantes ciudadanos que continúan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joining = forms.ModelMultipleChoiceField(
        Person.objects.order_by("sort_name", "name"),
        label=_("Personas registradas que se integran"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    new_names = forms.CharField(
        label=_("Personas nuevas que se integran"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un nombre por renglón."),
    )

    def __init__(self, *args: Any, outgoing: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        continuing = cast(forms.ModelMultipleChoiceField, self.fields["continuing"])
        continuing.queryset = outgoing
        # An instance's own label function, as Django's docs allow; the stubs only know the method.
        continuing.label_from_instance = lambda m: m.person.name  # type: ignore[method-assign, assignment]

    @classmethod
    def for_renewal(cls, renewal: selectors.ScheduledRenewal | None, data: Any = None, *, outgoing: Any) -> RenewalForm:
        form = cls(data, outgoing=outgoing, initial=selectors.renewal_initial(renewal=renewal, outgoing=outgoing))
        form.remember_snapshot(selectors.renewal_snapshot(renewal))
        return form

    def renewal_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "continuing": list(data["continuing"]),
            "joining": [renewal_services.Joiner(person=person) for person in data["joining"]],
            "new_names": data["new_names"],
        }

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] <= data["start_date"]:
            self.add_error("end_date", _("El periodo debe terminar después de empezar."))
        data["new_names"] = [n.strip() for n in data.get("new_names", "").splitlines() if n.strip()]
        return data


class ConveneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de sesión"), choices=SessionKind.choices)
    scheduled_at = forms.DateTimeField(
        label=_("Fecha y hora"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("Lugar"), max_length=250)
    subjects = forms.MultipleChoiceField(
        label=_("Asuntos pendientes de aprobación de este órgano"), required=False, widget=forms.CheckboxSelectMultiple
    )
    late_reason = forms.CharField(
        label=_("Motivo de convocar fuera de plazo"),
        required=False,
        max_length=text_limit(Session, "late_notice_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Solo si la sesión queda dentro del plazo de convocatoria del órgano; los integrantes lo verán en la "
            "convocatoria."
        ),
    )

    def __init__(self, *args: Any, pending: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = {approvals.subject_key(s): s for s in pending}
        cast(forms.MultipleChoiceField, self.fields["subjects"]).choices = [
            (key, str(subject)) for key, subject in self.pending.items()
        ]


class RescheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=_("Nueva fecha y hora"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("Lugar o enlace"), max_length=250)
    reason = forms.CharField(
        label=_("Motivo del cambio"),
        max_length=text_limit(Session, "late_notice_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Los integrantes lo reciben con el aviso del cambio."),
    )


class NoticePeriodsForm(OpenedMixin):
    """A body's notice periods, with the snapshot of what the editor saw (``implan.concurrency``)."""

    notice_hours_ordinary = forms.IntegerField(
        label=_("Sesiones ordinarias (horas de anticipación)"), min_value=0, max_value=rules_services.MAX_NOTICE_HOURS
    )
    notice_hours_extraordinary = forms.IntegerField(
        label=_("Sesiones extraordinarias (horas de anticipación)"),
        min_value=0,
        max_value=rules_services.MAX_NOTICE_HOURS,
    )

    @classmethod
    def for_body(cls, body: Body, data: Any = None) -> NoticePeriodsForm:
        form = cls(
            data,
            initial={
                "notice_hours_ordinary": body.notice_hours_ordinary,
                "notice_hours_extraordinary": body.notice_hours_extraordinary,
            },
        )
        form.remember(body, rules_services.NOTICE_FIELDS)
        return form


class ReplyForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Su respuesta"),
        choices=ReplyAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elija «asistiré» o «no asistiré»."),
            "invalid_choice": _("Elija «asistiré» o «no asistiré»."),
        },
    )


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Asunto"), max_length=300)
    description = forms.CharField(
        label=_("Descripción"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=text_limit(AgendaItem, "description"),
    )
    for_decision = forms.BooleanField(label=_("Para acuerdo (se vota)"), required=False)
    qualified = forms.BooleanField(label=_("Requiere mayoría calificada"), required=False)


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3, max_num=30)


class AttendanceForm(OpenedMixin):
    def __init__(self, *args: Any, members: list[Membership], current: dict[int, str], **kwargs: Any) -> None:
        """``current``: the statuses recorded (membership id → status), which the form shows and remembers."""
        super().__init__(*args, **kwargs)
        self.members = members
        for membership in members:
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=membership.person.name,
                choices=AttendanceStatus.choices,
                initial=current.get(membership.pk, AttendanceStatus.PRESENT),
            )
        self.remember_snapshot(session_services.attendance_snapshot(current, members))

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.members}


class MotionOpenForm(forms.Form):
    text = forms.CharField(
        label=_("Propuesta de acuerdo"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=text_limit(Motion, "text"),
    )


class VoteForm(forms.Form):
    option = forms.ChoiceField(label=_("Su voto"), choices=VoteOption.choices, widget=forms.RadioSelect)


class MinutesForm(OpenedMixin):
    text = forms.CharField(
        label=_("Texto del acta"), widget=forms.Textarea(attrs={"rows": 12}), max_length=text_limit(Minutes, "text")
    )

    @classmethod
    def for_minutes(cls, minutes: Minutes | None, data: Any = None) -> MinutesForm:
        """Before any draft the person saw an empty acta: a draft saved meanwhile by someone else is a conflict."""
        form = cls(data, initial={"text": minutes.text if minutes else ""})
        form.remember_snapshot(snapshot(minutes, minutes_services.MINUTES_FIELDS) if minutes else {"text": ""})
        return form


class MotionCloseForm(forms.Form):
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la cancelación"),
        max_length=200,
        help_text=_("Queda en el historial de la sesión y lo leen los integrantes."),
    )


PERCENT: dict[str, Any] = {"min_value": Decimal("0"), "max_value": Decimal("100"), "max_digits": 5, "decimal_places": 2}


class VotingRulesForm(OpenedMixin):
    """A body's majorities, with the snapshot of the rules the editor saw (``implan.concurrency``)."""

    majority_base = forms.ChoiceField(label=_("Base de la mayoría simple"), choices=MajorityBase.choices)
    majority_percent = forms.DecimalField(
        label=_("Mayoría simple (%)"),
        **PERCENT,
        help_text=_("Se aprueba con más de este porcentaje de la base (50 = mitad más uno)."),
    )
    qualified_majority_base = forms.ChoiceField(label=_("Base de la mayoría calificada"), choices=MajorityBase.choices)
    qualified_majority_percent = forms.DecimalField(
        label=_("Mayoría calificada (%)"),
        **PERCENT,
        help_text=_(
            "Para los asuntos que la exigen: al menos este porcentaje de la base (66.67 = dos terceras partes)."
        ),
    )

    @classmethod
    def for_body(cls, body: Body, data: Any = None) -> VotingRulesForm:
        form = cls(data, initial=rules_services.VotingRules.of(body).as_data())
        form.remember(body, rules_services.VOTING_RULES_FIELDS)
        return form

    def rules(self) -> VotingRules:
        data = self.cleaned_data
        return VotingRules(
            majority_base=data["majority_base"],
            majority_percent=data["majority_percent"],
            qualified_majority_base=data["qualified_majority_base"],
            qualified_majority_percent=data["qualified_majority_percent"],
        )


class SecretaryGrantForm(forms.Form):
    """The administration names a body's technical secretary among the accounts with that role."""

    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        queryset=None,
        label=_("Cuenta"),
        empty_label=_("Elija una cuenta"),
        help_text=_("Solo aparecen las cuentas activas con el rol «Secretaría técnica» que aún no la tienen aquí."),
        error_messages={
            "required": _("Elija la cuenta que tendrá la secretaría técnica."),
            "invalid_choice": _("Esa cuenta ya no se puede elegir; elija otra de la lista."),
        },
    )

    def __init__(self, data: Any = None, *, candidates: Any) -> None:
        super().__init__(data)
        user = cast(forms.ModelChoiceField, self.fields["user"])
        user.queryset = candidates
        user.label_from_instance = account_name  # type: ignore[method-assign, assignment]  # as above


class AgendaDocumentForm(forms.Form):
    """A file for an agenda point; what it is, is read from its content by the service, not from its name."""

    file = forms.FileField(
        label=_("Documento"),
        help_text=_("PDF, XLSX, DOCX o imagen (JPEG, PNG, WebP, GIF)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.xlsx,.docx,.jpg,.jpeg,.png,.webp,.gif"}),
    )
