from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from implan import resources
from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin
from implan.models import AdministrationTerm, Agency, Event, FiscalYear, Territory

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


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts are deactivated, never deleted: every history row and event keeps naming who acted."""

    actions = ["deactivate"]
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "last_login"]

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def get_actions(self, request):  # noqa: ANN001, ANN201
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Desactivar las cuentas seleccionadas"))
    def deactivate(self, request, queryset) -> None:  # noqa: ANN001
        count = queryset.filter(is_active=True).exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, _("Se desactivaron %(n)s cuentas; su historial se conserva.") % {"n": count})
