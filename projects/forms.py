"""Forms of the portfolio's workspace. They validate the shape of the input; the services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from councils.models import Body, Membership
from implan.concurrency import OpenedMixin, rows_snapshot
from implan.formatting import account_name
from implan.limits import text_limit
from implan.models import RETIRED_STATES, Agency, Territory, TerritoryKind
from planning.models import BudgetLine, Programme, Strategy
from projects import services
from projects.models import (
    AgencyLiaison,
    Assessment,
    Milestone,
    ProgressUpdate,
    Project,
    ProjectSector,
    ProjectStatus,
    ScoringCriterion,
)
from projects.sdg import SDG_GOALS
from projects.services import CriterionSetting, ProjectData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLACE_KINDS = (
    TerritoryKind.DELEGACION,
    TerritoryKind.COLONIA,
    TerritoryKind.LOCALIDAD,
    TerritoryKind.MUNICIPIO,
)


class StrategyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return f"{obj.number}. {obj.name}"


class TerritoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Territory) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


def _coordinate(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=9,
        decimal_places=6,
        required=False,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )


class ProjectFieldsForm(forms.Form):
    """The fields a proposal and a planner's edit share."""

    title = forms.CharField(label=_("Título del proyecto"), max_length=250)
    problem = forms.CharField(
        label=_("Problema que atiende"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=text_limit(Project, "problem"),
        help_text=_("Qué pasa hoy, a quién afecta y dónde."),
    )
    description = forms.CharField(
        label=_("Descripción de la propuesta"),
        required=False,
        max_length=text_limit(Project, "description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Qué se haría. Puede usar formato Markdown."),
    )
    strategy = StrategyChoiceField(
        Strategy.objects.none(),
        label=_("Estrategia a la que sirve"),
        required=False,
        empty_label=_("— Elija una estrategia —"),
    )
    territory = TerritoryChoiceField(
        Territory.objects.none(), label=_("Territorio"), required=False, empty_label=_("— Elija el territorio —")
    )
    latitude = _coordinate(_("Latitud"), _("En grados decimales, p. ej. 21.122; puede marcar el punto en el mapa."))
    longitude = _coordinate(_("Longitud"), _("En grados decimales, negativa en México, p. ej. -101.684."))
    beneficiaries = forms.IntegerField(label=_("Personas beneficiarias (estimado)"), required=False)
    estimated_cost = forms.DecimalField(
        label=_("Costo estimado (MXN)"),
        required=False,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("— Sin precisar —")), *ProjectSector.choices]
    )

    field_order = [
        "title",
        "problem",
        "description",
        "strategy",
        "territory",
        "sector",
        "beneficiaries",
        "estimated_cost",
        "latitude",
        "longitude",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.of_published_plans().order_by("number")
        self.fields["territory"].queryset = (
            Territory.objects.places_of_home().filter(kind__in=PLACE_KINDS).order_by("kind", "name")
        )

    def project_data(self, **extra: Any) -> ProjectData:
        d = self.cleaned_data
        return ProjectData(
            title=d["title"],
            problem=d["problem"],
            description=d["description"],
            strategy=d["strategy"],
            territory=d["territory"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            beneficiaries=d["beneficiaries"],
            estimated_cost=d["estimated_cost"],
            sector=d["sector"],
            **extra,
        )


class ProposalForm(ProjectFieldsForm):
    body = forms.ModelChoiceField(
        Body.objects.none(),
        label=_("Órgano que propone"),
        empty_label=None,
        help_text=_("El consejo o la comisión en cuyo nombre propone."),
    )
    field_order = ["body", *ProjectFieldsForm.field_order]

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(pk__in=[m.body_id for m in memberships]).order_by("name")


class ProjectEditForm(OpenedMixin, ProjectFieldsForm):
    programme = forms.ModelChoiceField(Programme.objects.none(), label=_("Programa"), required=False)
    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True).order_by("name"), label=_("Dependencia responsable"), required=False
    )
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("Objetivos de Desarrollo Sostenible"),
        required=False,
        coerce=int,
        choices=[(n, format_lazy("{}. {}", n, label)) for n, label in SDG_GOALS.items()],  # lazy: per reader
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label=_("Motivo del cambio"), max_length=250, required=False)
    field_order = [
        "title",
        "problem",
        "description",
        "strategy",
        "programme",
        "agency",
        "sdg_goals",
        "territory",
        "sector",
        "beneficiaries",
        "estimated_cost",
        "latitude",
        "longitude",
        "reason",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.exclude(state__in=RETIRED_STATES).order_by("code")

    @classmethod
    def for_project(cls, project: Project, data: Any = None) -> ProjectEditForm:
        initial: dict[str, Any] = {name: getattr(project, name) for name in services.EDITABLE_FIELDS}
        initial |= {
            "strategy": project.strategy_id,
            "territory": project.territory_id,
            "programme": project.programme_id,
            "agency": project.agency_id,
        }
        form = cls(data, initial=initial)
        form.remember(project, services.EDITABLE_FIELDS)
        return form

    def project_data(self, **extra: Any) -> ProjectData:
        d = self.cleaned_data
        return super().project_data(programme=d["programme"], agency=d["agency"], sdg_goals=d["sdg_goals"], **extra)


class AssessmentForm(forms.Form):
    """One 0–100 rating per active criterion, plus notes."""

    notes = forms.CharField(
        label=_("Observaciones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=text_limit(Assessment, "notes"),
    )

    def __init__(self, *args: Any, criteria: list[ScoringCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s (peso %(weight)s)") % {"name": criterion.name, "weight": criterion.weight},
                min_value=0,
                max_value=100,
                help_text=criterion.description,
                widget=forms.NumberInput(attrs={"step": "1", "min": "0", "max": "100"}),
            )
        self.order_fields([f"c{c.pk}" for c in criteria] + ["notes"])

    def ratings(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class CriteriaForm(OpenedMixin):
    """A weight (0–100) and an "in force" box per scoring criterion."""

    def __init__(self, *args: Any, criteria: list[ScoringCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.remember_snapshot(rows_snapshot(criteria, services.CRITERION_FIELDS))
        for c in criteria:
            self.fields[f"peso_{c.pk}"] = forms.DecimalField(
                label=_("Peso de «%(name)s»") % {"name": c.name},
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=c.weight,
                help_text=c.description,
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "100"}),
            )
            self.fields[f"vigente_{c.pk}"] = forms.BooleanField(
                label=_("«%(name)s» está vigente") % {"name": c.name}, required=False, initial=c.is_active
            )

    def criterion_settings(self) -> dict[int, CriterionSetting]:
        return {
            c.pk: CriterionSetting(
                weight=self.cleaned_data[f"peso_{c.pk}"], is_active=self.cleaned_data[f"vigente_{c.pk}"]
            )
            for c in self.criteria
        }


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=ProjectStatus.choices)
    reason = forms.CharField(
        label=_("Motivo"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("Fecha del reporte"), widget=DATE)
    physical_progress = forms.DecimalField(
        label=_("Avance físico acumulado (%)"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    amount_spent = forms.DecimalField(
        label=_("Monto ejercido acumulado (MXN)"),
        max_digits=16,
        decimal_places=2,
        initial=Decimal("0"),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    narrative = forms.CharField(
        label=_("Qué se hizo"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=text_limit(ProgressUpdate, "narrative"),
    )
    decrease_reason = forms.CharField(
        label=_("Motivo, si el avance es menor que el anterior"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=text_limit(ProgressUpdate, "decrease_reason"),
    )
    files = MultipleFileField(
        label=_("Evidencias (fotos o PDF)"),
        required=False,
        help_text=_("JPEG, PNG, WebP, GIF o PDF; hasta 10 archivos."),
    )


class MilestoneForm(OpenedMixin):
    title = forms.CharField(label=_("Hito"), max_length=250)
    planned_date = forms.DateField(label=_("Fecha programada"), widget=DATE)
    actual_date = forms.DateField(
        label=_("Fecha real"), required=False, widget=DATE, help_text=_("Déjela vacía mientras no se cumpla.")
    )

    @classmethod
    def for_milestone(cls, milestone: Milestone | None, data: Any = None) -> MilestoneForm:
        """A new milestone's form, or an existing one's with what it says now."""
        if milestone is None:
            return cls(data)
        form = cls(data, initial={name: getattr(milestone, name) for name in services.MILESTONE_FIELDS})
        form.remember(milestone, services.MILESTONE_FIELDS)
        return form

    def milestone_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in services.MILESTONE_FIELDS}


class BudgetLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, line: BudgetLine) -> str:
        from implan.money import format_mxn
        from projects.services import line_capacity

        free = line_capacity(line) - (line.allocated or 0)
        available = _("disponible")  # outside the f-string, where makemessages (xgettext) finds it
        return f"{line.budget} · {line.programme.code} · {line.get_chapter_display()} · {available} {format_mxn(free)}"


class AllocationForm(forms.Form):
    budget_line = BudgetLineChoiceField(BudgetLine.objects.none(), label=_("Línea presupuestal"))
    amount = forms.DecimalField(
        label=_("Monto asignado (MXN)"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = lines


class LiaisonGrantForm(forms.Form):
    """The administration names who reports for an agency, among the accounts with the liaison role."""

    user = forms.ModelChoiceField(
        queryset=None,
        label=_("Enlace"),
        empty_label=_("Elija una cuenta"),
        help_text=_("Solo aparecen las cuentas activas con el rol «Enlace de dependencia»."),
        error_messages={
            "required": _("Elija la cuenta que reportará por la dependencia."),
            "invalid_choice": _("Esa cuenta ya no se puede elegir; elija otra de la lista."),
        },
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        label=_("Dependencia"),
        empty_label=_("Elija una dependencia"),
        help_text=_(
            "El enlace reporta el avance de todos los proyectos de la dependencia, los actuales y los que "
            "se le asignen después."
        ),
        error_messages={
            "required": _("Elija la dependencia por la que reportará."),
            "invalid_choice": _("Esa dependencia ya no se puede elegir; elija otra de la lista."),
        },
    )

    def __init__(self, data: Any = None, *, candidates: Any) -> None:
        super().__init__(data)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = account_name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user, agency = data.get("user"), data.get("agency")
        if user and agency and AgencyLiaison.objects.filter(user=user, agency=agency).exists():
            raise forms.ValidationError(
                _("%(user)s ya es enlace de %(agency)s.") % {"user": account_name(user), "agency": agency}
            )
        return data
