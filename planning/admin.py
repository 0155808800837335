from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from implan.admin_base import PortalAdmin, ReadOnlyAdminMixin, ReadOnlyInline, ServiceWrittenAdminMixin
from implan.models import LifecycleState
from planning import resources
from planning.models import (
    AnnualReport,
    Budget,
    BudgetExecution,
    BudgetLine,
    BudgetQuarter,
    ConacEntry,
    Diagnosis,
    DiagnosisSection,
    Evaluation,
    EvaluationFinding,
    Goal,
    GovernmentPlan,
    MirIndicator,
    MirIndicatorVariable,
    MirRow,
    Objective,
    Programme,
    ProgrammeCeiling,
    ReportDocument,
    ReportSection,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)
from planning.services.editing import in_draft

# The lifecycle (state, hash, approval dates) moves only through services, never by hand in the admin.
LIFECYCLE_READONLY = ["state", "approved_at", "published_at", "content_hash"]


class DraftOnlyAdmin(PortalAdmin):
    """An instrument, or a part of one, is edited by hand only while the instrument is a draft.

    Once submitted, approved or published its content is the record a body voted on (and its hash): it changes
    only through a new version, like in the portal's own forms.
    """

    # Dotted foreign keys from the record to the instrument that owns it; empty when the record is the instrument.
    instrument_path = ""
    # Foreign key → lookup of the state of the instrument behind it: a new or moved record may only point into a
    # draft.
    draft_parents: dict[str, str] = {}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or in_draft(obj, self.instrument_path))

    def has_import_permission(self, request: HttpRequest) -> bool:
        # import-export's default resource writes every field (state and hash included) into any instrument: only
        # admins whose resource refuses rows of non-draft instruments may import.
        guarded = bool(self.resource_classes) and all(
            issubclass(r, resources.DraftOnlyResource) for r in self.resource_classes
        )
        return guarded and super().has_import_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or in_draft(obj, self.instrument_path))

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> ModelChoiceField:
        if db_field.name in self.draft_parents:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                **{self.draft_parents[db_field.name]: LifecycleState.DRAFT}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DraftOnlyInline:
    """An inline of an instrument's parts: editable only while the instrument (the parent) is a draft."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and (obj is None or in_draft(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or in_draft(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or in_draft(obj))


@admin.register(StrategicPlan)
class StrategicPlanAdmin(DraftOnlyAdmin):
    list_display = ["title", "version", "state", "horizon_year"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY


class DiagnosisSectionInline(DraftOnlyInline, admin.StackedInline):
    model = DiagnosisSection


@admin.register(Diagnosis)
class DiagnosisAdmin(DraftOnlyAdmin):
    list_display = ["title", "plan", "version", "state"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [DiagnosisSectionInline]


@admin.register(DiagnosisSection)
class DiagnosisSectionAdmin(DraftOnlyAdmin):
    instrument_path = "diagnosis"
    draft_parents = {"diagnosis": "state"}
    list_display = ["diagnosis", "order", "title"]


@admin.register(Vision)
class VisionAdmin(DraftOnlyAdmin):
    instrument_path = "plan"
    draft_parents = {"plan": "state"}
    list_display = ["plan", "horizon_year"]


@admin.register(Vertiente)
class VertienteAdmin(DraftOnlyAdmin):
    instrument_path = "plan"
    draft_parents = {"plan": "state"}
    list_display = ["name", "plan", "order"]


@admin.register(Strategy)
class StrategyAdmin(DraftOnlyAdmin):
    instrument_path = "plan"
    draft_parents = {"plan": "state", "vertiente": "plan__state"}
    resource_classes = [resources.StrategyResource]
    list_display = ["number", "name", "vertiente", "commission", "plan"]
    list_filter = ["plan", "vertiente"]
    search_fields = ["name"]


@admin.register(Objective)
class ObjectiveAdmin(DraftOnlyAdmin):
    instrument_path = "strategy.plan"
    draft_parents = {"strategy": "plan__state"}
    list_display = ["strategy", "number", "title"]
    list_filter = ["strategy"]
    search_fields = ["title"]


@admin.register(Goal)
class GoalAdmin(DraftOnlyAdmin):
    instrument_path = "objective.strategy.plan"
    draft_parents = {"objective": "strategy__plan__state"}
    list_display = ["description", "indicator", "baseline_value", "target_value", "target_year"]
    raw_id_fields = ["objective", "indicator"]


@admin.register(Programme)
class ProgrammeAdmin(DraftOnlyAdmin):
    resource_classes = [resources.ProgrammeResource]
    list_display = ["code", "name", "strategy", "agency", "version", "state"]
    list_filter = ["state", "strategy", "agency"]
    search_fields = ["code", "name"]
    readonly_fields = LIFECYCLE_READONLY


@admin.register(GovernmentPlan)
class GovernmentPlanAdmin(DraftOnlyAdmin):
    list_display = ["title", "administration_term", "version", "state"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    filter_horizontal = ["programmes"]


class BudgetLineInline(ReadOnlyInline):
    """A budget's lines, for context: they are written by the workspace's service, which checks the ceilings."""

    model = BudgetLine
    fields = [
        "programme",
        "agency",
        "chapter",
        "funding_source",
        "approved_amount",
        "modified_amount",
        "executed_amount",
    ]
    readonly_fields = fields


@admin.register(Budget)
class BudgetAdmin(DraftOnlyAdmin):
    list_display = ["title", "fiscal_year", "version", "state", "ceiling"]
    list_filter = ["state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [BudgetLineInline]


# A budget's lines and programme ceilings are written by planning.services.budget (budget_line_save,
# programme_ceiling_set), which refuse a line over the budget's or its programme's ceiling; the line import saves
# each row through budget_line_save.
@admin.register(BudgetLine)
class BudgetLineAdmin(ServiceWrittenAdminMixin, DraftOnlyAdmin):
    instrument_path = "budget"
    draft_parents = {"budget": "state"}
    resource_classes = [resources.BudgetLineResource]
    list_display = ["budget", "programme", "agency", "chapter", "funding_source", "approved_amount", "executed_amount"]
    list_filter = ["budget", "chapter", "funding_source"]
    raw_id_fields = ["programme", "agency"]


@admin.register(ProgrammeCeiling)
class ProgrammeCeilingAdmin(ServiceWrittenAdminMixin, DraftOnlyAdmin):
    instrument_path = "budget"
    draft_parents = {"budget": "state"}
    list_display = ["budget", "programme", "amount"]


class ReportSectionInline(DraftOnlyInline, admin.StackedInline):
    model = ReportSection


@admin.register(AnnualReport)
class AnnualReportAdmin(DraftOnlyAdmin):
    list_display = ["title", "fiscal_year", "version", "state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [ReportSectionInline]


@admin.register(ReportSection)
class ReportSectionAdmin(DraftOnlyAdmin):
    instrument_path = "report"
    draft_parents = {"report": "state"}
    list_display = ["report", "order", "title"]


class EvaluationFindingInline(DraftOnlyInline, admin.StackedInline):
    model = EvaluationFinding
    raw_id_fields = ["goal"]


@admin.register(Evaluation)
class EvaluationAdmin(DraftOnlyAdmin):
    list_display = ["title", "plan", "fiscal_year", "version", "state"]
    readonly_fields = LIFECYCLE_READONLY
    inlines = [EvaluationFindingInline]


@admin.register(EvaluationFinding)
class EvaluationFindingAdmin(DraftOnlyAdmin):
    instrument_path = "evaluation"
    draft_parents = {"evaluation": "state"}
    list_display = ["evaluation", "kind", "goal"]
    list_filter = ["kind"]


@admin.register(ReportDocument)
class ReportDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The stored PDF of each published report version (planning.report_files): derived, never edited by hand."""

    list_display = ["report", "file", "size", "generated_at"]
    list_select_related = ["report"]


@admin.register(ConacEntry)
class ConacEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """CONAC's catalogues, loaded from the files committed under planning/data/conac/ (``load_conac_catalogues``):
    a code changed by hand here would no longer be the official one the files cite."""

    list_display = ["code", "name", "catalogue", "level", "parent"]
    list_filter = ["catalogue", "level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


@admin.register(BudgetExecution)
class BudgetExecutionAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    """A line's quarterly stages: written by ``planning.services.execution``, which keeps their order and refuses a
    closed quarter."""

    list_display = ["line", "quarter", "modified", "committed", "accrued", "exercised", "paid"]
    list_filter = ["quarter"]
    list_select_related = ["line__budget", "line__programme"]


@admin.register(BudgetQuarter)
class BudgetQuarterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A closed quarter (closed by a planner through the service, with an event row): a record, never edited."""

    list_display = ["budget", "quarter", "closed_at", "closed_by"]
    list_select_related = ["budget", "closed_by"]


@admin.register(MirRow)
class MirRowAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    """A programme's MIR is edited in the workspace (``planning.services.mir``: who may, only in a draft)."""

    list_display = ["programme", "level", "order", "summary"]
    list_filter = ["level"]
    list_select_related = ["programme"]


@admin.register(MirIndicator)
class MirIndicatorAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["row", "indicator", "dimension", "baseline_value", "baseline_year"]
    list_select_related = ["row__programme", "indicator"]


@admin.register(MirIndicatorVariable)
class MirIndicatorVariableAdmin(ServiceWrittenAdminMixin, PortalAdmin):
    list_display = ["link", "symbol", "description", "unit"]
    list_select_related = ["link__row__programme", "link__indicator"]
