from django.contrib import admin

from councils import resources
from councils.models import (
    AgendaItem,
    Attendance,
    Body,
    BodyTerm,
    Membership,
    Minutes,
    Motion,
    Person,
    PersonContact,
    Resolution,
    Session,
    Vote,
)
from implan.admin_base import PortalAdmin


class PersonContactInline(admin.StackedInline):
    """Private contact data: only here, in the admin, never on public pages."""

    model = PersonContact
    can_delete = False


@admin.register(Body)
class BodyAdmin(PortalAdmin):
    resource_classes = [resources.BodyResource]
    list_display = ["name", "kind", "seat_limit", "quorum_percent", "renewal_period_years", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "agency", "territory"]


@admin.register(Person)
class PersonAdmin(PortalAdmin):
    list_display = ["name", "user", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "sort_name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["user"]
    inlines = [PersonContactInline]


@admin.register(PersonContact)
class PersonContactAdmin(PortalAdmin):
    list_display = ["person", "email", "phone"]
    search_fields = ["person__name", "email"]
    autocomplete_fields = ["person"]


@admin.register(BodyTerm)
class BodyTermAdmin(PortalAdmin):
    list_display = ["body", "name", "start_date", "end_date"]
    list_filter = ["body"]


@admin.register(Membership)
class MembershipAdmin(PortalAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["person", "body", "role", "sector", "has_vote", "start_date", "end_date"]
    list_filter = ["body", "role", "sector", "has_vote"]
    search_fields = ["person__name", "body__name"]
    autocomplete_fields = ["person", "body", "on_behalf_of"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "kind", "requires_qualified_majority"]


@admin.register(Session)
class SessionAdmin(PortalAdmin):
    list_display = ["__str__", "scheduled_at", "state", "place"]
    list_filter = ["body", "state", "kind"]
    date_hierarchy = "scheduled_at"
    inlines = [AgendaItemInline]
    raw_id_fields = ["convened_by"]


@admin.register(Attendance)
class AttendanceAdmin(PortalAdmin):
    list_display = ["session", "membership", "status"]
    list_filter = ["status"]
    raw_id_fields = ["session", "membership", "recorded_by"]


@admin.register(AgendaItem)
class AgendaItemAdmin(PortalAdmin):
    list_display = ["session", "order", "title", "kind", "subject_type"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["session"]


class VoteInline(admin.TabularInline):
    """Votes are cast only through the portal's voting form."""

    model = Vote
    extra = 0
    can_delete = False
    readonly_fields = ["voter", "membership", "option", "cast_at"]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Motion)
class MotionAdmin(PortalAdmin):
    list_display = ["agenda_item", "state", "result", "votes_for", "votes_against", "abstentions"]
    list_filter = ["state", "result"]
    raw_id_fields = ["agenda_item"]
    inlines = [VoteInline]


@admin.register(Vote)
class VoteAdmin(PortalAdmin):
    list_display = ["motion", "voter", "option", "cast_at"]
    list_filter = ["option"]
    raw_id_fields = ["motion", "voter", "membership"]


@admin.register(Resolution)
class ResolutionAdmin(PortalAdmin):
    list_display = ["__str__", "adopted_on", "session"]
    list_filter = ["body", "year"]
    search_fields = ["text"]
    raw_id_fields = ["session", "motion"]


@admin.register(Minutes)
class MinutesAdmin(PortalAdmin):
    list_display = ["session", "state", "published_at"]
    list_filter = ["state"]
    raw_id_fields = ["session", "approved_in"]
