"""Import/export of indicators and observations keyed by natural keys (code; indicator × territory × period)."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Territory
from indicators.exporting import neutralise
from indicators.models import Indicator, Observation


class FormulaSafeResource(resources.ModelResource):
    """Admin exports neutralise text a spreadsheet would run as a formula (= + - @ tab), as the portal's do."""

    def export_field(self, field: fields.Field, instance: object, **kwargs: object) -> object:
        return neutralise(super().export_field(field, instance, **kwargs))


class IndicatorResource(FormulaSafeResource):
    class Meta:
        model = Indicator
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code"]
        fields = ["code", "name", "slug", "definition", "formula", "unit", "family", "theme", "polarity", "frequency",
                  "source", "territorial_level", "is_published"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class ObservationResource(FormulaSafeResource):
    indicator = fields.Field(attribute="indicator", column_name="indicator", widget=ForeignKeyWidget(Indicator, "code"))
    territory = fields.Field(attribute="territory", column_name="territory", widget=ForeignKeyWidget(Territory, "code"))

    class Meta:
        model = Observation
        import_id_fields = ["indicator", "territory", "period"]
        fields = ["indicator", "territory", "period", "period_start", "value", "status", "note"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        rollback_on_validation_errors = True
