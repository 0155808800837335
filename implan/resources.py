"""Import/export resources of the catalogues; natural keys so re-imports update instead of duplicating."""

from import_export import fields

from implan.models import Agency, Territory
from implan.resources_base import KeyWidget, PortalResource


class TerritoryResource(PortalResource):
    parent = fields.Field(attribute="parent", column_name="parent", widget=KeyWidget(Territory, "code"))

    class Meta:
        model = Territory
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "inegi_code",
            "parent",
            "area_type",
            "latitude",
            "longitude",
            "population",
            "population_year",
            "population_source",
            "cve_ent",
            "cve_mun",
            "cve_loc",
        ]


class AgencyResource(PortalResource):
    class Meta:
        model = Agency
        import_id_fields = ["slug"]
        fields = ["slug", "name", "acronym", "is_active"]
