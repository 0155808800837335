"""Forms of the councils' workspace. They validate input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from councils.models import (
    AgendaItem,
    AttendanceStatus,
    Membership,
    MembershipRole,
    Minutes,
    Motion,
    Person,
    Sector,
    SessionKind,
    VoteOption,
)
from implan.limits import TEXT, text_limit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MembershipAddForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.order_by("sort_name", "name"), label=_("Persona"), required=False,
                                    help_text=_("Elija a una persona registrada o escriba el nombre de una nueva."))
    new_person_name = forms.CharField(label=_("Nombre de una persona nueva"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Cargo"), choices=MembershipRole.choices, initial=MembershipRole.COUNCILLOR)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    has_vote = forms.BooleanField(label=_("Con voto"), required=False, initial=True)
    start_date = forms.DateField(label=pgettext_lazy("start date", "Inicio"), widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("person") and not data.get("new_person_name", "").strip():
            raise forms.ValidationError(_("Elija a una persona o escriba el nombre de una nueva."))
        if data.get("person") and data.get("new_person_name", "").strip():
            raise forms.ValidationError(_("Elija a una persona o escriba un nombre nuevo, no ambas cosas."))
        return data


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("Fecha de término"), widget=DATE)
    reason = forms.CharField(label=_("Motivo"), max_length=200)


class MembershipChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("Nuevo cargo"), choices=MembershipRole.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    has_vote = forms.BooleanField(label=_("Con voto"), required=False, initial=True)
    on = forms.DateField(label=_("A partir de"), widget=DATE)


class RenewalForm(forms.Form):
    name = forms.CharField(label=_("Nombre del nuevo periodo"), max_length=80, help_text=_("Por ejemplo: 2027–2030."))
    start_date = forms.DateField(label=_("Inicio del periodo"), widget=DATE)
    end_date = forms.DateField(label=_("Fin del periodo"), widget=DATE)
    continuing = forms.ModelMultipleChoiceField(
        Membership.objects.none(), label=_("Integrantes ciudadanos que continúan"), required=False,
        widget=forms.CheckboxSelectMultiple)
    joining = forms.ModelMultipleChoiceField(
        Person.objects.order_by("sort_name", "name"), label=_("Personas registradas que se integran"), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}))
    new_names = forms.CharField(label=_("Personas nuevas que se integran"), required=False, max_length=TEXT,
                                widget=forms.Textarea(attrs={"rows": 5}), help_text=_("Un nombre por renglón."))

    def __init__(self, *args: object, outgoing: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["continuing"].queryset = outgoing
        self.fields["continuing"].label_from_instance = lambda m: m.person.name

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] <= data["start_date"]:
            self.add_error("end_date", _("El periodo debe terminar después de empezar."))
        data["new_names"] = [n.strip() for n in data.get("new_names", "").splitlines() if n.strip()]
        return data


class ConveneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo de sesión"), choices=SessionKind.choices)
    scheduled_at = forms.DateTimeField(label=_("Fecha y hora"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), input_formats=["%Y-%m-%dT%H:%M"])
    place = forms.CharField(label=_("Lugar"), max_length=250)
    subjects = forms.MultipleChoiceField(label=_("Asuntos pendientes de aprobación de este órgano"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, pending: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.pending = {f"{s._meta.label_lower}:{s.pk}": s for s in pending}
        self.fields["subjects"].choices = [(key, str(subject)) for key, subject in self.pending.items()]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Asunto"), max_length=300)
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  max_length=text_limit(AgendaItem, "description"))
    for_decision = forms.BooleanField(label=_("Para acuerdo (se vota)"), required=False)
    qualified = forms.BooleanField(label=_("Requiere mayoría calificada"), required=False)


AgendaFormSet = forms.formset_factory(AgendaItemForm, extra=3, max_num=30)


class AttendanceForm(forms.Form):
    def __init__(self, *args: object, members: list[Membership], current: dict[int, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        for membership in members:
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=membership.person.name, choices=AttendanceStatus.choices,
                initial=current.get(membership.pk, AttendanceStatus.PRESENT))

    def statuses(self) -> dict[int, str]:
        return {m.pk: self.cleaned_data[f"m{m.pk}"] for m in self.members}


class MotionOpenForm(forms.Form):
    text = forms.CharField(label=_("Propuesta de acuerdo"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=text_limit(Motion, "text"))


class VoteForm(forms.Form):
    option = forms.ChoiceField(label=_("Su voto"), choices=VoteOption.choices, widget=forms.RadioSelect)


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Texto del acta"), widget=forms.Textarea(attrs={"rows": 12}),
                           max_length=text_limit(Minutes, "text"))
