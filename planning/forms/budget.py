"""Forms of the annual budget: the budget, its lines, its programme ceilings and the execution. They validate input;
the services decide and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.errors import DomainError
from implan.models import Agency, FiscalYear, LifecycleState
from planning.conac import STAGES
from planning.models import Budget, BudgetLine, ConacCatalogue, ConacEntry, FundingSource, Programme
from planning.services import budget as budget_services
from planning.services import execution as execution_services

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


class DatalistInput(forms.TextInput):
    """A text input that suggests a catalogue's codes as one types (a native <datalist>: searchable by code or name
    on every browser, no script); what is sent is the code."""

    def __init__(self, catalogue: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", "inputmode": "text", "spellcheck": "false", **(attrs or {})})
        self.catalogue = catalogue

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        list_id = f"{(attrs or {}).get('id', name)}-opciones"
        entries = ConacEntry.objects.for_lines(self.catalogue).values_list("code", "name")
        options = format_html_join("", '<option value="{}">{} {}</option>', ((c, c, n) for c, n in entries))
        field = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class CodeField(forms.CharField):
    """A catalogue code typed or picked from the list: "2110 Materiales, útiles…" is read as "2110"."""

    def __init__(self, catalogue: str, **kwargs: Any) -> None:
        super().__init__(max_length=300, widget=DatalistInput(catalogue), **kwargs)
        self.catalogue = catalogue

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        code = text.split()[0] if text.strip() else ""
        return code.upper() if self.catalogue == ConacCatalogue.PROGRAMMATIC else code

    def validate(self, value: Any) -> None:
        """The code checked beside its field (the service checks it again, under its transaction)."""
        super().validate(value)
        try:
            budget_services.conac_entry(self.catalogue, value)
        except DomainError as error:
            raise forms.ValidationError(error.message) from None


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
    partida = CodeField(
        ConacCatalogue.OBJECT,
        label=_("Partida genérica (Clasificador por Objeto del Gasto)"),
        help_text=_("Escriba la clave o parte del nombre y elija, p. ej. 2110; el capítulo y el concepto se deducen."),
    )
    specific_partida = forms.CharField(
        label=_("Partida específica (opcional)"),
        max_length=5,
        required=False,
        help_text=_("Cinco dígitos que empiezan con los de la partida genérica, p. ej. 21101."),
    )
    subfunction = CodeField(
        ConacCatalogue.FUNCTIONAL,
        label=_("Subfunción (Clasificación Funcional)"),
        help_text=_("P. ej. 2.2.1 Urbanización; la finalidad y la función se deducen."),
    )
    modality = CodeField(
        ConacCatalogue.PROGRAMMATIC,
        label=_("Modalidad del programa presupuestario (Clasificación Programática)"),
        help_text=_("Una letra, p. ej. E Prestación de servicios públicos o K Proyectos de inversión."),
    )
    source = CodeField(
        ConacCatalogue.FUNDING,
        label=_("Fuente de financiamiento (CONAC)"),
        help_text=_("P. ej. 11 Recursos fiscales (no etiquetado) o 25 Recursos federales (etiquetado)."),
    )
    funding_source = forms.ChoiceField(label=_("Fondo o tipo de recurso"), choices=FundingSource.choices)
    description = forms.CharField(label=_("Concepto"), max_length=300, required=False)
    approved_amount = _money(_("Monto aprobado (MXN)"))

    @classmethod
    def for_line(cls, line: BudgetLine, data: object = None) -> BudgetLineForm:
        initial = {name: getattr(line, name) for name in budget_services.LINE_FIELDS}
        for name in ("partida", "subfunction", "modality", "source"):
            initial[name] = initial[name].code if initial[name] else ""
        form = cls(data, initial=initial)
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
            chapter="",  # derived from the partida by the service
            funding_source=data["funding_source"],
            partida=data["partida"],
            specific_partida=data["specific_partida"],
            subfunction=data["subfunction"],
            modality=data["modality"],
            source=data["source"],
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


class StagesForm(OpenedMixin):
    """A line's stages accumulated from January 1 to the end of a quarter (the quarter is the page's)."""

    modified = _money(_("Modificado (MXN)"), help_text=_("Aprobado más ampliaciones y menos reducciones."))
    committed = _money(_("Comprometido (MXN)"), help_text=_("Contratos y compromisos formalizados."))
    accrued = _money(_("Devengado (MXN)"), help_text=_("Bienes y servicios recibidos."))
    exercised = _money(_("Ejercido (MXN)"), help_text=_("Cuentas por liquidar emitidas."))
    paid = _money(_("Pagado (MXN)"), help_text=_("Pagos hechos."))

    @classmethod
    def for_quarter(cls, line: BudgetLine, quarter: int, data: object = None) -> StagesForm:
        execution = line.executions.filter(quarter=quarter).first()
        initial: dict[str, Any] = {"modified": line.modified_amount}
        form = cls(data, initial=initial)
        if execution is not None:
            form.initial.update({name: getattr(execution, name) for name, _label in STAGES})
            form.remember(execution, execution_services.STAGE_FIELDS)
        return form

    def stage_data(self) -> execution_services.StageData:
        return execution_services.StageData(**{name: self.cleaned_data[name] for name, _label in STAGES})
