from django.contrib import admin

from implan.admin_base import PortalAdmin
from planning import resources
from planning.models import (
    AnnualReport,
    Budget,
    BudgetLine,
    Diagnosis,
    DiagnosisSection,
    Evaluation,
    EvaluationFinding,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    ProgrammeCeiling,
    ReportSection,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)

# The lifecycle (state, hash, approval dates) moves only through services, never by hand in the admin.
LIFECYCLE_READONLY = ["state", "approved_at", "published_at", "content_hash"]


@admin.register(StrategicPlan)
class StrategicPlanAdmin(PortalAdmin):
    list_display = ["title", "version", "state", "horizon_year"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY


class DiagnosisSectionInline(admin.StackedInline):
    model = DiagnosisSection
    extra = 0


@admin.register(Diagnosis)
class DiagnosisAdmin(PortalAdmin):
    list_display = ["title", "plan", "version", "state"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [DiagnosisSectionInline]


@admin.register(DiagnosisSection)
class DiagnosisSectionAdmin(PortalAdmin):
    list_display = ["diagnosis", "order", "title"]


@admin.register(Vision)
class VisionAdmin(PortalAdmin):
    list_display = ["plan", "horizon_year"]


@admin.register(Vertiente)
class VertienteAdmin(PortalAdmin):
    list_display = ["name", "plan", "order"]


@admin.register(Strategy)
class StrategyAdmin(PortalAdmin):
    resource_classes = [resources.StrategyResource]
    list_display = ["number", "name", "vertiente", "commission", "plan"]
    list_filter = ["plan", "vertiente"]
    search_fields = ["name"]


@admin.register(Objective)
class ObjectiveAdmin(PortalAdmin):
    list_display = ["strategy", "number", "title"]
    list_filter = ["strategy"]
    search_fields = ["title"]


@admin.register(Goal)
class GoalAdmin(PortalAdmin):
    list_display = ["description", "indicator", "baseline_value", "target_value", "target_year"]
    raw_id_fields = ["objective", "indicator"]


@admin.register(Programme)
class ProgrammeAdmin(PortalAdmin):
    resource_classes = [resources.ProgrammeResource]
    list_display = ["code", "name", "strategy", "agency", "version", "state"]
    list_filter = ["state", "strategy", "agency"]
    search_fields = ["code", "name"]
    readonly_fields = LIFECYCLE_READONLY


@admin.register(GovernmentPlan)
class GovernmentPlanAdmin(PortalAdmin):
    list_display = ["title", "administration_term", "version", "state"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    filter_horizontal = ["programmes"]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    raw_id_fields = ["programme", "agency"]


@admin.register(Budget)
class BudgetAdmin(PortalAdmin):
    list_display = ["title", "fiscal_year", "version", "state", "ceiling"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(PortalAdmin):
    resource_classes = [resources.BudgetLineResource]
    list_display = ["budget", "programme", "agency", "chapter", "funding_source", "approved_amount",
                    "executed_amount"]
    list_filter = ["budget", "chapter", "funding_source"]
    raw_id_fields = ["programme", "agency"]


@admin.register(ProgrammeCeiling)
class ProgrammeCeilingAdmin(PortalAdmin):
    list_display = ["budget", "programme", "amount"]


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0


@admin.register(AnnualReport)
class AnnualReportAdmin(PortalAdmin):
    list_display = ["title", "fiscal_year", "version", "state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [ReportSectionInline]


@admin.register(ReportSection)
class ReportSectionAdmin(PortalAdmin):
    list_display = ["report", "order", "title"]


class EvaluationFindingInline(admin.StackedInline):
    model = EvaluationFinding
    extra = 0
    raw_id_fields = ["goal"]


@admin.register(Evaluation)
class EvaluationAdmin(PortalAdmin):
    list_display = ["title", "plan", "fiscal_year", "version", "state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [EvaluationFindingInline]


@admin.register(EvaluationFinding)
class EvaluationFindingAdmin(PortalAdmin):
    list_display = ["evaluation", "kind", "goal"]
    list_filter = ["kind"]
