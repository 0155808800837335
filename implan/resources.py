"""Import/export resources of the catalogues; natural keys so re-imports update instead of duplicating."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Agency, Territory


class TerritoryResource(resources.ModelResource):
    parent = fields.Field(attribute="parent", column_name="parent", widget=ForeignKeyWidget(Territory, "code"))

    class Meta:
        model = Territory
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "inegi_code", "parent", "area_type", "latitude", "longitude",
                  "population", "population_year"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        rollback_on_validation_errors = True


class AgencyResource(resources.ModelResource):
    class Meta:
        model = Agency
        import_id_fields = ["slug"]
        fields = ["slug", "name", "acronym", "is_active"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        rollback_on_validation_errors = True
