"""Forms of the evaluation: the evaluation of a plan and its findings and recommendations. They validate input;
the services decide and write."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.limits import text_limit
from implan.models import FiscalYear
from planning.models import Evaluation, EvaluationFinding, FindingKind, Goal, StrategicPlan
from planning.services import evaluation as evaluation_services


class EvaluationCreateForm(forms.Form):
    plan = forms.ModelChoiceField(
        StrategicPlan.objects.filter(state__in=sorted(evaluation_services.EVALUABLE_PLAN_STATES)).order_by(
            "-horizon_year", "-version"
        ),
        label=_("Plan evaluado"),
    )
    fiscal_year = forms.ModelChoiceField(
        FiscalYear.objects.order_by("-year"),
        label=_("Ejercicio fiscal"),
        help_text=_("Se toman las observaciones de los indicadores hasta ese año."),
    )
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Evaluación 2026."))


class EvaluationEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)

    @classmethod
    def for_evaluation(cls, evaluation: Evaluation, data: object = None) -> EvaluationEditForm:
        form = cls(data, initial={"title": evaluation.title})
        form.remember(evaluation, evaluation_services.EVALUATION_FIELDS)
        return form


class FindingForm(OpenedMixin):
    kind = forms.ChoiceField(
        label=_("Tipo"), choices=FindingKind.choices, widget=forms.RadioSelect, initial=FindingKind.FINDING
    )
    goal = forms.ModelChoiceField(
        Goal.objects.none(), label=_("Meta"), required=False, help_text=_("Opcional: la meta a la que se refiere.")
    )
    text = forms.CharField(
        label=_("Texto"), widget=forms.Textarea(attrs={"rows": 5}), max_length=text_limit(EvaluationFinding, "text")
    )

    def __init__(self, *args: object, goals: QuerySet | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if goals is not None:
            self.fields["goal"].queryset = goals

    @classmethod
    def for_finding(cls, finding: EvaluationFinding, data: object = None, **kwargs: object) -> FindingForm:
        form = cls(data, initial={"kind": finding.kind, "goal": finding.goal, "text": finding.text}, **kwargs)
        form.remember(finding, evaluation_services.FINDING_FIELDS)
        return form

    def finding_data(self) -> evaluation_services.FindingData:
        data = self.cleaned_data
        return evaluation_services.FindingData(kind=data["kind"], text=data["text"], goal=data["goal"])
