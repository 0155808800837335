from django.contrib import admin

from implan.admin_base import PortalAdmin
from projects import resources
from projects.models import Allocation, Milestone, ProgressUpdate, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(PortalAdmin):
    resource_classes = [resources.ProjectResource]
    list_display = ["code", "title", "strategy", "agency", "territory", "status", "priority_score",
                    "physical_progress"]
    list_filter = ["status", "strategy", "agency"]
    search_fields = ["code", "title"]
    # Status moves only through projects.services (the lifecycle map); progress only through reports.
    readonly_fields = ["status", "status_reason", "physical_progress"]
    raw_id_fields = ["territory", "origin_body", "proposed_by", "programme"]
    filter_horizontal = ["government_plans"]
    inlines = [MilestoneInline]


@admin.register(Milestone)
class MilestoneAdmin(PortalAdmin):
    list_display = ["project", "order", "title", "planned_date", "actual_date"]
    raw_id_fields = ["project"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(PortalAdmin):
    list_display = ["project", "reported_on", "physical_progress", "amount_spent", "over_allocation"]
    list_filter = ["over_allocation"]
    raw_id_fields = ["project", "reported_by"]


@admin.register(Allocation)
class AllocationAdmin(PortalAdmin):
    list_display = ["project", "fiscal_year", "budget_line", "amount"]
    raw_id_fields = ["project", "budget_line"]
