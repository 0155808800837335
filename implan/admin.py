from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from implan import admin_imports, mail, resources, services
from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin
from implan.errors import DomainError
from implan.models import (
    AdminImport,
    AdministrationTerm,
    Agency,
    Event,
    FiscalYear,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    Territory,
    TerritoryImport,
)

admin.site.site_header = _("IMPLAN · Administración del portal")
admin.site.site_title = _("Administración IMPLAN")
admin.site.index_title = _("Catálogos, órganos, planes, proyectos e indicadores")


@admin.register(Territory)
class TerritoryAdmin(PortalAdmin):
    resource_classes = [resources.TerritoryResource]
    list_display = ["name", "kind", "code", "inegi_code", "area_type", "population", "parent"]
    list_filter = ["kind", "area_type"]
    search_fields = ["name", "code", "inegi_code"]
    autocomplete_fields = ["parent"]


@admin.register(TerritoryImport)
class TerritoryImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: territory catalogues are loaded, confirmed and discarded in the workspace, through the services
    (``indicators.territories``)."""

    list_display = ["file_name", "created_by", "created_at", "state", "rows_total"]
    list_filter = ["state"]
    exclude = ["content"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).defer("content").select_related("created_by")


@admin.register(Agency)
class AgencyAdmin(PortalAdmin):
    resource_classes = [resources.AgencyResource]
    list_display = ["name", "acronym", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AdministrationTerm)
class AdministrationTermAdmin(PortalAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(FiscalYear)
class FiscalYearAdmin(PortalAdmin):
    list_display = ["year", "administration_term", "is_closed"]
    list_filter = ["is_closed"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Event rows are the record of state changes: read-only, even for administrators."""

    list_display = ["created_at", "actor", "action", "content_type", "object_id", "from_state", "to_state"]
    list_filter = ["action", "content_type"]
    search_fields = ["action", "note"]
    date_hierarchy = "created_at"


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every message the portal sent or tried to send, with the server's answer; failed ones can be sent again."""

    list_display = ["queued_at", "subject", "state", "attempts", "answer", "sent_at"]
    list_filter = ["state"]
    search_fields = ["subject", "to", "answer"]
    date_hierarchy = "queued_at"
    actions = ["retry"]

    @admin.action(description=_("Volver a enviar los correos fallidos seleccionados"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = sum(mail.email_retry(email=email) for email in queryset)
        self.message_user(
            request, ngettext("%(n)s correo vuelve a la cola.", "%(n)s correos vuelven a la cola.", done) % {"n": done}
        )


@admin.register(AdminImport)
class AdminImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The catalogue imports of the admin, each checked and imported in the background (``implan.admin_imports``).

    Its page is the job's: progress while a worker checks or imports, then the preview with «Confirmar», and the
    outcome. Everyone sees their own imports; a superuser sees all of them. Nothing here is edited by hand.
    """

    list_display = ["file_name", "model_label", "state", "created_by", "created_at", "finished_at"]
    list_filter = ["state", "model_label"]
    job_template = "admin/implan/adminimport/job.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        jobs = super().get_queryset(request).defer("content", "preview").select_related("created_by")
        return jobs.visible_to(request.user)  # type: ignore[attr-defined]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        staff = request.user.is_active and request.user.is_staff
        return staff and (obj is None or admin_imports.can_decide(request.user, obj))  # type: ignore[arg-type]

    def get_urls(self) -> list[URLPattern]:
        actions = [
            ("confirmar", "confirm", admin_imports.admin_import_confirm),
            ("descartar", "discard", admin_imports.admin_import_discard),
            ("reintentar", "retry", admin_imports.admin_import_retry),
        ]
        own = [
            path(
                f"<int:object_id>/{slug}/",
                self.admin_site.admin_view(self._action_view(service)),
                name=f"implan_adminimport_{name}",
            )
            for slug, name, service in actions
        ]
        return own + super().get_urls()

    def _job(self, request: HttpRequest, object_id: Any) -> AdminImport:
        # Another person's job, or one that does not exist: 404 alike.
        return get_object_or_404(AdminImport.objects.defer("content").visible_to(request.user), pk=object_id)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        admin_imports.admin_imports_interrupt_stalled()  # a dead worker shows at once to whoever is waiting
        job = self._job(request, object_id)
        catalogue = admin_imports.model_admin_or_none(job.model_label)
        context = {
            **self.admin_site.each_context(request),
            "title": job.file_name,
            "opts": self.model._meta,
            "job": job,
            "catalogue": catalogue.model._meta if catalogue else None,
            "can_decide": admin_imports.can_decide(request.user, job),  # type: ignore[arg-type]
            "errors": job.preview.get("errors", []),
            "rows": job.preview.get("rows", []),
            "headers": job.preview.get("headers", []),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.job_template, context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        self._job(request, object_id)  # another person's job is not there, here either
        return super().history_view(request, object_id, extra_context)

    def _action_view(self, service: Callable[..., AdminImport]) -> Callable[..., HttpResponse]:
        @require_POST
        def act(request: HttpRequest, object_id: int) -> HttpResponse:
            job = self._job(request, object_id)
            catalogue = admin_imports.model_admin_or_none(job.model_label)
            # Confirming imports into the catalogue: only while the person may still import there.
            if service is admin_imports.admin_import_confirm and (
                catalogue is None or not catalogue.has_import_permission(request)
            ):
                raise PermissionDenied
            try:
                service(actor=request.user, job=job)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
            return HttpResponseRedirect(reverse("admin:implan_adminimport_change", args=[job.pk]))

        return act


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The notices of every inbox (written by ``implan.notifications.notify``; their owners mark them read)."""

    list_display = ["created_at", "user", "kind", "title", "read_at", "email"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "email"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each person sets their own on their preferences page or through an unsubscribe link."""

    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    raw_id_fields = ["user"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: every history row and event keeps naming who acted."""

    actions = ["deactivate", "reactivate"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    # Activation changes through the actions, whose service refuses one's own account and records who did it.
    readonly_fields = ["is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Desactivar las cuentas seleccionadas"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # One service call per account: each leaves an event row naming who deactivated whom.
        done = self._each(request, queryset.filter(is_active=True), services.user_deactivate)
        self.message_user(
            request,
            ngettext(
                "Se desactivó %(n)s cuenta; su historial se conserva.",
                "Se desactivaron %(n)s cuentas; su historial se conserva.",
                done,
            )
            % {"n": done},
        )

    @admin.action(description=_("Reactivar las cuentas seleccionadas"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = self._each(request, queryset.filter(is_active=False), services.user_reactivate)
        self.message_user(
            request, ngettext("Se reactivó %(n)s cuenta.", "Se reactivaron %(n)s cuentas.", done) % {"n": done}
        )

    def _each(self, request: HttpRequest, queryset: QuerySet[Any], service: Callable[..., Any]) -> int:
        done = 0
        for user in queryset:
            try:
                service(actor=request.user, user=user)
            except DomainError as error:  # e.g. one's own account: say so and go on with the others
                self.message_user(request, error.message, level=messages.WARNING)
            else:
                done += 1
        return done
