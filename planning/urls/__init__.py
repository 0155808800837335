"""Planning's URLs (``include("planning.urls")``), one module per topic: the plan and its instruments, the lifecycle
of every instrument, the budget, the annual report and the evaluation. Each has its public pages and workspace."""

from planning.urls import budget, evaluation, lifecycle, mir, plan, report

app_name = "planning"

urlpatterns = [
    *plan.urlpatterns,
    *mir.urlpatterns,
    *lifecycle.urlpatterns,
    *budget.urlpatterns,
    *report.urlpatterns,
    *evaluation.urlpatterns,
]
