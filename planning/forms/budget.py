"""Forms of the annual budget: the budget, its lines, its programme ceilings and the execution. They validate input;
the services decide and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.models import Agency, FiscalYear, LifecycleState
from planning.models import Budget, BudgetLine, FundingSource, Programme, SpendingChapter
from planning.services import budget as budget_services

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal("0")}
# Instruments that still count: a budget line or an evaluation does not point at a replaced version.
CURRENT_STATES = [LifecycleState.DRAFT, LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.PUBLISHED]


def _money(label: str, **kwargs: object) -> forms.DecimalField:
    return forms.DecimalField(label=label, **MONEY, widget=forms.NumberInput(attrs={"step": "0.01"}), **kwargs)


class BudgetCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(
        FiscalYear.objects.filter(is_closed=False).order_by("-year"), label=_("Ejercicio fiscal")
    )
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Presupuesto de egresos 2027."))
    ceiling = _money(
        _("Techo presupuestal (MXN)"), help_text=_("Monto total autorizado; la suma de las líneas no puede rebasarlo.")
    )


class BudgetEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)
    ceiling = _money(_("Techo presupuestal (MXN)"))

    @classmethod
    def for_budget(cls, budget: Budget, data: object = None) -> BudgetEditForm:
        form = cls(data, initial={"title": budget.title, "ceiling": budget.ceiling})
        form.remember(budget, budget_services.BUDGET_FIELDS)
        return form


class BudgetLineForm(OpenedMixin):
    programme = forms.ModelChoiceField(
        Programme.objects.filter(state__in=CURRENT_STATES).order_by("code"), label=_("Programa")
    )
    agency = forms.ModelChoiceField(
        Agency.objects.filter(is_active=True),
        label=_("Dependencia"),
        required=False,
        help_text=_("Si la deja vacía, se usa la dependencia responsable del programa."),
    )
    chapter = forms.ChoiceField(label=_("Capítulo del gasto"), choices=SpendingChapter.choices)
    funding_source = forms.ChoiceField(label=_("Fuente de financiamiento"), choices=FundingSource.choices)
    description = forms.CharField(label=_("Concepto"), max_length=300, required=False)
    approved_amount = _money(_("Monto aprobado (MXN)"))

    @classmethod
    def for_line(cls, line: BudgetLine, data: object = None) -> BudgetLineForm:
        form = cls(data, initial={name: getattr(line, name) for name in budget_services.LINE_FIELDS})
        form.remember(line, budget_services.LINE_FIELDS)
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

    def line_data(self, line: BudgetLine | None = None) -> budget_services.LineData:
        """A draft's line starts its modified amount at the approved one; what was executed is kept as it was."""
        data = self.cleaned_data
        return budget_services.LineData(
            programme=data["programme"],
            agency=data["agency"],
            chapter=data["chapter"],
            funding_source=data["funding_source"],
            description=data["description"],
            approved_amount=data["approved_amount"],
            modified_amount=data["approved_amount"],
            executed_amount=line.executed_amount if line else Decimal("0"),
        )


class ExecutionForm(OpenedMixin):
    modified_amount = _money(
        _("Presupuesto modificado (MXN)"), help_text=_("Aprobado más ampliaciones y menos reducciones (adecuaciones).")
    )
    executed_amount = _money(_("Ejercido (MXN)"), help_text=_("Lo pagado y devengado a la fecha."))
    reason = forms.CharField(
        label=_("Motivo del registro"),
        max_length=200,
        help_text=_("Por ejemplo: Cierre del tercer trimestre, oficio de Tesorería 123/2025."),
    )

    @classmethod
    def for_line(cls, line: BudgetLine, data: object = None) -> ExecutionForm:
        form = cls(data, initial={"modified_amount": line.modified_amount, "executed_amount": line.executed_amount})
        form.remember(line, budget_services.EXECUTION_FIELDS)
        return form

    def execution_data(self) -> budget_services.ExecutionData:
        data = self.cleaned_data
        return budget_services.ExecutionData(
            modified_amount=data["modified_amount"], executed_amount=data["executed_amount"], reason=data["reason"]
        )


class ProgrammeCeilingForm(forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.filter(state__in=CURRENT_STATES).order_by("code"), label=_("Programa")
    )
    amount = _money(
        _("Asignación del programa (MXN)"),
        help_text=_("Las líneas del programa, juntas, no podrán rebasar este monto."),
    )
