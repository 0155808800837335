"""Permission rows of a programme's MIR.

The world has a draft plan whose first programme has a complete MIR in draft, and a published programme with its
MIR. The consejero is a current member of the commission of the draft programme's strategy: they see and change
its MIR (200) like the planners; everyone else sees nothing of it (404). The public MIR page, its PDF and the open
data files answer everyone. Delete rows ask for the confirmation page (GET).
"""

from __future__ import annotations

from implan.models import LifecycleState
from tests.permissions.matrix import NOT_FOUND, OK, Row, World, everyone, fixed, logged_in, url
from tests.planning.mir_builders import complete_mir
from tests.planning.plan_builders import plan_world


def build(world: World) -> None:
    draft = plan_world(slug="mir")
    programme = draft.programmes[0]
    rows = complete_mir(programme)
    published = draft.programmes[1]
    complete_mir(published)
    published.state = LifecycleState.PUBLISHED
    published.save()
    world.users["consejero"] = draft.commission_member
    world.objects.update(
        mir_programme=programme,
        mir_row=rows[-1],  # an actividad: deleting it is allowed
        mir_link=rows[0].indicators.get(),
        mir_variable=rows[0].indicators.get().variables.first(),
        mir_published=published,
    )


COMMISSION_OR_PLANNERS = logged_in(NOT_FOUND, consejero=OK, planeador=OK, administrador=OK)

ROWS: dict[str, Row] = {
    "planning:mir_public": Row(url("planning:mir_public", "mir_published", attr="code"), everyone(OK)),
    "planning:mir_public_pdf": Row(url("planning:mir_public_pdf", "mir_published", attr="code"), everyone(OK)),
    "planning:mir_csv": Row(fixed("planning:mir_csv"), everyone(OK)),
    "planning:mir_json": Row(fixed("planning:mir_json"), everyone(OK)),
    "planning:mir_workspace": Row(url("planning:mir_workspace", "mir_programme"), COMMISSION_OR_PLANNERS),
    "planning:mir_row_create": Row(url("planning:mir_row_create", "mir_programme"), COMMISSION_OR_PLANNERS),
    "planning:mir_row_edit": Row(url("planning:mir_row_edit", "mir_row"), COMMISSION_OR_PLANNERS),
    "planning:mir_row_delete": Row(url("planning:mir_row_delete", "mir_row"), COMMISSION_OR_PLANNERS),
    "planning:mir_indicator_create": Row(url("planning:mir_indicator_create", "mir_row"), COMMISSION_OR_PLANNERS),
    "planning:mir_indicator_edit": Row(url("planning:mir_indicator_edit", "mir_link"), COMMISSION_OR_PLANNERS),
    "planning:mir_indicator_delete": Row(url("planning:mir_indicator_delete", "mir_link"), COMMISSION_OR_PLANNERS),
    "planning:mir_variable_create": Row(url("planning:mir_variable_create", "mir_link"), COMMISSION_OR_PLANNERS),
    "planning:mir_variable_delete": Row(url("planning:mir_variable_delete", "mir_variable"), COMMISSION_OR_PLANNERS),
}
