"""Forms of a programme's MIR in the workspace: a row (level, componente, resumen narrativo, medios de verificación,
supuestos), an indicator of a row (the catalogue's indicator with the MIR's dimension, baseline and annual
targets) and a variable of an indicator's method. They validate input; ``planning.services.mir`` decides and writes."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from planning.forms.plan import PlanPartForm, _textarea
from planning.models import Programme
from planning.models.mir import MirIndicator, MirIndicatorVariable, MirLevel, MirRow, parse_targets


class MirRowForm(PlanPartForm):
    class Meta:
        model = MirRow
        fields = ["level", "parent", "summary", "verification", "assumptions"]
        widgets = {"summary": _textarea(3), "verification": _textarea(3), "assumptions": _textarea(3)}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        parent = self.fields["parent"]
        parent.queryset = programme.mir_rows.filter(level=MirLevel.COMPONENTE).order_by("order")
        parent.label_from_instance = lambda row: f"{row.order}. {row.summary[:80]}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level, parent = data.get("level"), data.get("parent")
        if level == MirLevel.ACTIVIDAD and parent is None:
            self.add_error("parent", _("Elija el componente al que contribuye esta actividad."))
        if level and level != MirLevel.ACTIVIDAD and parent is not None:
            self.add_error("parent", _("Solo una actividad pertenece a un componente; deje este campo vacío."))
        return data


class TargetsField(forms.CharField):
    """Annual targets typed one a line as «año: valor» (e.g. «2025: 45.5»), stored as {"2025": "45.5"}."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "2025: 40\n2026: 45"})

    def __init__(self, *, encoder: Any = None, decoder: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # the model's JSONField offers its encoder and decoder: the text needs neither

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, dict):
            return "\n".join(f"{year}: {target}" for year, target in value.items())
        return str(value or "")

    def to_python(self, value: Any) -> dict[str, str]:
        text = super().to_python(value)
        targets: dict[str, str] = {}
        for line in filter(None, (line.strip() for line in text.splitlines())):
            year, sep, target = line.partition(":")
            if not sep:
                raise ValidationError(_("Escriba cada meta en su línea como «año: valor», por ejemplo «2025: 40»."))
            try:
                Decimal(target.strip().replace(",", ""))
            except InvalidOperation as error:
                raise ValidationError(_("La meta de %(y)s no es un número.") % {"y": year.strip()}) from error
            if year.strip() in targets:
                raise ValidationError(_("El año %(y)s aparece dos veces.") % {"y": year.strip()})
            targets[year.strip()] = target.strip().replace(",", "")
        return parse_targets(targets)


class MirIndicatorForm(PlanPartForm):
    class Meta:
        model = MirIndicator
        fields = ["indicator", "dimension", "baseline_value", "baseline_year", "targets"]
        field_classes = {"targets": TargetsField}
        help_texts = {"targets": _("Una meta por línea: «año: valor», por ejemplo «2025: 40».")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only published indicators: the MIR is public with its programme, and so is each indicator it names.
        self.fields["indicator"].queryset = Indicator.objects.published().order_by("code")
        self.fields["indicator"].help_text = _(
            "Un indicador del catálogo: su definición, método de cálculo, unidad, periodicidad, sentido y "
            "dependencia responsable se editan en el catálogo de indicadores."
        )


class MirVariableForm(PlanPartForm):
    """A new variable of a MIR indicator's method (variables are added and removed, never edited)."""

    class Meta:
        model = MirIndicatorVariable
        fields = ["symbol", "description", "unit", "source"]
        widgets = {"source": _textarea(2)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        link = self.instance.link
        # The symbol must be one the formula writes: show the formula where the symbol is typed.
        self.fields["symbol"].help_text = _("Como aparece en el método de cálculo de %(i)s: «%(f)s».") % {
            "i": link.indicator.code,
            "f": link.indicator.formula,
        }
