"""Import/export of indicators and observations keyed by natural keys (code; indicator × territory × period).

Indicators are imported through ``indicators.services`` (who may edit the catalogue, a code that stays while it has
data). Observations are exported here but loaded only in the workspace (``/espacio/indicadores/cargas/``), whose
import checks periods, territories and number formats and keeps the file's history.
"""

from typing import Any

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Territory
from implan.resources_base import IMPORT_REASON, ServiceResource
from indicators import services
from indicators.exporting import neutralise
from indicators.models import Indicator, Observation


class FormulaSafeExport:
    """Admin exports neutralise text a spreadsheet would run as a formula (= + - @ tab), as the portal's do."""

    def export_field(self, field: fields.Field, instance: object, **kwargs: object) -> object:
        return neutralise(super().export_field(field, instance, **kwargs))


class IndicatorResource(FormulaSafeExport, ServiceResource):
    # The service makes the slug from code and name: exported, never imported.
    slug = fields.Field(attribute="slug", column_name="slug", readonly=True)
    filled_by_service = ("slug",)

    class Meta:
        model = Indicator
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "slug",
            "definition",
            "formula",
            "unit",
            "family",
            "theme",
            "polarity",
            "frequency",
            "source",
            "territorial_level",
            "is_published",
        ]

    def save_through_service(self, instance: Indicator, *, is_create: bool, actor: Any) -> Indicator:
        data = {name: getattr(instance, name) for name in services.INDICATOR_FIELDS}
        if is_create:
            return services.indicator_create(actor=actor, data=data)
        stored = Indicator.objects.get(pk=instance.pk)
        return services.indicator_update(actor=actor, indicator=stored, data=data, reason=str(IMPORT_REASON))


class ObservationResource(FormulaSafeExport, resources.ModelResource):
    """Export only (see the module's docstring)."""

    indicator = fields.Field(attribute="indicator", column_name="indicator", widget=ForeignKeyWidget(Indicator, "code"))
    territory = fields.Field(attribute="territory", column_name="territory", widget=ForeignKeyWidget(Territory, "code"))

    class Meta:
        model = Observation
        fields = ["indicator", "territory", "period", "period_start", "value", "status", "note"]
