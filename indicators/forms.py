"""Forms of the indicators workspace: the catalogue, file uploads and export selections."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.models import Territory
from indicators import services
from indicators.models import Family, Indicator, Observation, RatePer, SdgCode

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$", _("Use letras sin acentos, números, punto, guion o guion bajo (p. ej. SUS-01).")
)


class SdgChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SdgCode) -> str:
        return obj.label


class IndicatorForm(OpenedMixin, forms.ModelForm):
    sdg_codes = SdgChoiceField(
        label=_("Alineación ODS"),
        required=False,
        queryset=SdgCode.objects.order_by("sort_key"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Objetivos, metas o indicadores de la lista oficial de la ONU (Ctrl o ⌘ para elegir varios)."),
    )
    reason = forms.CharField(
        label=_("Motivo del cambio"), required=False, max_length=200, help_text=_("Queda en el historial.")
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "definition",
            "formula",
            "unit",
            "family",
            "theme",
            "polarity",
            "frequency",
            "source",
            "territorial_level",
            "owner",
            "responsible_person",
            "publication_lag_months",
            "is_published",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 4}), "formula": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].validators.append(CODE_VALIDATOR)
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        self.fields["responsible_person"].queryset = people  # type: ignore[attr-defined]
        self.fields["publication_lag_months"].required = False  # empty: the source publishes as the period ends
        if self.instance.pk:
            self.fields["sdg_codes"].initial = list(self.instance.sdg_codes.values_list("pk", flat=True))
            self.remember(self.instance, services.EDITED_FIELDS)
        else:
            del self.fields["reason"]

    def clean_publication_lag_months(self) -> int:
        return self.cleaned_data.get("publication_lag_months") or 0

    def data_for_service(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class BreakdownForm(forms.Form):
    name = forms.CharField(
        label=_("Desagregación"),
        max_length=60,
        help_text=_("Como la escribe el encabezado de la columna en los archivos: «sexo», «grupo de edad»."),
    )
    categories = forms.CharField(
        label=_("Categorías"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Una por línea, o separadas por comas: «Mujeres, Hombres»."),
    )

    def category_list(self) -> list[str]:
        text = self.cleaned_data["categories"].replace("\n", ",")
        return [label.strip()[:80] for label in text.split(",") if label.strip()]


class RateForm(forms.Form):
    numerator = forms.ModelChoiceField(
        label=_("Tasa de"), queryset=Indicator.objects.filter(rate_per__isnull=True).order_by("code")
    )
    denominator = forms.ModelChoiceField(
        label=_("Por población de"), queryset=Indicator.objects.filter(rate_per__isnull=True).order_by("code")
    )
    per = forms.TypedChoiceField(label=_("Por cada"), choices=RatePer.choices, coerce=int)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV o XLSX"),
        help_text=_(
            "Columnas: indicador, territorio (clave INEGI o del portal), periodo, valor; opcionales: nota, "
            "estatus (preliminar o definitivo)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        limit = settings.INDICATOR_IMPORT_MAX_BYTES
        if uploaded.size > limit:  # refused before reading it into memory
            raise forms.ValidationError(
                _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
                % {"size": round(uploaded.size / 1048576, 1), "max": round(limit / 1048576, 1)}
            )
        return uploaded


class ExportForm(forms.Form):
    FORMATS = [("csv", "CSV"), ("xlsx", "XLSX (Excel)")]

    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicadores"),
        required=False,
        queryset=Indicator.objects.order_by("code"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Ninguno: todos."),
    )
    family = forms.ChoiceField(label=_("Familia"), required=False, choices=[("", _("Todas")), *Family.choices])
    territories = forms.ModelMultipleChoiceField(
        label=_("Territorios"),
        required=False,
        # Only territories with data: a national catalogue loaded for comparisons must not fill the list.
        queryset=Territory.objects.filter(pk__in=Observation.objects.values("territory_id")).order_by("kind", "name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Ninguno: todos."),
    )
    year_from = forms.IntegerField(label=_("Desde el año"), required=False, min_value=1900, max_value=2100)
    year_to = forms.IntegerField(label=_("Hasta el año"), required=False, min_value=1900, max_value=2100)
    fmt = forms.ChoiceField(label=_("Formato"), choices=FORMATS, initial="csv", widget=forms.RadioSelect)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise forms.ValidationError(_("El año inicial es posterior al final."))
        return data


class TerritoryUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catálogo del INEGI (CSV, XLSX o el zip que publica el INEGI)"),
        help_text=_(
            "Columnas como las publica el INEGI: CVE_ENT, NOM_ENT, CVE_MUN, NOM_MUN, CVE_LOC, NOM_LOC, AMBITO, "
            "LAT_DECIMAL, LON_DECIMAL, POB_TOTAL (mayúsculas o minúsculas, con o sin acentos; claves con o sin "
            "ceros a la izquierda)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt,.zip"}),
    )
    population_year = forms.IntegerField(
        label=_("Año del dato de población"), min_value=1900, max_value=2100, initial=2020, required=False
    )
    population_source = forms.CharField(
        label=_("Fuente del dato de población"),
        max_length=200,
        initial="INEGI, Censo de Población y Vivienda 2020",
        required=False,
    )

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        limit = settings.TERRITORY_IMPORT_MAX_BYTES
        if uploaded.size > limit:  # refused before reading it into memory
            raise forms.ValidationError(
                _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
                % {"size": round(uploaded.size / 1048576, 1), "max": round(limit / 1048576, 1)}
            )
        return uploaded


class BoundaryForm(forms.Form):
    file = forms.FileField(
        label=_("Límite en GeoJSON"),
        help_text=_("Un Polygon o MultiPolygon (o un Feature con uno) en coordenadas WGS84 (longitud, latitud)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json"}),
    )
    source = forms.CharField(
        label=_("Fuente del límite"),
        max_length=300,
        help_text=_("Quién publica el polígono y dónde, p. ej. «INEGI, Marco Geoestadístico 2020»."),
    )

    def clean_file(self) -> object:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("El límite pesa más de 5 MB; simplifíquelo antes de subirlo."))
        return uploaded
