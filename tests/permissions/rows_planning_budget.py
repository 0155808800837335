"""Permission rows of the planning app's money side: budget, annual report, evaluation, budget open data.

The public pages show published instruments to everyone. The workspace belongs to the planning staff: other
logged-in roles get 403 on list and creation pages and 404 on an instrument's own pages. One-shot actions are
tried on a frozen (published) budget: the planner's request is refused by the service and redirected (302).
"""

from __future__ import annotations

from decimal import Decimal

from implan.models import LifecycleState
from tests.factories import BudgetFactory, BudgetLineFactory, FiscalYearFactory, ProgrammeFactory
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
    """A published 2025 budget (public pages, execution, refused actions) and a draft 2026 budget."""
    published = BudgetFactory(state=LifecycleState.PUBLISHED, ceiling=Decimal("100000"))
    published_line = BudgetLineFactory(budget=published, approved_amount=Decimal("5000"))
    published_ceiling = published.programme_ceilings.create(programme=published_line.programme,
                                                            amount=Decimal("6000"))
    draft = BudgetFactory(fiscal_year=FiscalYearFactory(year=2026), title="Presupuesto 2026")
    draft_line = BudgetLineFactory(budget=draft, programme=ProgrammeFactory())
    world.objects.update(published=published, published_line=published_line, published_ceiling=published_ceiling,
                         draft=draft, draft_line=draft_line)


PUBLIC = everyone(OK)
WORKSPACE_SECTION = logged_in(FORBIDDEN, planeador=OK, administrador=OK)
WORKSPACE_OBJECT = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
WORKSPACE_ACTION = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)

ROWS: dict[str, Row] = {
    "planning:budget_index": Row(fixed("planning:budget_index"), PUBLIC),
    "planning:budget_year": Row(fixed("planning:budget_year", 2025), PUBLIC),
    "planning:budget_datapackage": Row(fixed("planning:budget_datapackage", 2025), PUBLIC),
    "planning:budget_csv": Row(fixed("planning:budget_csv", 2025), PUBLIC),
    "planning:budget_list": Row(fixed("planning:budget_list"), WORKSPACE_SECTION),
    "planning:budget_create": Row(fixed("planning:budget_create"), WORKSPACE_SECTION),
    "planning:budget_detail": Row(url("planning:budget_detail", "draft"), WORKSPACE_OBJECT),
    "planning:budget_edit": Row(url("planning:budget_edit", "draft"), WORKSPACE_OBJECT),
    "planning:budget_line_create": Row(url("planning:budget_line_create", "draft"), WORKSPACE_OBJECT),
    "planning:programme_ceiling_set": Row(url("planning:programme_ceiling_set", "draft"), WORKSPACE_OBJECT),
    "planning:budget_line_edit": Row(url("planning:budget_line_edit", "draft_line"), WORKSPACE_OBJECT),
    "planning:budget_line_execution": Row(url("planning:budget_line_execution", "published_line"),
                                          WORKSPACE_OBJECT),
    "planning:budget_line_delete": Row(url("planning:budget_line_delete", "published_line"), WORKSPACE_ACTION,
                                       method="post"),
    "planning:programme_ceiling_remove": Row(url("planning:programme_ceiling_remove", "published_ceiling"),
                                             WORKSPACE_ACTION, method="post"),
}
