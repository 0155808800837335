"""Import/export of projects, keyed by their code.

An imported row corrects an existing project through ``projects.services.project_update``, the planners' edit in
the workspace (place inside the municipality, programme of the same strategy, closed projects unchanged). New
projects are not imported: a project starts as a council's proposal (``project_propose``), which records its origin.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from implan.models import Agency, Territory
from implan.resources_base import IMPORT_REASON, KeyWidget, ServiceResource
from projects import services
from projects.models import Project


class ProjectResource(ServiceResource):
    # Exported, never imported: the status moves only through projects.services, the score only by assessment, and
    # the slug is made from the title when the project is proposed.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    priority_score = fields.Field(attribute="priority_score", column_name="priority_score", readonly=True)
    slug = fields.Field(attribute="slug", column_name="slug", readonly=True)
    agency = fields.Field(attribute="agency", column_name="agency", widget=KeyWidget(Agency, "slug"))
    territory = fields.Field(attribute="territory", column_name="territory", widget=KeyWidget(Territory, "code"))

    class Meta:
        model = Project
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code"]
        fields = [
            "code",
            "title",
            "slug",
            "problem",
            "description",
            "strategy",
            "programme",
            "agency",
            "territory",
            "latitude",
            "longitude",
            "beneficiaries",
            "estimated_cost",
            "status",
            "priority_score",
        ]

    def validate_instance(
        self, instance: Project, import_validation_errors: dict | None = None, validate_unique: bool = True
    ) -> None:
        if instance.pk is None:  # said alone: the fields a proposal would fill in are beside the point
            raise ValidationError(
                _(
                    "No existe un proyecto con la clave «%(code)s». Los proyectos nuevos nacen como "
                    "propuesta de un consejo en el espacio de trabajo; aquí solo se corrigen los "
                    "existentes."
                )
                % {"code": instance.code}
            )
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def save_through_service(self, instance: Project, *, is_create: bool, actor: Any) -> Project:
        data = services.ProjectData(**{name: getattr(instance, name) for name in services.EDITABLE_FIELDS})
        return services.project_update(
            actor=actor, project=Project.objects.get(pk=instance.pk), data=data, reason=str(IMPORT_REASON)
        )
