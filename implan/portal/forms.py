"""Forms of the site layer: the audit log's filters (the audit itself, ``implan.history``, is core)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from implan.history import AuditFilter, audited_models
from implan.types import Label


def _model_choices() -> list[tuple[str, Label]]:
    return [("", _("Todos"))] + sorted(
        ((m._meta.label_lower, str(m._meta.verbose_name_plural).capitalize()) for m in audited_models()),
        key=lambda choice: choice[1],
    )


class AuditFilterForm(forms.Form):
    usuario = forms.ModelChoiceField(
        label=_("Usuario"),
        required=False,
        empty_label=_("Todos"),
        queryset=get_user_model().objects.order_by("username"),
        to_field_name="username",
    )
    tipo = forms.ChoiceField(label=_("Tipo de objeto"), required=False, choices=_model_choices)
    desde = forms.DateField(label=_("Desde"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hasta = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    texto = forms.CharField(
        label=_("Texto"),
        required=False,
        max_length=100,
        help_text=_("Busca en el motivo del cambio y en el nombre del objeto."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("desde") and data.get("hasta") and data["desde"] > data["hasta"]:
            raise forms.ValidationError(_("La fecha «desde» es posterior a la fecha «hasta»."))
        return data

    def criteria(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            user=data.get("usuario"),
            model_label=data.get("tipo") or "",
            date_from=data.get("desde"),
            date_to=data.get("hasta"),
            text=(data.get("texto") or "").strip(),
        )
