"""Permission rows of the planning app's money side: budget, annual report, evaluation, budget open data.

Cross-object refusals (a line of a frozen budget, a finding about another plan's goal, a section saved into
another report) are services' rules, tested in tests/planning.

The public pages show published instruments to everyone. The workspace belongs to the planning staff: other
logged-in roles get 403 on list and creation pages and 404 on an instrument's own pages. One-shot actions are
tried on a frozen (published) budget: the planner's request is refused by the service and redirected (302).
"""

from __future__ import annotations

from decimal import Decimal

from implan.models import LifecycleState
from planning.models import ConacEntry
from tests.factories import (
    AnnualReportFactory,
    BudgetFactory,
    BudgetLineFactory,
    EvaluationFactory,
    EvaluationFindingFactory,
    FiscalYearFactory,
    ProgrammeFactory,
    ReportSectionFactory,
)
from tests.permissions.matrix import (
    DONE,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Row,
    World,
    everyone,
    fixed,
    logged_in,
    url,
)


def build(world: World) -> None:
    """A published 2025 budget and report (public pages, execution, refused actions), a draft 2026 budget and
    report."""
    published = BudgetFactory(state=LifecycleState.PUBLISHED, ceiling=Decimal("100000"))
    published_line = BudgetLineFactory(budget=published, approved_amount=Decimal("5000"))
    published_ceiling = published.programme_ceilings.create(programme=published_line.programme, amount=Decimal("6000"))
    draft = BudgetFactory(fiscal_year=FiscalYearFactory(year=2026), title="Presupuesto 2026")
    draft_line = BudgetLineFactory(budget=draft, programme=ProgrammeFactory(), **classified())
    report = AnnualReportFactory(fiscal_year=published.fiscal_year, state=LifecycleState.PUBLISHED)
    draft_report = AnnualReportFactory(fiscal_year=draft.fiscal_year, title="Informe anual 2026")
    world.objects.update(
        published=published,
        published_line=published_line,
        published_ceiling=published_ceiling,
        draft=draft,
        draft_line=draft_line,
        report=report,
        draft_report=draft_report,
        published_section=ReportSectionFactory(report=report),
        draft_section=ReportSectionFactory(report=draft_report),
    )
    evaluation = EvaluationFactory(fiscal_year=published.fiscal_year, state=LifecycleState.PUBLISHED)
    draft_evaluation = EvaluationFactory(plan=evaluation.plan, fiscal_year=draft.fiscal_year)
    world.objects.update(
        draft_evaluation=draft_evaluation,
        published_finding=EvaluationFindingFactory(evaluation=evaluation),
        draft_finding=EvaluationFindingFactory(evaluation=draft_evaluation),
    )


def classified() -> dict[str, ConacEntry]:
    """CONAC's classifications of a public-works line, so that its edit form can be sent back as it opened."""
    codes = {
        "partida": ("cog", "6140"),
        "subfunction": ("funcional", "2.2.1"),
        "modality": ("programatica", "K"),
        "source": ("fuentes", "11"),
    }
    return {name: ConacEntry.objects.get(catalogue=c, code=code) for name, (c, code) in codes.items()}


PUBLIC = everyone(OK)
WORKSPACE_SECTION = logged_in(FORBIDDEN, planeador=OK, administrador=OK)
WORKSPACE_OBJECT = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
WORKSPACE_ACTION = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)

ROWS: dict[str, Row] = {
    "planning:budget_index": Row(fixed("planning:budget_index"), PUBLIC),
    "planning:budget_year": Row(fixed("planning:budget_year", 2025), PUBLIC),
    "planning:budget_classifications": Row(fixed("planning:budget_classifications", 2025), PUBLIC),
    "planning:budget_lines": Row(fixed("planning:budget_lines", 2025), PUBLIC),
    "planning:budget_datapackage": Row(fixed("planning:budget_datapackage", 2025), PUBLIC),
    "planning:budget_csv": Row(fixed("planning:budget_csv", 2025), PUBLIC),
    "planning:citizen_budget": Row(fixed("planning:citizen_budget", 2025), PUBLIC),
    "planning:citizen_budget_pdf": Row(fixed("planning:citizen_budget_pdf", 2025), PUBLIC),
    "planning:budget_list": Row(fixed("planning:budget_list"), WORKSPACE_SECTION),
    "planning:budget_create": Row(fixed("planning:budget_create"), WORKSPACE_SECTION),
    "planning:budget_workspace": Row(url("planning:budget_workspace", "draft"), WORKSPACE_OBJECT),
    "planning:budget_edit": Row(url("planning:budget_edit", "draft"), WORKSPACE_OBJECT),
    "planning:budget_line_create": Row(url("planning:budget_line_create", "draft"), WORKSPACE_OBJECT),
    "planning:programme_ceiling_set": Row(url("planning:programme_ceiling_set", "draft"), WORKSPACE_OBJECT),
    "planning:budget_line_edit": Row(url("planning:budget_line_edit", "draft_line"), WORKSPACE_OBJECT),
    "planning:budget_line_execution": Row(url("planning:budget_line_execution", "published_line"), WORKSPACE_OBJECT),
    "planning:budget_line_stages": Row(url("planning:budget_line_stages", "published_line"), WORKSPACE_OBJECT),
    "planning:budget_quarter_close": Row(
        url("planning:budget_quarter_close", "published"), WORKSPACE_ACTION, method="post"
    ),
    "planning:budget_line_delete": Row(
        url("planning:budget_line_delete", "published_line"), WORKSPACE_ACTION, method="post"
    ),
    "planning:programme_ceiling_remove": Row(
        url("planning:programme_ceiling_remove", "published_ceiling"), WORKSPACE_ACTION, method="post"
    ),
    "planning:report_index": Row(fixed("planning:report_index"), PUBLIC),
    "planning:report_year": Row(fixed("planning:report_year", 2025), PUBLIC),
    "planning:report_year_pdf": Row(fixed("planning:report_year_pdf", 2025), PUBLIC),
    "planning:report_list": Row(fixed("planning:report_list"), WORKSPACE_SECTION),
    "planning:report_create": Row(fixed("planning:report_create"), WORKSPACE_SECTION),
    "planning:report_workspace": Row(url("planning:report_workspace", "draft_report"), WORKSPACE_OBJECT),
    "planning:report_edit": Row(url("planning:report_edit", "draft_report"), WORKSPACE_OBJECT),
    "planning:report_pdf_preview": Row(url("planning:report_pdf_preview", "draft_report"), WORKSPACE_OBJECT),
    "planning:report_section_create": Row(url("planning:report_section_create", "draft_report"), WORKSPACE_OBJECT),
    "planning:report_section_edit": Row(url("planning:report_section_edit", "draft_section"), WORKSPACE_OBJECT),
    "planning:report_section_delete": Row(
        url("planning:report_section_delete", "published_section"), WORKSPACE_ACTION, method="post"
    ),
    "planning:evaluation_index": Row(fixed("planning:evaluation_index"), PUBLIC),
    "planning:evaluation_year": Row(fixed("planning:evaluation_year", 2025), PUBLIC),
    "planning:evaluation_list": Row(fixed("planning:evaluation_list"), WORKSPACE_SECTION),
    "planning:evaluation_create": Row(fixed("planning:evaluation_create"), WORKSPACE_SECTION),
    "planning:evaluation_workspace": Row(url("planning:evaluation_workspace", "draft_evaluation"), WORKSPACE_OBJECT),
    "planning:evaluation_edit": Row(url("planning:evaluation_edit", "draft_evaluation"), WORKSPACE_OBJECT),
    "planning:finding_create": Row(url("planning:finding_create", "draft_evaluation"), WORKSPACE_OBJECT),
    "planning:finding_edit": Row(url("planning:finding_edit", "draft_finding"), WORKSPACE_OBJECT),
    "planning:finding_delete": Row(
        url("planning:finding_delete", "published_finding"), WORKSPACE_ACTION, method="post"
    ),
}
