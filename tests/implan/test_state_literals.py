"""States by their TextChoices member, never as a string literal: a renamed state value fails here, not in
production. Columns of open-data files and words accepted in uploaded files are vocabulary, not states."""

from __future__ import annotations

import ast
from pathlib import Path

from consultations.models import (
    CallState,
    CommentState,
    ConsultationState,
    DigestFrequency,
    ProposalState,
    SubscriptionState,
    Verdict,
)
from councils.models import (
    AttendanceStatus,
    MinutesState,
    MotionResult,
    MotionState,
    NoticeKind,
    ReplyAnswer,
    SessionState,
    VoteOption,
)
from implan.models import AdminImportState, LifecycleState
from indicators.models import ImportJobState, ObservationStatus
from projects.models import ProjectStatus

ROOT = Path(__file__).resolve().parents[2]
APPS = ["implan", "councils", "indicators", "planning", "projects", "consultations", "bench"]
STATES = {
    value
    for choices in (
        LifecycleState,
        SessionState,
        MinutesState,
        MotionState,
        MotionResult,
        ProjectStatus,
        ImportJobState,
        AdminImportState,
        ObservationStatus,
        AttendanceStatus,
        VoteOption,
        NoticeKind,
        ReplyAnswer,
        ConsultationState,
        CommentState,
        Verdict,
        SubscriptionState,
        DigestFrequency,
        CallState,
        ProposalState,
    )
    for value in choices.values
}
# (file, value): why the word is not a state there.
VOCABULARY = {
    ("planning/opendata.py", "aprobado"): "a column of the Fiscal Data Package",
    ("indicators/importing.py", "preliminar"): "a word an uploaded file may use for the status",
    ("indicators/importing.py", "definitivo"): "a word an uploaded file may use for the status",
    ("bench/import_indicators.py", "definitivo"): "the status column of a generated upload",
    ("consultations/selectors.py", "informe_publicado"): "a key of the consultations' open-data JSON",
    ("consultations/proposal_selectors.py", "convocatoria"): "a column of the citizen proposals' open data",
    ("consultations/proposals.py", "convocatoria"): "the fallback slug of a call",
}
GETTEXT = {"_", "gettext", "gettext_lazy", "pgettext_lazy"}


def _translated(tree: ast.AST) -> set[int]:
    """ids of the string constants handed to gettext (labels: «publicado» as a field's name is a word)."""
    return {
        id(arg)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in GETTEXT
        for arg in node.args
    }


def _choices_members(tree: ast.AST) -> set[int]:
    """ids of the constants that define a TextChoices member (``DRAFT = "borrador", _("Borrador")``)."""
    return {
        id(node.value.elts[0] if isinstance(node.value, ast.Tuple) else node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()
    }


def test_no_app_spells_a_state_as_a_string():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = str(path.relative_to(ROOT))
            tree = ast.parse(path.read_text(), filename=name)
            skip = _translated(tree) | _choices_members(tree)
            found += [
                (name, node.lineno, node.value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and node.value in STATES
                and id(node) not in skip
                and (name, node.value) not in VOCABULARY
            ]
    assert found == []
