from django.contrib import admin

from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin, ReadOnlyInline, ServiceWrittenAdminMixin
from projects import resources
from projects.models import (
    AgencyLiaison,
    Allocation,
    Assessment,
    CriterionScore,
    Evidence,
    Milestone,
    ProgressUpdate,
    Project,
    ScoringCriterion,
)


class MilestoneInline(ReadOnlyInline):
    """A project's milestones, for context: the workspace's service writes them."""

    model = Milestone
    fields = ["order", "title", "planned_date", "actual_date"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(PortalAdmin):
    resource_classes = [resources.ProjectResource]
    list_display = ["code", "title", "strategy", "agency", "territory", "status", "priority_score",
                    "physical_progress"]
    list_filter = ["status", "strategy", "agency"]
    search_fields = ["code", "title"]
    # Status moves only through projects.services (the lifecycle map); progress only through reports.
    readonly_fields = ["status", "status_reason", "physical_progress", "priority_score"]
    raw_id_fields = ["territory", "origin_body", "proposed_by", "programme"]
    filter_horizontal = ["government_plans"]
    inlines = [MilestoneInline]


# Milestones, progress reports and allocations are written by projects.services: progress never goes back without
# a reason, spending is checked against the allocation, an allocation against its budget line.
@admin.register(Milestone)
class MilestoneAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["project", "order", "title", "planned_date", "actual_date"]
    raw_id_fields = ["project"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["project", "reported_on", "physical_progress", "amount_spent", "over_allocation"]
    list_filter = ["over_allocation"]
    raw_id_fields = ["project", "reported_by"]


@admin.register(Allocation)
class AllocationAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["project", "fiscal_year", "budget_line", "amount"]
    raw_id_fields = ["project", "budget_line"]


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(PortalAdmin):
    """Administrators name and describe the criteria here; weights and whether a criterion is in force change in the
    workspace (``/espacio/proyectos/criterios/``), through the service that records who changed them and checks them
    as a whole. Import would bypass that, so it is off."""

    list_display = ["name", "weight", "order", "is_active"]
    list_editable = ["order"]

    readonly_fields = ["weight", "is_active"]

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001
        if not change:  # a new criterion changes no score until an administrator weighs it in the workspace
            obj.is_active = False
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False  # past assessments keep naming their criteria; one leaves by being set not in force

    def has_import_permission(self, request) -> bool:  # noqa: ANN001
        return False


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "value", "weight"]

    def has_add_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False


@admin.register(Assessment)
class AssessmentAdmin(PortalAdmin):
    """Assessments are made in the workspace (projects.services.project_assess); here they are read."""

    list_display = ["project", "score", "assessed_by", "assessed_at"]
    raw_id_fields = ["project", "assessed_by"]
    readonly_fields = ["project", "assessed_by", "score"]
    inlines = [CriterionScoreInline]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False


@admin.register(CriterionScore)
class CriterionScoreAdmin(PortalAdmin):
    list_display = ["assessment", "criterion", "value", "weight"]
    readonly_fields = ["assessment", "criterion", "value", "weight"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False


@admin.register(AgencyLiaison)
class AgencyLiaisonAdmin(ReadOnlyAdminMixin, PortalAdmin):
    """Who reports progress for each agency: a grant covers every project of the agency, present and future.

    Granted and removed only on the workspace's page «Enlaces de dependencia»
    (``projects.services.agency_liaison_grant`` and ``agency_liaison_revoke``), which check the account's role and
    record who did it."""

    list_display = ["user", "agency", "granted_at"]
    list_filter = ["agency"]
    raw_id_fields = ["user"]


@admin.register(Evidence)
class EvidenceAdmin(PortalAdmin):
    """Evidence arrives with progress reports, checked by content; here it is read."""

    list_display = ["original_name", "progress_update", "content_type", "size"]
    readonly_fields = ["progress_update", "file", "original_name", "content_type", "size", "sha256"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False
