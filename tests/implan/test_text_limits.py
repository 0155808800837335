"""Every free text has a maximum, and every write path enforces it with a Spanish message, saving nothing.

Forms (``max_length``), model validation (the admin and import resources, through ``full_clean``) and the services
(``implan.limits.require_text_limits``) all refuse a text over its field's maximum.
"""

from __future__ import annotations

import pytest
import tablib
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from councils.models import AttendanceStatus, Minutes
from councils.services import minutes as minutes_services
from councils.services import sessions as session_services
from implan.errors import DomainError
from implan.limits import LONG_TEXT, SHORT_TEXT, TEXT
from indicators import services as indicator_services
from indicators.models import Indicator
from planning.models import StrategicPlan
from planning.services import plan as plan_services
from projects import services as project_services
from projects.models import Project
from projects.resources import ProjectResource
from tests.councils.builders import council
from tests.factories import ProjectFactory
from tests.projects.builders import community_member
from tests.projects.test_workspace import _proposal

pytestmark = pytest.mark.django_db

APPS = ("implan", "councils", "planning", "projects", "indicators", "consultations")
TEN_MEGABYTES = "a" * 10_000_000  # under the request cap (DATA_UPLOAD_MAX_MEMORY_SIZE, 10 MiB), as it got through


def _text_fields() -> list[tuple[str, models.TextField]]:
    """The apps' own text fields. History tables copy them (maximum included) and add simple-history's reason,
    whose maximum the services hold (``test_a_change_reason_over_its_maximum_is_refused``)."""
    return [
        (f"{model._meta.label}.{field.name}", field)
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not hasattr(model, "instance_type")  # a simple-history table
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
    ]


def test_every_text_field_has_a_maximum_that_model_validation_enforces():
    fields = _text_fields()
    assert len(fields) > 25  # the walk does see the apps' models
    unbounded = [
        name
        for name, field in fields
        if not field.max_length
        or not any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators)
    ]
    assert unbounded == [], "dé a cada texto un máximo con implan.limits.limited_text"


def test_a_ten_megabyte_project_description_is_refused_on_the_form_and_nothing_is_saved(client):
    member = community_member()
    client.force_login(member.user)
    response = client.post(reverse("projects:project_propose"), _proposal(member, description=TEN_MEGABYTES))
    assert response.status_code == 200
    assert f"como máximo {TEXT:,}".replace(",", "") in response.content.decode().replace(",", "")
    assert not Project.objects.exists()


def test_the_form_tells_the_browser_the_maximum(client):
    member = community_member()
    client.force_login(member.user)
    html = client.get(reverse("projects:project_propose")).content.decode()
    assert f'maxlength="{TEXT}"' in html


def test_a_service_refuses_a_text_over_its_maximum_naming_the_field(planner):
    project = ProjectFactory(description="Antes")
    data = project_services.ProjectData(
        title=project.title,
        problem=project.problem,
        strategy=project.strategy,
        territory=project.territory,
        description="x" * (TEXT + 1),
    )
    with pytest.raises(DomainError, match="«descripción» admite como máximo 10,000 caracteres; tiene 10,001"):
        project_services.project_update(actor=planner, project=project, data=data)
    project.refresh_from_db()
    assert project.description == "Antes"


def test_the_indicator_catalogue_refuses_a_definition_over_its_maximum(planner):
    with pytest.raises(DomainError, match="«definición» admite como máximo"):
        indicator_services.indicator_create(
            actor=planner, data={"code": "SUS-99", "name": "Agua", "definition": "x" * (TEXT + 1)}
        )
    assert not Indicator.objects.exists()


def test_minutes_over_their_maximum_are_refused():
    c = council(size=3)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=c.secretary,
        body=c.body,
        scheduled_at=timezone.now(),
        place="x",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    session_services.session_record_attendance(
        actor=c.secretary, session=session, statuses={m.pk: AttendanceStatus.PRESENT for m in c.members}
    )
    session_services.session_close(actor=c.secretary, session=session)
    with pytest.raises(DomainError, match="«texto del acta» admite como máximo 100,000"):
        minutes_services.minutes_draft(actor=c.secretary, session=session, text="x" * (LONG_TEXT + 1))
    assert not Minutes.objects.exists()


def test_a_plan_summary_over_its_maximum_is_refused(planner):
    with pytest.raises(DomainError, match="«resumen» admite como máximo"):
        plan_services.plan_create(actor=planner, values={"title": "Plan 2045", "summary": "x" * (TEXT + 1)})
    assert not StrategicPlan.objects.exists()


def test_a_change_reason_over_its_maximum_is_refused(planner):
    project = ProjectFactory(description="Antes")
    data = project_services.ProjectData(
        title=project.title,
        problem=project.problem,
        strategy=project.strategy,
        territory=project.territory,
        description="Después",
    )
    with pytest.raises(DomainError, match="«motivo» admite como máximo 2,000"):
        project_services.project_update(actor=planner, project=project, data=data, reason="x" * (SHORT_TEXT + 1))
    project.refresh_from_db()
    assert project.description == "Antes"


def test_an_import_row_with_a_text_over_its_maximum_is_refused_and_nothing_is_saved():
    project = ProjectFactory(code="PE-2025-001", description="Antes")
    exported = ProjectResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True)) | {"description": "x" * (TEXT + 1)}
    result = ProjectResource().import_data(tablib.Dataset(list(row.values()), headers=list(row)), dry_run=False)
    assert result.has_validation_errors()
    messages = [m for invalid in result.invalid_rows for m in invalid.error_dict.get("description", [])]
    assert any("como máximo 10000 caracteres" in str(m) for m in messages)
    project.refresh_from_db()
    assert project.description == "Antes"
