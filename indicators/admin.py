from django.contrib import admin

from implan.admin_base import PortalAdmin
from indicators import resources
from indicators.models import Indicator, Observation, SdgCode


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
    resource_classes = [resources.ObservationResource]
    list_display = ["indicator", "territory", "period", "value", "status"]
    list_filter = ["status", "indicator__family"]
    search_fields = ["indicator__code", "territory__name", "period"]
    raw_id_fields = ["indicator", "territory", "loaded_by"]
