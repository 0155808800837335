"""The base of every ModelAdmin in the portal: import/export plus the history view."""

from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin


class PortalAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Admin with CSV/XLSX import-export (dry run first, all-or-nothing) and the record's history."""

    list_per_page = 50
