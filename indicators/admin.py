from django.contrib import admin

from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin, ServiceWrittenAdminMixin
from indicators import resources
from indicators.models import (
    Category,
    Dimension,
    ImportJob,
    ImportRow,
    Indicator,
    Observation,
    SdgCode,
    UpdateReminder,
)


@admin.register(SdgCode)
class SdgCodeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The UN's list of goals and targets, loaded from its files (``indicators.sdg``), never edited by hand."""

    list_display = ["code", "level", "title_es"]
    list_filter = ["level"]
    search_fields = ["code", "title_es", "title_en"]


@admin.register(Indicator)
class IndicatorAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    """Created and changed in the workspace (``indicators.services``), which keeps a code that files already use and
    records who changed what; the catalogue's import saves each row through the same services."""

    resource_classes = [resources.IndicatorResource]
    list_display = ["code", "name", "family", "unit", "polarity", "frequency", "is_published"]
    list_filter = ["family", "polarity", "frequency", "is_published"]
    search_fields = ["code", "name"]
    filter_horizontal = ["sdg_codes"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Exported here; loaded only in the workspace (``/espacio/indicadores/cargas/``), whose import reads the files
    people really have (decimal commas, periods by frequency) and keeps who loaded which file. A wrong value is
    corrected by loading it again."""

    resource_classes = [resources.ObservationResource]
    list_display = ["indicator", "territory", "period", "value", "status"]
    list_filter = ["status", "indicator__family"]
    search_fields = ["indicator__code", "territory__name", "period"]
    raw_id_fields = ["indicator", "territory", "loaded_by"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: files are loaded, confirmed and discarded in the workspace, through the services."""

    list_display = ["file_name", "created_by", "created_at", "state", "rows_total"]
    list_filter = ["state"]
    search_fields = ["file_name", "created_by__username"]
    exclude = ["content"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Staging rows of files under review, for diagnosing a load; read-only."""

    list_display = ["job", "line", "outcome", "raw_indicator", "raw_territory", "raw_period", "raw_value"]
    list_filter = ["outcome"]
    raw_id_fields = ["job"]


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Declared in the workspace (``indicators.services.indicator_declare_breakdown``), which only adds: files and
    stored observations refer to a dimension's and its categories' identifiers."""

    list_display = ["indicator", "name", "slug", "order"]
    search_fields = ["indicator__code", "name"]


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Declared with its dimension in the workspace; read-only for the same reason."""

    list_display = ["dimension", "label", "slug", "order"]
    search_fields = ["dimension__indicator__code", "label"]


@admin.register(UpdateReminder)
class UpdateReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which update reminders were sent (``manage.py send_indicator_reminders``); read-only bookkeeping."""

    list_display = ["indicator", "due", "sent_at"]
    raw_id_fields = ["indicator"]
