"""Import/export of projects, keyed by their code."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Agency, Territory
from projects.models import Project


class ProjectResource(resources.ModelResource):
    # Exported, never imported: the status moves only through projects.services, the score only by assessment.
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    priority_score = fields.Field(attribute="priority_score", column_name="priority_score", readonly=True)
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, "slug"))
    territory = fields.Field(attribute="territory", column_name="territory", widget=ForeignKeyWidget(Territory, "code"))

    class Meta:
        model = Project
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code"]
        fields = ["code", "title", "slug", "problem", "description", "strategy", "programme", "agency", "territory",
                  "latitude", "longitude", "beneficiaries", "estimated_cost", "status", "priority_score"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True
