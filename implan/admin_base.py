"""The base of every ModelAdmin in the portal: import/export plus the history view."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.results import Result, RowResult
from simple_history.admin import SimpleHistoryAdmin

from implan.resources_base import PortalResource


class PortalAdmin(ImportExportModelAdmin, SimpleHistoryAdmin):
    """Admin with CSV/XLSX export, the record's history and, where a ``PortalResource`` guards the rows, import.

    Import-export offers import on every admin, with a resource made up from the model that writes any column
    (lifecycle state, account links…) without the model's validation. Here only admins that declare resources of
    ``implan.resources_base`` import: their rows obey the workspace's rules and are refused in Spanish.
    """

    list_per_page = 50

    def has_import_permission(self, request: HttpRequest) -> bool:
        declared = list(self.resource_classes or [])
        guarded = bool(declared) and all(issubclass(r, PortalResource) for r in declared)
        return guarded and super().has_import_permission(request)

    def process_result(self, result: Result, request: HttpRequest) -> HttpResponse:
        # The confirmation repeats the preview's work; if something changed in between (another person saved a
        # member, a budget was approved) it refuses too, rolls everything back, and the rows say why.
        if result.has_errors() or result.has_validation_errors():
            return self._refused(result, request)
        return super().process_result(result, request)

    def _refused(self, result: Result, request: HttpRequest) -> HttpResponse:
        messages.error(
            request,
            _(
                "No se importó nada: el archivo ya no pasa la revisión. Corrija las filas "
                "señaladas y cárguelo de nuevo."
            ),
        )
        form_class = self.get_import_form_class(request)
        form = form_class(self.get_import_formats(), self.get_import_resource_classes(request))
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Importar"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def add_success_message(self, result: Result, request: HttpRequest) -> None:
        # The library's own sentence is untranslated in its Spanish catalogue and has no plurals.
        new, updated, skipped = (
            result.totals[kind]
            for kind in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
        )
        summary = ", ".join(
            [
                ngettext("%(n)s fila nueva", "%(n)s filas nuevas", new) % {"n": new},
                ngettext("%(n)s actualizada", "%(n)s actualizadas", updated) % {"n": updated},
                _("%(n)s sin cambios") % {"n": skipped},
            ]
        )
        messages.success(
            request,
            _("Importación terminada en %(model)s: %(summary)s.")
            % {"model": self.model._meta.verbose_name_plural, "summary": summary},
        )

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
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


class ServiceWrittenAdminMixin:
    """For records the workspace writes through services that hold the domain's rules (a body's seat limit, a
    budget's ceilings, a project's progress): the admin shows them and never edits them by hand, which would skip
    those rules. An import whose resource saves each row through the same services stays (``PortalAdmin``)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdminMixin(ServiceWrittenAdminMixin):
    """For records that change only through the portal's services (decisions, event rows): look, never touch.

    Export stays available; import would write rows past the services, so it goes too.
    """

    def has_import_permission(self, request: HttpRequest) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline of service-only records, shown for context beside its parent."""

    extra = 0
