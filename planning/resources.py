"""Import/export of planning records; natural keys so re-imports update."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Agency
from planning.models import BudgetLine, Programme, Strategy
from planning.plan_services import in_draft


class DraftOnlyResource(resources.ModelResource):
    """Rows are imported only into draft instruments: an approved or published one changes by a new version."""

    # Dotted foreign keys from the row's record to its instrument (see planning.admin.DraftOnlyAdmin).
    instrument_path = ""

    def import_instance(self, instance: models.Model, row: Any, **kwargs: Any) -> None:
        # Checked before (the row must not rewrite a frozen record) and after (nor move one into a frozen instrument).
        if instance.pk is not None:
            self._require_draft(instance)
        super().import_instance(instance, row, **kwargs)
        self._require_draft(instance)

    def _require_draft(self, instance: models.Model) -> None:
        try:
            editable = in_draft(instance, self.instrument_path)
        except ObjectDoesNotExist:
            return  # no instrument named yet: the model's own validation reports the missing field
        if not editable:
            raise ValidationError(_("Solo se importan filas de instrumentos en borrador; para cambiar uno aprobado o "
                                    "publicado cree una nueva versión."))


class StrategyResource(DraftOnlyResource):
    instrument_path = "plan"

    class Meta:
        model = Strategy
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["plan", "slug"]
        fields = ["plan", "slug", "number", "name", "vertiente", "description"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class ProgrammeResource(DraftOnlyResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, "slug"))

    class Meta:
        model = Programme
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code", "version"]
        fields = ["code", "version", "name", "slug", "description", "strategy", "agency"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class BudgetLineResource(DraftOnlyResource):
    instrument_path = "budget"
    programme = fields.Field(attribute="programme", column_name="programme", widget=ForeignKeyWidget(Programme, "code"))
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, "slug"))

    class Meta:
        model = BudgetLine
        fields = ["id", "budget", "programme", "agency", "chapter", "funding_source", "description",
                  "approved_amount", "modified_amount", "executed_amount"]
        use_transactions = True
        rollback_on_validation_errors = True
