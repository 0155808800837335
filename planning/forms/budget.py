"""Forms of the budget, the annual report and the evaluation. They validate input; the services decide and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.limits import text_limit
from implan.models import Agency, FiscalYear, LifecycleState
from planning import services
from planning.models import (
    AnnualReport,
    Budget,
    BudgetLine,
    Evaluation,
    EvaluationFinding,
    FindingKind,
    FundingSource,
    Goal,
    Programme,
    ReportSection,
    SpendingChapter,
    StrategicPlan,
    Strategy,
)

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal("0")}
# Instruments that still count: a budget line or an evaluation does not point at a replaced version.
CURRENT_STATES = [LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.PUBLISHED]


def _money(label: str, **kwargs: object) -> forms.DecimalField:
    return forms.DecimalField(label=label, **MONEY, widget=forms.NumberInput(attrs={"step": "0.01"}), **kwargs)


class BudgetCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(FiscalYear.objects.filter(is_closed=False).order_by("-year"),
                                         label=_("Ejercicio fiscal"))
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Presupuesto de egresos 2027."))
    ceiling = _money(_("Techo presupuestal (MXN)"),
                     help_text=_("Monto total autorizado; la suma de las líneas no puede rebasarlo."))


class BudgetEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)
    ceiling = _money(_("Techo presupuestal (MXN)"))

    @classmethod
    def for_budget(cls, budget: Budget, data: object = None) -> BudgetEditForm:
        form = cls(data, initial={"title": budget.title, "ceiling": budget.ceiling})
        form.remember(budget, services.BUDGET_FIELDS)
        return form


class BudgetLineForm(OpenedMixin):
    programme = forms.ModelChoiceField(Programme.objects.filter(state__in=CURRENT_STATES).order_by("code"),
                                       label=_("Programa"))
    agency = forms.ModelChoiceField(Agency.objects.filter(is_active=True), label=_("Dependencia"), required=False,
                                    help_text=_("Si la deja vacía, se usa la dependencia responsable del programa."))
    chapter = forms.ChoiceField(label=_("Capítulo del gasto"), choices=SpendingChapter.choices)
    funding_source = forms.ChoiceField(label=_("Fuente de financiamiento"), choices=FundingSource.choices)
    description = forms.CharField(label=_("Concepto"), max_length=300, required=False)
    approved_amount = _money(_("Monto aprobado (MXN)"))

    @classmethod
    def for_line(cls, line: BudgetLine, data: object = None) -> BudgetLineForm:
        form = cls(data, initial={name: getattr(line, name) for name in services.LINE_FIELDS})
        form.remember(line, services.LINE_FIELDS)
        return form

    def clean(self) -> dict:
        data = super().clean()
        programme = data.get("programme")
        if programme is not None and data.get("agency") is None:
            if programme.agency_id is None:
                self.add_error("agency", _("El programa no tiene dependencia responsable: elija una."))
            else:
                data["agency"] = programme.agency
        return data

    def line_data(self, line: BudgetLine | None = None) -> services.LineData:
        """A draft's line starts its modified amount at the approved one; what was executed is kept as it was."""
        data = self.cleaned_data
        return services.LineData(
            programme=data["programme"], agency=data["agency"], chapter=data["chapter"],
            funding_source=data["funding_source"], description=data["description"],
            approved_amount=data["approved_amount"], modified_amount=data["approved_amount"],
            executed_amount=line.executed_amount if line else Decimal("0"))


class ExecutionForm(OpenedMixin):
    modified_amount = _money(_("Presupuesto modificado (MXN)"),
                             help_text=_("Aprobado más ampliaciones y menos reducciones (adecuaciones)."))
    executed_amount = _money(_("Ejercido (MXN)"), help_text=_("Lo pagado y devengado a la fecha."))
    reason = forms.CharField(label=_("Motivo del registro"), max_length=200,
                             help_text=_("Por ejemplo: Cierre del tercer trimestre, oficio de Tesorería 123/2025."))

    @classmethod
    def for_line(cls, line: BudgetLine, data: object = None) -> ExecutionForm:
        form = cls(data, initial={"modified_amount": line.modified_amount, "executed_amount": line.executed_amount})
        form.remember(line, services.EXECUTION_FIELDS)
        return form

    def execution_data(self) -> services.ExecutionData:
        data = self.cleaned_data
        return services.ExecutionData(modified_amount=data["modified_amount"],
                                      executed_amount=data["executed_amount"], reason=data["reason"])


class ProgrammeCeilingForm(forms.Form):
    programme = forms.ModelChoiceField(Programme.objects.filter(state__in=CURRENT_STATES).order_by("code"),
                                       label=_("Programa"))
    amount = _money(_("Asignación del programa (MXN)"),
                    help_text=_("Las líneas del programa, juntas, no podrán rebasar este monto."))


class AnnualReportCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(FiscalYear.objects.order_by("-year"), label=_("Ejercicio fiscal"))
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Informe anual 2026."))


class AnnualReportEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)

    @classmethod
    def for_report(cls, report: AnnualReport, data: object = None) -> AnnualReportEditForm:
        form = cls(data, initial={"title": report.title})
        form.remember(report, services.TITLE_FIELDS)
        return form


class ReportSectionForm(OpenedMixin):
    order = forms.IntegerField(label=_("Orden"), min_value=1, max_value=999,
                               help_text=_("Las secciones de una estrategia van dentro de su capítulo; las generales "
                                           "con orden menor que 100 van antes de los capítulos (presentación) y las "
                                           "de 100 en adelante, al final (conclusiones)."))
    title = forms.CharField(label=_("Título"), max_length=250)
    strategy = forms.ModelChoiceField(Strategy.objects.none(), label=_("Estrategia"), required=False,
                                      help_text=_("Déjela vacía para una sección general (presentación, "
                                                  "conclusiones)."))
    body = forms.CharField(label=_("Texto"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           max_length=text_limit(ReportSection, "body"),
                           help_text=_("Texto con formato (Markdown): **negritas**, listas con guiones, "
                                       "## subtítulos."))

    def __init__(self, *args: object, strategies: QuerySet | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if strategies is not None:
            self.fields["strategy"].queryset = strategies

    @classmethod
    def for_section(cls, section: ReportSection, data: object = None, **kwargs: object) -> ReportSectionForm:
        form = cls(data, initial={"order": section.order, "title": section.title, "strategy": section.strategy,
                                  "body": section.body}, **kwargs)
        form.remember(section, services.SECTION_FIELDS)
        return form

    def section_data(self) -> services.SectionData:
        data = self.cleaned_data
        return services.SectionData(order=data["order"], title=data["title"], body=data["body"],
                                    strategy=data["strategy"])


class EvaluationCreateForm(forms.Form):
    plan = forms.ModelChoiceField(StrategicPlan.objects.filter(
        state__in=sorted(services.EVALUABLE_PLAN_STATES)).order_by("-horizon_year", "-version"),
        label=_("Plan evaluado"))
    fiscal_year = forms.ModelChoiceField(FiscalYear.objects.order_by("-year"), label=_("Ejercicio fiscal"),
                                         help_text=_("Se toman las observaciones de los indicadores hasta ese año."))
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Evaluación 2026."))


class EvaluationEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)

    @classmethod
    def for_evaluation(cls, evaluation: Evaluation, data: object = None) -> EvaluationEditForm:
        form = cls(data, initial={"title": evaluation.title})
        form.remember(evaluation, services.TITLE_FIELDS)
        return form


class FindingForm(OpenedMixin):
    kind = forms.ChoiceField(label=_("Tipo"), choices=FindingKind.choices, widget=forms.RadioSelect,
                             initial=FindingKind.FINDING)
    goal = forms.ModelChoiceField(Goal.objects.none(), label=_("Meta"), required=False,
                                  help_text=_("Opcional: la meta a la que se refiere."))
    text = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=text_limit(EvaluationFinding, "text"))

    def __init__(self, *args: object, goals: QuerySet | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if goals is not None:
            self.fields["goal"].queryset = goals

    @classmethod
    def for_finding(cls, finding: EvaluationFinding, data: object = None, **kwargs: object) -> FindingForm:
        form = cls(data, initial={"kind": finding.kind, "goal": finding.goal, "text": finding.text}, **kwargs)
        form.remember(finding, services.FINDING_FIELDS)
        return form

    def finding_data(self) -> services.FindingData:
        data = self.cleaned_data
        return services.FindingData(kind=data["kind"], text=data["text"], goal=data["goal"])

