"""Forms of the plan's workspace. They validate input and carry the concurrency token; services decide and write.

Each edit form remembers what the person saw when it opened (``opened``, a signed snapshot of its fields) so the
service can tell them if someone else saved in between (see ``implan.concurrency``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from councils.models import Body, BodyKind
from implan.concurrency import MISSING_TOKEN, read_token, token_for
from implan.models import AdministrationTerm, Agency
from indicators.models import Indicator
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)

MARKDOWN_HELP = _("Texto con formato (Markdown): **negritas**, *cursivas*, listas con «-» y enlaces.")


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PlanPartForm(forms.ModelForm):
    """A model form with the optimistic-concurrency token of the record it edits."""

    opened = forms.CharField(widget=forms.HiddenInput, required=False)
    requires_token = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["opened"] = token_for(self.instance, self._meta.fields)
        for name in getattr(self, "markdown_fields", ()):
            self.fields[name].help_text = MARKDOWN_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Editing a record without the snapshot would skip the conflict check and overwrite someone else's save.
        if self.requires_token and self.instance.pk and not data.get("opened"):
            self.add_error(None, MISSING_TOKEN)
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values of the model's fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def seen(self) -> dict[str, str] | None:
        return read_token(self.cleaned_data.get("opened", ""))


class StrategicPlanForm(PlanPartForm):
    markdown_fields = ("summary",)

    class Meta:
        model = StrategicPlan
        fields = ["title", "summary", "horizon_year"]
        widgets = {"summary": _textarea(8)}


class VisionForm(PlanPartForm):
    markdown_fields = ("statement",)
    # The vision form both creates and edits: no token means it opened before any vision existed, and the view
    # compares with that empty snapshot, so a vision saved meanwhile by someone else is still a conflict.
    requires_token = False

    class Meta:
        model = Vision
        fields = ["statement", "horizon_year"]
        widgets = {"statement": _textarea(5)}


class VertienteForm(PlanPartForm):
    markdown_fields = ("description",)

    class Meta:
        model = Vertiente
        fields = ["name", "description"]
        widgets = {"description": _textarea(4)}


class StrategyForm(PlanPartForm):
    markdown_fields = ("description",)

    class Meta:
        model = Strategy
        fields = ["number", "name", "vertiente", "commission", "description"]
        widgets = {"description": _textarea(8)}

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["vertiente"].queryset = plan.vertientes.order_by("order")
        self.fields["commission"].queryset = Body.objects.of_kind(BodyKind.STRATEGY_COMMISSION).order_by("name")

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if self.plan.strategies.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Otra estrategia de este plan ya tiene el número %(n)s."), params={"n": number}
            )
        return number


class ObjectiveForm(PlanPartForm):
    markdown_fields = ("description",)

    class Meta:
        model = Objective
        fields = ["number", "title", "description"]
        widgets = {"description": _textarea(5)}

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy = strategy

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if self.strategy.objectives.filter(number=number).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Otro objetivo de esta estrategia ya tiene el número %(n)s."), params={"n": number}
            )
        return number


class GoalForm(PlanPartForm):
    class Meta:
        model = Goal
        fields = ["description", "indicator", "baseline_value", "baseline_year", "target_value", "target_year"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.order_by("code")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        baseline, target = data.get("baseline_year"), data.get("target_year")
        if baseline and target and target < baseline:
            self.add_error("target_year", _("El año meta no puede ser anterior al año de la línea base."))
        return data


class ProgrammeForm(PlanPartForm):
    markdown_fields = ("description",)

    class Meta:
        model = Programme
        fields = ["code", "name", "strategy", "objective", "agency", "description"]
        widgets = {"description": _textarea(8)}

    def __init__(self, *args: Any, strategies: QuerySet[Strategy], planner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = strategies.select_related("plan").order_by("plan__slug", "number")
        self.fields["strategy"].label_from_instance = lambda s: f"{s.number}. {s.name} ({s.plan.title})"
        self.fields["objective"].queryset = (
            Objective.objects.filter(strategy__in=strategies)
            .select_related("strategy")
            .order_by("strategy__number", "number")
        )
        self.fields["objective"].label_from_instance = lambda o: f"{o.strategy.number}.{o.number} {o.title}"
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        if not planner:  # a commission's programme always serves one of its strategies
            self.fields["strategy"].required = True
        if self.instance.pk:  # the code names every version of a programme
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not self.instance.pk and Programme.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Ya existe un programa con la clave %(code)s."), params={"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        strategy, objective = data.get("strategy"), data.get("objective")
        if objective is not None and (strategy is None or objective.strategy_id != strategy.pk):
            self.add_error("objective", _("El objetivo debe ser de la estrategia elegida."))
        return data


class DiagnosisForm(PlanPartForm):
    markdown_fields = ("summary",)

    class Meta:
        model = Diagnosis
        fields = ["title", "summary"]
        widgets = {"summary": _textarea(8)}


class DiagnosisSectionForm(PlanPartForm):
    markdown_fields = ("body",)

    class Meta:
        model = DiagnosisSection
        fields = ["title", "body", "indicators"]
        widgets = {"body": _textarea(12), "indicators": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = Indicator.objects.order_by("family", "code")


class GovernmentPlanForm(PlanPartForm):
    markdown_fields = ("summary",)

    class Meta:
        model = GovernmentPlan
        fields = ["title", "summary", "programmes"]
        widgets = {"summary": _textarea(8), "programmes": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes
        no_strategy = _("sin estrategia")  # outside the f-string, where makemessages (xgettext) finds it
        self.fields["programmes"].label_from_instance = lambda p: (
            f"{p} · {p.strategy.name if p.strategy_id else no_strategy}"
        )


class GovernmentPlanCreateForm(GovernmentPlanForm):
    class Meta(GovernmentPlanForm.Meta):
        fields = ["administration_term", "title", "summary", "programmes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["administration_term"].queryset = AdministrationTerm.objects.order_by("-start_date")

    def clean_administration_term(self) -> AdministrationTerm:
        term = self.cleaned_data["administration_term"]
        if GovernmentPlan.objects.filter(administration_term=term).exists():
            raise forms.ValidationError(_("Esta administración ya tiene programa de gobierno."))
        return term


class DiagnosisCreateForm(DiagnosisForm):
    class Meta(DiagnosisForm.Meta):
        fields = ["plan", "title", "summary"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = StrategicPlan.objects.order_by("slug", "-version")
        self.fields["plan"].label_from_instance = lambda p: f"{p.title} · {_('versión')} {p.version}"
