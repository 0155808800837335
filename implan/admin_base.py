"""The base of every ModelAdmin in the portal: import/export plus the history view."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin


class PortalAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Admin with CSV/XLSX import-export (dry run first, all-or-nothing) and the record's history."""

    list_per_page = 50

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str,
                          extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # simple-history's revert saves the old row whole — lifecycle state, hash, weights and all — past every
        # service and read-only field. The history pages stay for reading; reverting is done from the portal's
        # audit log (``implan.services``), which refuses decisions, lifecycle fields and frozen instruments.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The "delete selected" action asks only whether the model may be deleted; admins that refuse some rows
        # (a closed session's agenda, a frozen plan's parts) are asked row by row.
        if any(not self.has_delete_permission(request, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class ReadOnlyAdminMixin:
    """For records that change only through the portal's services (decisions, event rows): look, never touch.

    Export stays available; import would write rows past the services, so it goes too.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_import_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline of service-only records, shown for context beside its parent."""

    extra = 0
