from dataclasses import fields
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from councils import resources
from councils.models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    AttendanceReply,
    Body,
    BodyTerm,
    FrozenSubject,
    Membership,
    Minutes,
    Motion,
    Person,
    PersonContact,
    Resolution,
    Session,
    SessionNotice,
    SessionPacket,
    SessionState,
    Vote,
)
from councils.services import memberships as membership_services
from councils.services.rules import NOTICE_FIELDS, VotingRules
from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin, ReadOnlyInline, ServiceWrittenAdminMixin
from implan.errors import DomainError


class PersonContactInline(admin.StackedInline):
    """Private contact data: only here, in the admin, never on public pages."""

    model = PersonContact
    can_delete = False


class BodyForm(forms.ModelForm):
    def clean_seat_limit(self) -> int | None:
        seat_limit = self.cleaned_data["seat_limit"]
        try:  # the same rule as the import (councils.resources.BodyResource)
            membership_services.check_seat_limit(body=self.instance, seat_limit=seat_limit)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return seat_limit


@admin.register(Body)
class BodyAdmin(PortalAdmin):
    """A body's voting rules are set on a new body here; afterwards only in the workspace (``Reglas de votación``
    on the body's page), through the service that checks them and records who changed them and when."""

    form = BodyForm
    resource_classes = [resources.BodyResource]
    list_display = [
        "name",
        "kind",
        "seat_limit",
        "quorum_percent",
        "majority_base",
        "renewal_period_years",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "agency", "territory"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = [*VOTING_RULES, *NOTICE_FIELDS] if obj is not None else []
        return [*super().get_readonly_fields(request, obj), *fixed]


VOTING_RULES = [field.name for field in fields(VotingRules)]


@admin.register(Person)
class PersonAdmin(PortalAdmin):
    resource_classes = [resources.PersonResource]
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


# Terms and memberships change through councils.services (a body's renewal, «Nueva membresía», «Terminar»,
# «Cambiar»), which hold the seat limit, one open seat per person and the continuity rule; the membership import
# saves each row through the same services.
@admin.register(BodyTerm)
class BodyTermAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["body", "name", "start_date", "end_date"]
    list_filter = ["body"]


@admin.register(Membership)
class MembershipAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["person", "body", "role", "sector", "has_vote", "start_date", "end_date"]
    list_filter = ["body", "role", "sector", "has_vote"]
    search_fields = ["person__name", "body__name"]
    autocomplete_fields = ["person", "body", "on_behalf_of"]


# The record of a session's decisions (its state, attendance, motions, votes, resolutions and minutes) changes only
# through councils.services, which check quorum, majorities and who may act, and write an event row. The admin
# shows it; it never edits it.


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "title", "kind", "requires_qualified_majority"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["__str__", "scheduled_at", "state", "place"]
    list_filter = ["body", "state", "kind"]
    date_hierarchy = "scheduled_at"
    inlines = [AgendaItemInline]
    raw_id_fields = ["convened_by"]


@admin.register(SessionNotice)
class SessionNoticeAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """The acuse of each convocation, change, cancellation and reminder (written by the convocation services)."""

    list_display = ["session", "kind", "person", "user", "address", "email", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["session", "person", "user", "email"]


@admin.register(AttendanceReply)
class AttendanceReplyAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["session", "person", "answer", "channel", "answered_at"]
    list_filter = ["answer", "channel"]
    raw_id_fields = ["session", "person"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["session", "membership", "status"]
    list_filter = ["status"]
    raw_id_fields = ["session", "membership", "recorded_by"]


@admin.register(AgendaItem)
class AgendaItemAdmin(PortalAdmin):
    """A point may be corrected by hand while its session is only convened; once it is under way, it is record."""

    list_display = ["session", "order", "title", "kind", "subject_type"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["session"]
    # A subject is put to a vote only through the convocation, which checks that it awaits this body's approval.
    readonly_fields = ["subject_type", "subject_id"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Moving an existing point to another session could carry its subject onto another body's agenda.
        return [*self.readonly_fields, "session"] if obj is not None else list(self.readonly_fields)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _still_convened(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _still_convened(obj)

    def has_import_permission(self, request: HttpRequest) -> bool:
        return False  # an import writes rows without asking whether their session is still convened

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> ModelChoiceField:
        if db_field.name == "session":  # new points go only to sessions that have not started
            kwargs["queryset"] = Session.objects.filter(state=SessionState.CONVENED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _still_convened(item: AgendaItem | None) -> bool:
    return item is None or item.session.state == SessionState.CONVENED


class VoteInline(ReadOnlyInline):
    """Votes are cast only through the portal's voting form."""

    model = Vote
    fields = ["voter", "membership", "option", "cast_at"]


@admin.register(Motion)
class MotionAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["agenda_item", "state", "result", "votes_for", "votes_against", "abstentions"]
    list_filter = ["state", "result"]
    raw_id_fields = ["agenda_item"]
    inlines = [VoteInline]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["motion", "voter", "option", "cast_at"]
    list_filter = ["option"]
    raw_id_fields = ["motion", "voter", "membership"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["__str__", "adopted_on", "session"]
    list_filter = ["body", "year"]
    search_fields = ["text"]
    raw_id_fields = ["session", "motion"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["session", "state", "published_at"]
    list_filter = ["state"]
    raw_id_fields = ["session", "approved_in"]


@admin.register(FrozenSubject)
class FrozenSubjectAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Frozen when a point is set, again only by the secretary before the session starts (the workspace)."""

    list_display = ["label", "agenda_item", "frozen_at", "frozen_by"]
    search_fields = ["label"]
    raw_id_fields = ["agenda_item", "frozen_by"]


@admin.register(AgendaDocument)
class AgendaDocumentAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Attached and removed only in the workspace, where the file's content is checked."""

    list_display = ["original_name", "agenda_item", "content_type", "size", "uploaded_at", "uploaded_by"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256"]
    raw_id_fields = ["agenda_item", "uploaded_by"]


@admin.register(SessionPacket)
class SessionPacketAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Laid out by a task for each state of a session's agenda."""

    list_display = ["session", "generated_at", "pages", "size"]
    raw_id_fields = ["session"]
