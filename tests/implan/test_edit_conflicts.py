"""Every edit form of the workspace refuses a stale copy: two people open it, both save, the second is told what
changed (before → now), keeps their input, and nothing of their save is stored.

Every workspace URL pattern (``/espacio/…``) is either an edit form tried here (``COVERED``) or exempt with a reason
(``EXEMPT``); a new pattern in neither fails ``test_every_workspace_url_is_an_edit_form_tried_here_or_exempt``. The
objects behind each URL are the permission matrix's worlds (tests/permissions), so a new edit form needs only its
line here. Each form is read from its page and sent back as a browser would (tests/htmlforms.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consultations.models import Verdict
from councils.models import AttendanceStatus, MajorityBase, MembershipRole, Sector
from councils.services import renewal as renewal_services
from councils.services import votes as vote_services
from implan.concurrency import MISSING_TOKEN
from implan.models import LifecycleState
from planning.models import BudgetExecution, StrategicPlan
from tests.htmlforms import Form, post_form
from tests.permissions.matrix import World, world_of
from tests.permissions.test_matrix import ROWS
from tests.projects.builders import criteria

CONFLICT = "Este registro cambió desde que lo abrió"
Changes = dict[str, str] | Callable[[dict[str, Any]], dict[str, str]]


@dataclass(frozen=True)
class Edit:
    """How two people try one edit form: who they are, what each changes, and where the form is shown when it is
    not at its own URL (the form of a session's minutes is on the session's page)."""

    role: str
    first: Changes
    second: Changes
    page: Callable[[dict[str, Any]], str] | None = None
    prepare: Callable[[World], None] | None = None


def _session_page(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda objects: f"/espacio/sesiones/{objects[key].pk}/"


def _strategy_in_force(world: World) -> None:
    """The project form offers the strategies of the plan in force; the proposal's is one of them."""
    StrategicPlan.objects.filter(strategies=world.objects["proposal"].strategy).update(state=LifecycleState.PUBLISHED)


def _criteria(world: World) -> None:
    world.objects["criteria"] = criteria()


def _first_quarter(world: World) -> None:
    """The line's first quarter already recorded: the stages form then edits it (the page opens on quarter 1)."""
    BudgetExecution.objects.create(
        line=world.objects["published_line"],
        quarter=1,
        modified=5000,
        committed=4000,
        accrued=3000,
        exercised=2000,
        paid=1000,
    )


def _weights(first: str) -> Callable[[dict[str, Any]], dict[str, str]]:
    return lambda objects: {f"peso_{objects['criteria'][0].pk}": first}


def _session_without_vote(world: World) -> None:
    """Attendance is taken while no vote is open: the session's vote is closed (a body sits in one session at a
    time, so a second session of it could not start)."""
    vote_services.motion_close(actor=world.users["secretario"], motion=world.objects["motion"], confirmed=True)


def _renewal_in_advance(world: World) -> None:
    """The renewal form edits the renewal recorded in advance: one is recorded, keeping every outgoing member."""
    body = world.objects["body"]
    renewal_services.body_renew(
        actor=world.users["secretario"],
        body=body,
        name="2099–2102",
        start_date=datetime.date(2099, 1, 1),
        end_date=datetime.date(2101, 12, 31),
        continuing=list(body.memberships.current().citizens()),
        joining=[],
    )


def _attendance(status: str) -> Callable[[dict[str, Any]], dict[str, str]]:
    return lambda objects: {f"m{objects['member'].pk}": status}


def _answers_page(objects: dict[str, Any]) -> str:
    return reverse("consultations:answers", args=[objects["closed"].pk])


PLANNER, SECRETARY = "planeador", "secretario"

COVERED: dict[str, Edit] = {
    # Public consultations.
    "consultations:edit": Edit(PLANNER, {"title": "Consulta de Ana"}, {"title": "Consulta de Beto"}),
    "consultations:call_edit": Edit(PLANNER, {"title": "Convocatoria de Ana"}, {"title": "Convocatoria de Beto"}),
    # Both forms are on the answers page; two planners answering the same contribution (the first answer included).
    "consultations:comment_answer": Edit(
        PLANNER,
        {"verdict": Verdict.ACCEPTED, "reason": "Razón de Ana"},
        {"verdict": Verdict.NOT_ACCEPTED, "reason": "Razón de Beto"},
        page=_answers_page,
    ),
    "consultations:contribution_answer": Edit(
        PLANNER,
        {"verdict": Verdict.PARTLY, "reason": "Razón de Ana"},
        {"verdict": Verdict.ACCEPTED, "reason": "Razón de Beto"},
        page=_answers_page,
    ),
    # The plan and its parts.
    "planning:plan_edit": Edit(PLANNER, {"title": "Plan de Ana"}, {"title": "Plan de Beto"}),
    "planning:vision_edit": Edit(PLANNER, {"statement": "Visión de Ana"}, {"statement": "Visión de Beto"}),
    "planning:vertiente_edit": Edit(PLANNER, {"name": "Vertiente de Ana"}, {"name": "Vertiente de Beto"}),
    "planning:strategy_edit": Edit(PLANNER, {"name": "Estrategia de Ana"}, {"name": "Estrategia de Beto"}),
    "planning:objective_edit": Edit(PLANNER, {"title": "Objetivo de Ana"}, {"title": "Objetivo de Beto"}),
    "planning:goal_edit": Edit(PLANNER, {"description": "Meta de Ana"}, {"description": "Meta de Beto"}),
    "planning:programme_edit": Edit(PLANNER, {"name": "Programa de Ana"}, {"name": "Programa de Beto"}),
    "planning:diagnosis_edit": Edit(PLANNER, {"title": "Diagnóstico de Ana"}, {"title": "Diagnóstico de Beto"}),
    "planning:section_edit": Edit(PLANNER, {"title": "Sección de Ana"}, {"title": "Sección de Beto"}),
    "planning:government_plan_edit": Edit(PLANNER, {"title": "Programa de Ana"}, {"title": "Programa de Beto"}),
    "planning:mir_row_edit": Edit(PLANNER, {"summary": "Actividad de Ana"}, {"summary": "Actividad de Beto"}),
    "planning:mir_indicator_edit": Edit(PLANNER, {"baseline_value": "41"}, {"baseline_value": "42"}),
    # Budget, annual report, evaluation.
    "planning:budget_edit": Edit(PLANNER, {"title": "Presupuesto de Ana"}, {"title": "Presupuesto de Beto"}),
    "planning:budget_line_edit": Edit(PLANNER, {"description": "Obra de Ana"}, {"description": "Obra de Beto"}),
    "planning:budget_line_execution": Edit(
        PLANNER,
        {"modified_amount": "5000", "executed_amount": "100", "reason": "Primer trimestre"},
        {"modified_amount": "5000", "executed_amount": "250", "reason": "Segundo trimestre"},
    ),
    "planning:budget_line_stages": Edit(PLANNER, {"paid": "1500"}, {"paid": "1800"}, prepare=_first_quarter),
    "planning:report_edit": Edit(PLANNER, {"title": "Informe de Ana"}, {"title": "Informe de Beto"}),
    "planning:report_section_edit": Edit(PLANNER, {"title": "Sección de Ana"}, {"title": "Sección de Beto"}),
    "planning:evaluation_edit": Edit(PLANNER, {"title": "Evaluación de Ana"}, {"title": "Evaluación de Beto"}),
    "planning:finding_edit": Edit(PLANNER, {"text": "Hallazgo de Ana"}, {"text": "Hallazgo de Beto"}),
    # The portfolio.
    "projects:project_edit": Edit(
        PLANNER, {"title": "Cancha de Ana"}, {"title": "Cancha de Beto"}, prepare=_strategy_in_force
    ),
    "projects:milestone_edit": Edit(PLANNER, {"title": "Licitación de Ana"}, {"title": "Licitación de Beto"}),
    "projects:criteria": Edit("administrador", _weights("30"), _weights("40"), prepare=_criteria),
    # Indicators.
    "indicators:indicator_update": Edit(PLANNER, {"name": "Indicador de Ana"}, {"name": "Indicador de Beto"}),
    # Councils.
    "councils:body_voting_rules": Edit(
        "administrador", {"majority_base": MajorityBase.CAST}, {"majority_base": MajorityBase.MEMBERS}
    ),
    "councils:body_notice_periods": Edit(
        "administrador",
        {"notice_hours_ordinary": "48", "notice_hours_extraordinary": "24"},
        {"notice_hours_ordinary": "96", "notice_hours_extraordinary": "24"},
    ),
    "councils:body_renew": Edit(
        SECRETARY,
        {"name": "Periodo de Ana", "new_names": "Persona de Ana"},
        {"name": "Periodo de Beto", "new_names": "Persona de Beto"},
        prepare=_renewal_in_advance,
    ),
    "councils:membership_change": Edit(
        SECRETARY,
        {"role": MembershipRole.PRESIDENT, "sector": Sector.CITIZEN},
        {"role": MembershipRole.MEMBER, "sector": Sector.CITIZEN},
    ),
    "councils:membership_end": Edit(SECRETARY, {"reason": "Renuncia"}, {"reason": "Cambio de domicilio"}),
    "councils:minutes_save": Edit(
        SECRETARY, {"text": "Acta de Ana"}, {"text": "Acta de Beto"}, page=_session_page("closed")
    ),
    "councils:session_attendance": Edit(
        SECRETARY,
        _attendance(AttendanceStatus.ABSENT),
        _attendance(AttendanceStatus.EXCUSED),
        page=_session_page("session"),
        prepare=_session_without_vote,
    ),
}

PAGE = "a page that shows records; its forms, if any, post to URLs of their own"
CREATE = "creates a new record: nobody else can have changed it since the form opened"
DELETE = "deletes after a confirmation; the service refuses what may no longer be deleted"
ACTION = "a one-shot action with no fields to overwrite; the service checks, under lock, the state it moves from"
FILE = "a loaded file's page or step; the file's own state machine orders the steps"

EXEMPT: dict[str, str] = {
    # Public consultations.
    "consultations:workspace_list": PAGE,
    "consultations:workspace_detail": PAGE,
    "consultations:moderation": PAGE,
    "consultations:answers": PAGE,
    "consultations:create": CREATE,
    "consultations:section_add": CREATE,
    "consultations:sections_prefill": CREATE,
    "consultations:forum_create": CREATE,
    "consultations:forum_detail": "a forum's page; its form adds a new contribution (nobody else can have changed it)",
    "consultations:section_delete": "removes a section while the consultation is a draft; the service checks that "
    "under lock",
    "consultations:open": ACTION,
    "consultations:close": ACTION,
    "consultations:report_publish": ACTION,
    "consultations:comment_moderate": "moderates a held comment once; the service refuses, under lock, one already "
    "moderated",
    "consultations:contributions_import": FILE,
    # Citizen proposals in an open call.
    "consultations:call_workspace_list": PAGE,
    "consultations:call_workspace": PAGE,
    "consultations:call_create": CREATE,
    "consultations:call_open": ACTION,
    "consultations:call_close": ACTION,
    "consultations:proposal_moderate": "moderates a held proposal once; the service refuses, under lock, one already "
    "moderated",
    "consultations:proposal_step": "moves a proposal one step of its assessment; the service refuses, under lock, a "
    "step from a state it is no longer in (a second click, or a colleague's move)",
    "consultations:proposal_to_project": ACTION,
    "implan:workspace": PAGE,
    "implan:audit_log": "a filter of the audit log (GET); it changes nothing",
    "implan:history_revert": "restores the values before one named change on purpose (administrators, one button); "
    "the revert itself is recorded in the history",
    # Councils.
    "councils:workspace_bodies": PAGE,
    "councils:workspace_body": PAGE,
    "councils:workspace_session": PAGE,
    "councils:membership_add": CREATE,
    "councils:body_secretaries": "creates a grant (the page lists grants; granting one already held changes nothing)",
    "councils:body_secretary_revoke": "removes a grant after one click; removing one already gone changes nothing",
    "councils:session_convene": CREATE,
    "councils:motion_open": ACTION,
    "councils:motion_close": ACTION,
    "councils:session_close": ACTION,
    "councils:session_cancel": ACTION,
    "councils:agenda_subject_add": "adds a point to a session not yet started; the service refuses, under the "
    "session's lock, a subject already on that agenda or a session already under way",
    "councils:vote_count": "the live count of an open vote (GET); it changes nothing",
    "councils:minutes_publish": ACTION,
    "councils:vote_cast": "each member's own vote, changed only by that member while the vote is open",
    "councils:session_reply": "each member's own answer to a convocation, changed only by that member",
    "councils:session_reschedule": "an announcement sent to the members: each change goes out with its own reason "
    "and calendar SEQUENCE; the service checks, under lock, that the session has not started",
    "implan:inbox": PAGE,
    "transparency:due": "the planner's list of what each transparency obligation owes (GET); it changes nothing",
    "implan:inbox_mark_read": ACTION,
    "implan:notification_preferences": "each person's own e-mail choices, changed only by that person",
    "councils:agenda_document_add": CREATE,
    "councils:agenda_document_remove": "removes one document after one click, before the session starts; removing "
    "one already gone is a 404",
    "councils:agenda_item_refreeze": ACTION,
    "councils:session_packet": "the meeting packet (a PDF); it changes nothing",
    # The plan.
    "planning:plan_workspace": PAGE,
    "planning:plan_detail": PAGE,
    "planning:strategy_detail": PAGE,
    "planning:programme_detail": PAGE,
    "planning:diagnosis_detail": PAGE,
    "planning:government_plan_detail": PAGE,
    "planning:instrument_compare": PAGE,
    "planning:plan_create": CREATE,
    "planning:vertiente_create": CREATE,
    "planning:strategy_create": CREATE,
    "planning:objective_create": CREATE,
    "planning:goal_create": CREATE,
    "planning:programme_create": CREATE,
    "planning:diagnosis_create": CREATE,
    "planning:section_create": CREATE,
    "planning:government_plan_create": CREATE,
    "planning:vertiente_delete": DELETE,
    "planning:strategy_delete": DELETE,
    "planning:objective_delete": DELETE,
    "planning:goal_delete": DELETE,
    "planning:programme_delete": DELETE,
    "planning:section_delete": DELETE,
    "planning:mir_workspace": PAGE,
    "planning:mir_row_create": CREATE,
    "planning:mir_indicator_create": CREATE,
    "planning:mir_row_delete": DELETE,
    "planning:mir_indicator_delete": DELETE,
    "planning:mir_variable_create": CREATE,  # variables are added and removed, never edited
    "planning:mir_variable_delete": DELETE,
    "planning:instrument_submit": ACTION,
    "planning:instrument_withdraw": ACTION,
    "planning:instrument_publish": ACTION,
    "planning:instrument_new_version": ACTION,
    # Budget, annual report, evaluation.
    "planning:budget_list": PAGE,
    "planning:budget_workspace": PAGE,
    "planning:report_list": PAGE,
    "planning:report_workspace": PAGE,
    "planning:report_pdf_preview": PAGE,
    "planning:evaluation_list": PAGE,
    "planning:evaluation_workspace": PAGE,
    "planning:budget_create": CREATE,
    "planning:budget_line_create": CREATE,
    "planning:report_create": CREATE,
    "planning:report_section_create": CREATE,
    "planning:evaluation_create": CREATE,
    "planning:finding_create": CREATE,
    "planning:programme_ceiling_set": "the form shows no stored amount: it sets the programme's allocation to the "
    "amount typed, within the ceilings the service checks under lock",
    "planning:budget_line_delete": DELETE,
    "planning:report_section_delete": DELETE,
    "planning:finding_delete": DELETE,
    "planning:programme_ceiling_remove": DELETE,
    "planning:budget_quarter_close": "a one-shot action that edits no field: a quarter closed twice is refused by the "
    "service under the budget's lock",
    # The portfolio.
    "projects:workspace_portfolio": PAGE,
    "projects:workspace_project": PAGE,
    "projects:project_propose": CREATE,
    "projects:project_assess": "each assessment is a new record with its own ratings; the project's score is the "
    "latest assessment's, as the history shows",
    "projects:progress_report": "each progress report is a new record; the service refuses progress below the "
    "last one reported unless a reason is given",
    "projects:milestone_add": CREATE,
    "projects:allocation_add": CREATE,
    "projects:project_transition": ACTION,
    "projects:liaisons": "creates a grant (the page lists grants; a grant already held is refused in the form)",
    "projects:liaison_revoke": "removes a grant after one click; removing one already gone changes nothing",
    # Indicators.
    "indicators:workspace_catalogue": PAGE,
    "indicators:workspace_indicator": PAGE,
    "indicators:indicator_create": CREATE,
    "indicators:import_list": "uploads a new file (a new import job)",
    "indicators:indicator_breakdown_add": "only adds a dimension or categories; what is declared stays as it is",
    "indicators:indicator_rate_define": "three choices, no text to lose; refused once the indicator has loaded data, "
    "and a second definition recomputes every value from its inputs",
    "indicators:import_detail": FILE,
    "indicators:import_progress": FILE,
    "indicators:import_confirm": FILE,
    "indicators:import_discard": FILE,
    "indicators:import_retry": FILE,
    "indicators:export_selection": "chooses what to download (GET); it changes nothing",
    "indicators:territory_import_list": "uploads a new territory catalogue (a new import job)",
    "indicators:territory_import_detail": FILE,
    "indicators:territory_import_progress": FILE,
    "indicators:territory_import_confirm": FILE,
    "indicators:territory_import_discard": FILE,
    "indicators:territory_boundary": "uploads a boundary file that replaces the territory's boundary whole; it writes "
    "back no field of a form someone may have opened earlier",
}


def workspace_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list, namespace: list[str], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, namespace + ([pattern.namespace] if pattern.namespace else []), route)
            elif isinstance(pattern, URLPattern) and pattern.name and route.lstrip("^").startswith("espacio/"):
                names.add(":".join([*namespace, pattern.name]))

    walk(get_resolver().url_patterns, [], "")
    return names


def test_every_workspace_url_is_an_edit_form_tried_here_or_exempt():
    names = workspace_url_names()
    assert names - COVERED.keys() - EXEMPT.keys() == set(), (
        "cada URL nueva del espacio de trabajo que edita un registro necesita la revisión de concurrencia y su "
        "línea en COVERED; si no edita un registro existente, su motivo en EXEMPT"
    )
    assert (COVERED.keys() | EXEMPT.keys()) - names == set()
    assert COVERED.keys() & EXEMPT.keys() == set()
    assert all(reason.strip() for reason in EXEMPT.values())


# --- Trying each edit form -------------------------------------------------------------------------------------


@dataclass
class Scene:
    target: str  # where the form posts
    page: str  # where it is shown
    objects: dict[str, Any]
    user: Any

    def open(self) -> tuple[Client, Form]:
        client = Client()
        client.force_login(self.user)
        return client, self.read(client)

    def read(self, client: Client) -> Form:
        response = client.get(self.page)
        assert response.status_code == 200, f"{self.page} → {response.status_code}"
        return post_form(response.content.decode(), self.page, self.target)

    def stored(self) -> list[tuple[str, str]]:
        """What the form shows now, without what changes on every opening (the snapshot token, the CSRF token)."""
        _client, form = self.open()
        return [(n, v) for n, v in form.fields if n not in ("opened", "csrfmiddlewaretoken")]


def _scene(name: str, edit: Edit) -> Scene:
    module, row = ROWS[name]
    world, _cookies = world_of(module)
    if edit.prepare:
        edit.prepare(world)
    target = row.url(world.objects)
    page = edit.page(world.objects) if edit.page else target
    return Scene(target=target, page=page, objects=world.objects, user=world.users[edit.role])


def _changes(changes: Changes, objects: dict[str, Any]) -> dict[str, str]:
    return changes(objects) if callable(changes) else changes


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(COVERED))
def test_a_stale_copy_of_an_edit_form_is_refused_with_what_changed_and_saves_nothing(name):
    edit = COVERED[name]
    scene = _scene(name, edit)
    (ana, ana_form), (beto, beto_form) = scene.open(), scene.open()
    first, second = _changes(edit.first, scene.objects), _changes(edit.second, scene.objects)
    saved = ana.post(scene.target, ana_form.data(**first))
    assert saved.status_code == 302, f"el primer guardado de {name} no pasó"
    after_first = scene.stored()
    refused = beto.post(scene.target, beto_form.data(**second))
    page = refused.content.decode()
    assert refused.status_code == 200 and CONFLICT in page, f"{name} guardó una copia vieja sin avisar"
    assert 'class="diff-new"' in page  # the before → now table names what the first save changed
    kept = post_form(page, scene.target, scene.target)
    assert all(kept.value(key) == [value] for key, value in second.items()), "se perdió lo que escribió Beto"
    assert scene.stored() == after_first, f"{name} guardó algo de la copia vieja"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(COVERED))
def test_an_edit_form_sent_without_its_snapshot_is_refused_and_saves_nothing(name):
    edit = COVERED[name]
    scene = _scene(name, edit)
    client, form = scene.open()
    before = scene.stored()
    data = form.data(**_changes(edit.first, scene.objects))
    del data["opened"]
    page = client.post(scene.target, data, follow=True).content.decode()
    # The vision's form also creates the vision: without a snapshot it is compared with an empty one.
    assert str(MISSING_TOKEN) in page or CONFLICT in page
    assert scene.stored() == before
