"""Forms of the consultation: the citizen's comment (with its robot checks) and the planners' workspace forms."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consultations.instruments import draft_instruments, instrument_from_choice
from consultations.models import (
    Comment,
    Consultation,
    DigestFrequency,
    Proposal,
    ProposalCall,
    ProposalState,
    RejectionReason,
    Section,
    Sector,
    Verdict,
)
from consultations.proposals import CALL_FIELDS
from consultations.services import EDITED_FIELDS
from implan.concurrency import OpenedMixin
from implan.limits import text_limit
from implan.models import LifecycleState, Territory, TerritoryKind
from planning.models import Strategy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
STAMP_SALT = "consultations.comment-form"
# A form older than this was not filled in by the person who sends it now (or was left open overnight).
STAMP_MAX_AGE = 12 * 60 * 60
CSV_MAX_BYTES = 2 * 1024 * 1024

ROBOT = _(
    "El comentario parece enviado de forma automática y no se guardó. Si usted lo escribió, espere unos segundos, "
    "recargue la página y envíelo de nuevo."
)


def form_stamp() -> str:
    """When the form was shown, signed: the time check needs no session and no third-party captcha."""
    return signing.dumps(time.time(), salt=STAMP_SALT)


class RobotChecks(forms.Form):
    """The honeypot and the time check of a form anyone may send (a comment, a proposal): no third-party captcha."""

    # The honeypot: hidden from people (CSS and aria-hidden), filled by robots that fill every field.
    website = forms.CharField(label=_("Deje este campo vacío"), required=False)
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["stamp"] = form_stamp()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(ROBOT, code="honeypot")
        try:
            shown = signing.loads(self.data.get("stamp", ""), salt=STAMP_SALT, max_age=STAMP_MAX_AGE)
        except signing.BadSignature:  # also SignatureExpired
            raise forms.ValidationError(ROBOT, code="stamp") from None
        if time.time() - float(shown) < settings.CONSULTATION_MIN_SECONDS:
            raise forms.ValidationError(ROBOT, code="too_fast")
        return cleaned


class CommentForm(RobotChecks):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Sección que comenta"), empty_label=None)
    author_name = forms.CharField(
        label=_("Nombre o seudónimo"), max_length=120, help_text=_("Se publica con su comentario.")
    )
    place = forms.CharField(
        label=_("Municipio o colonia"), max_length=120, help_text=_("Se publica, para saber de dónde opinan.")
    )
    sector = forms.ChoiceField(
        label=_("Participa como"),
        choices=Sector.choices,
        initial=Sector.CITIZENS,
        help_text=_("Para contar en el informe las aportaciones por sector."),
    )
    email = forms.EmailField(
        label=_("Correo electrónico (opcional)"),
        required=False,
        help_text=_("Nunca se publica ni se comparte; solo para responderle."),
    )
    text = forms.CharField(
        label=_("Comentario"), max_length=text_limit(Comment, "text"), widget=forms.Textarea(attrs={"rows": 6})
    )
    field_order = ["section", "author_name", "place", "sector", "email", "text", "website", "stamp"]

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = consultation.sections.all()


class ConsultationForm(OpenedMixin, forms.ModelForm):
    """A new consultation, or the edit of one in preparation (which carries the snapshot of what the planner saw)."""

    instrument = forms.ChoiceField(label=_("Versión en borrador que se consulta"), choices=())

    class Meta:
        model = Consultation
        fields = ["title", "starts_on", "ends_on", "rules"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "rules": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["instrument"]
            self.remember(self.instance, EDITED_FIELDS)
        else:
            self.fields["instrument"].choices = [("", "—"), *draft_instruments()]
            self.order_fields(["instrument"])

    def clean_instrument(self) -> Any:
        instrument = instrument_from_choice(self.cleaned_data["instrument"])
        if instrument is None:
            raise forms.ValidationError(_("Elija una versión en borrador."))
        return instrument


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decisión"), choices=[("aceptar", _("Publicar")), ("rechazar", _("Rechazar"))], widget=forms.RadioSelect
    )
    reason = forms.ChoiceField(
        label=_("Motivo del rechazo"), choices=[("", "—"), *RejectionReason.choices], required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "rechazar" and not cleaned.get("reason"):
            self.add_error("reason", _("Elija el motivo del rechazo de la lista."))
        return cleaned


class ForumForm(forms.Form):
    title = forms.CharField(label=_("Nombre del foro"), max_length=250)
    held_on = forms.DateField(label=_("Fecha"), widget=DATE)
    place = forms.CharField(label=_("Lugar"), max_length=250)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Sector.choices:
            self.fields[f"asistencia_{value}"] = forms.IntegerField(
                label=_("Asistentes: %(sector)s") % {"sector": label}, min_value=0, max_value=100_000, initial=0
            )

    def attendance(self) -> dict[str, int]:
        return {value: self.cleaned_data[f"asistencia_{value}"] or 0 for value in Sector.values}


class ContributionForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Sección"), empty_label=None)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    participant = forms.CharField(label=_("Participante (opcional)"), max_length=120, required=False)
    place = forms.CharField(label=_("Municipio o colonia (opcional)"), max_length=120, required=False)
    text = forms.CharField(label=_("Aportación"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = consultation.sections.all()


class ContributionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV de aportaciones"),
        help_text=_(
            "Columnas: seccion (número o título), sector, aportacion; opcionales: participante, colonia. "
            "Separado por comas o por punto y coma, en UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )

    def clean_file(self) -> bytes:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > CSV_MAX_BYTES:
            raise forms.ValidationError(_("El archivo pesa más de 2 MB; divídalo."))
        return uploaded.read()


class AnswerForm(OpenedMixin, forms.Form):
    """The answer to one contribution; it always carries the snapshot of the answer as shown (blank when none)."""

    editing = True
    verdict = forms.ChoiceField(label=_("Respuesta"), choices=Verdict.choices)
    reason = forms.CharField(label=_("Razón"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Conclusiones de la consulta"),
        required=False,
        max_length=text_limit(Consultation, "report_summary"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Encabezan el informe. Texto con formato (Markdown)."),
    )


class FollowForm(forms.Form):
    """Anyone follows a public thing by e-mail: the address and how often to be told."""

    email = forms.EmailField(
        label=_("Correo electrónico"), help_text=_("Nunca se publica ni se comparte; solo para enviarle el resumen.")
    )
    frequency = forms.ChoiceField(
        label=_("Frecuencia del resumen"), choices=DigestFrequency.choices, initial=DigestFrequency.WEEKLY
    )
    # The honeypot, as in the comment form.
    website = forms.CharField(label=_("Deje este campo vacío"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(ROBOT, code="honeypot")
        return cleaned


# --- Citizen proposals ---------------------------------------------------------------------------------------------


class ProposalForm(RobotChecks):
    """A citizen's proposal in an open call: the point comes from the map (or typed, for who cannot use one)."""

    title = forms.CharField(label=_("Título del proyecto"), max_length=200)
    description = forms.CharField(
        label=_("Descripción"),
        max_length=text_limit(Proposal, "description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Qué problema atiende, qué propone hacer y a quién beneficia."),
    )
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), label=_("Tema"), empty_label=None)
    territory = forms.ModelChoiceField(
        queryset=Territory.objects.none(), label=_("Colonia o territorio"), empty_label="—"
    )
    latitude = forms.DecimalField(
        label=_("Latitud"), max_digits=9, decimal_places=6, help_text=_("Haga clic en el mapa para llenarla.")
    )
    longitude = forms.DecimalField(label=_("Longitud"), max_digits=9, decimal_places=6)
    author_name = forms.CharField(
        label=_("Nombre o seudónimo"), max_length=120, help_text=_("Se publica con su propuesta.")
    )
    email = forms.EmailField(
        label=_("Correo electrónico (opcional)"),
        required=False,
        help_text=_("Nunca se publica ni se comparte; solo para informarle de su propuesta."),
    )
    field_order = [
        "title",
        "description",
        "strategy",
        "territory",
        "latitude",
        "longitude",
        "author_name",
        "email",
        "website",
        "stamp",
    ]

    def __init__(self, *args: Any, call: ProposalCall, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = call.strategies.order_by("number", "pk")
        accepted = call.territories.values("pk")
        self.fields["territory"].queryset = Territory.objects.filter(
            Q(pk__in=accepted) | Q(parent__in=accepted)
        ).order_by("name")
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})


class CallForm(OpenedMixin, forms.ModelForm):
    """A new call, or the edit of one in preparation (which carries the snapshot of what the planner saw)."""

    class Meta:
        model = ProposalCall
        fields = ["title", "starts_on", "ends_on", "rules", "territories", "strategies"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "rules": forms.Textarea(attrs={"rows": 8}),
            "territories": forms.SelectMultiple(attrs={"size": 8}),
            "strategies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The municipality's own places (not the state, the country or other municipalities loaded for comparisons).
        self.fields["territories"].queryset = (
            Territory.objects.places_of_home().exclude(kind=TerritoryKind.LOCALIDAD).order_by("kind", "name")
        )
        # The themes: the strategies of the plan in force (a superseded version is no longer «publicado»), and those
        # the call already names.
        chosen = self.instance.strategies.values("pk") if self.instance.pk else Strategy.objects.none().values("pk")
        self.fields["strategies"].queryset = Strategy.objects.filter(
            Q(plan__state=LifecycleState.PUBLISHED) | Q(pk__in=chosen)
        ).order_by("plan", "number")
        if self.instance.pk:
            self.remember(self.instance, CALL_FIELDS)


class ProposalStepForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Nuevo estado"),
        choices=[
            (ProposalState.FOR_ASSESSMENT, ProposalState.FOR_ASSESSMENT.label),
            (ProposalState.UNDER_ASSESSMENT, ProposalState.UNDER_ASSESSMENT.label),
            (ProposalState.NOT_VIABLE, ProposalState.NOT_VIABLE.label),
        ],
    )
    reason = forms.CharField(
        label=_("Razón (se publica; obligatoria si no es viable)"),
        required=False,
        max_length=text_limit(Proposal, "state_reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
