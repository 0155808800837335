"""The base of every ModelAdmin in the portal: import/export plus the history view."""

from typing import Any, cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from implan import admin_imports
from implan.errors import DomainError
from implan.resources_base import PortalResource
from implan.types import Actor


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

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The upload: the file is kept and checked in the background (``implan.admin_imports``), and the person is
        sent to the job's page, which shows its progress, then the preview to confirm. The library's own import runs
        the whole file in the request, which a 10,000-row catalogue outlasts."""
        if request.method != "POST" or not self.has_import_permission(request):
            return super().import_action(request, **kwargs)
        form = self.create_import_form(request)
        if not form.is_valid():
            return super().import_action(request, **kwargs)  # the form again, with its errors
        upload = form.cleaned_data["import_file"]
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        try:
            job = admin_imports.admin_import_create(
                actor=cast(Actor, request.user),
                model_label=self.model._meta.label_lower,
                resource=admin_imports.resource_path(self.choose_import_resource_class(form, request)),
                input_format=input_format.get_title(),
                file_name=upload.name or "",
                content=b"".join(upload.chunks()),
            )
        except DomainError as error:
            form.add_error("import_file", error.message)
            return self._import_page(request, form)
        return HttpResponseRedirect(reverse("admin:implan_adminimport_change", args=[job.pk]))

    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        # The library's confirmation step imported a file kept on this server's disk, in the request; a job's
        # «Confirmar» does it in the background now.
        raise Http404

    def _import_page(self, request: HttpRequest, form: Any) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            **self.get_import_context_data(),
            "title": _("Importar"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        """simple-history's view of the record's versions; for a model that keeps none (session notices and packets,
        written once by services, their events in the session's record), Django's own change log: simple-history's
        view failed on them with a 500."""
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if isinstance(response, TemplateResponse):  # not yet rendered: Django's template, not simple-history's
            opts = self.model._meta
            response.template_name = [
                f"admin/{opts.app_label}/{opts.model_name}/object_history.html",
                f"admin/{opts.app_label}/object_history.html",
                "admin/object_history.html",
            ]
        return response

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
