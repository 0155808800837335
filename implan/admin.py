from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from implan import mail, resources, services
from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin
from implan.errors import DomainError
from implan.models import (
    AdministrationTerm,
    Agency,
    Event,
    FiscalYear,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    Territory,
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
