from django.contrib import admin

from implan.admin_base import PortalAdmin
from indicators import resources
from indicators.models import ImportJob, ImportRow, Indicator, Observation, SdgCode


@admin.register(SdgCode)
class SdgCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title_es"]
    list_filter = ["level"]
    search_fields = ["code", "title_es", "title_en"]


@admin.register(Indicator)
class IndicatorAdmin(PortalAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = ["code", "name", "family", "unit", "polarity", "frequency", "is_published"]
    list_filter = ["family", "polarity", "frequency", "is_published"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sdg_codes"]


@admin.register(Observation)
class ObservationAdmin(PortalAdmin):
    """Exported here; loaded only in the workspace (``/espacio/indicadores/cargas/``), whose import reads the files
    people really have (decimal commas, periods by frequency) and keeps who loaded which file."""

    resource_classes = [resources.ObservationResource]
    list_display = ["indicator", "territory", "period", "value", "status"]
    list_filter = ["status", "indicator__family"]
    search_fields = ["indicator__code", "territory__name", "period"]
    raw_id_fields = ["indicator", "territory", "loaded_by"]

    def has_import_permission(self, request: object) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only: files are loaded, confirmed and discarded in the workspace, through the services."""

    list_display = ["file_name", "created_by", "created_at", "state", "rows_total"]
    list_filter = ["state"]
    search_fields = ["file_name", "created_by__username"]
    exclude = ["content"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ImportRow)
class ImportRowAdmin(admin.ModelAdmin):
    """Staging rows of files under review, for diagnosing a load; read-only."""

    list_display = ["job", "line", "outcome", "raw_indicator", "raw_territory", "raw_period", "raw_value"]
    list_filter = ["outcome"]
    raw_id_fields = ["job"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
