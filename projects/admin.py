from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpRequest

from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin, ReadOnlyInline, ServiceWrittenAdminMixin
from implan.errors import DomainError
from implan.models import LifecycleState
from planning.models import GovernmentPlan
from planning.services.plan import require_draft
from projects import resources, services
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


class ProjectAdminForm(forms.ModelForm):
    """The one thing changed here: the government plans that commit the project, and only draft ones.

    What a plan commits to is part of what the Ayuntamiento votes on, so a plan in review, approved or published
    keeps its projects (``projects.services.project_commit_to_plan``); the form says so before the service refuses.
    """

    class Meta:
        model = Project
        fields = ["government_plans"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.government_plans.values("pk") if self.instance.pk else []
        self.fields["government_plans"].queryset = GovernmentPlan.objects.filter(
            Q(state=LifecycleState.DRAFT) | Q(pk__in=current)
        )

    def clean_government_plans(self) -> Any:
        chosen = self.cleaned_data["government_plans"]
        current = set(self.instance.government_plans.all()) if self.instance.pk else set()
        for plan in current.symmetric_difference(chosen):
            try:
                require_draft(plan)
            except DomainError as error:
                raise forms.ValidationError(error.message) from error
        return chosen


# A project's own data changes through projects.services: a planner's edit («Datos del proyecto», or the guarded
# import), its status through the lifecycle map, its progress through reports, its score through assessments.
READ_ONLY_PROJECT_FIELDS = [
    field.name
    for field in Project._meta.get_fields()
    if field.concrete and field.name not in ("id", "government_plans")
]


@admin.register(Project)
class ProjectAdmin(PortalAdmin):
    """Shown whole; only the commitments in draft government plans change here, each through the service."""

    form = ProjectAdminForm
    resource_classes = [resources.ProjectResource]
    list_display = ["code", "title", "strategy", "agency", "territory", "status", "priority_score", "physical_progress"]
    list_filter = ["status", "strategy", "agency"]
    search_fields = ["code", "title"]
    readonly_fields = READ_ONLY_PROJECT_FIELDS
    filter_horizontal = ["government_plans"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a project is born as a council's proposal in the workspace

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a project leaves by being cancelled, with its reason, through the lifecycle

    def save_model(self, request: HttpRequest, obj: Project, form: forms.ModelForm, change: bool) -> None:
        pass  # every field of the project itself is read-only here; its commitments are saved in save_related

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        for formset in formsets:  # read-only inlines: nothing to write, but the admin's change message reads them
            self.save_formset(request, form, formset, change=change)
        project, chosen = form.instance, set(form.cleaned_data["government_plans"])
        current = set(project.government_plans.all())
        try:
            for plan in chosen - current:
                services.project_commit_to_plan(actor=request.user, project=project, plan=plan)
            for plan in current - chosen:
                services.project_remove_from_plan(actor=request.user, project=project, plan=plan)
        except DomainError as error:  # a plan left its draft between the form's check and this save
            self.message_user(request, error.message, level=messages.ERROR)


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

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # a new criterion changes no score until an administrator weighs it in the workspace
            obj.is_active = False
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # past assessments keep naming their criteria; one leaves by being set not in force

    def has_import_permission(self, request) -> bool:
        return False


# Assessments and their ratings are made in the workspace (projects.services.project_assess), which sets the
# project's score from them; evidence arrives with progress reports, checked by content. Here they are read.
class CriterionScoreInline(ReadOnlyInline):
    model = CriterionScore
    fields = ["criterion", "value", "weight"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["project", "score", "assessed_by", "assessed_at"]
    raw_id_fields = ["project", "assessed_by"]
    inlines = [CriterionScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["assessment", "criterion", "value", "weight"]


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
class EvidenceAdmin(ReadOnlyAdminMixin, PortalAdmin):
    list_display = ["original_name", "progress_update", "content_type", "size"]
