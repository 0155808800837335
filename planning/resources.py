"""Import/export of planning records; natural keys so re-imports update."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from implan.models import Agency
from planning.models import BudgetLine, Programme, Strategy


class StrategyResource(resources.ModelResource):
    class Meta:
        model = Strategy
        import_id_fields = ["plan", "slug"]
        fields = ["plan", "slug", "number", "name", "vertiente", "description"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class ProgrammeResource(resources.ModelResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, "slug"))

    class Meta:
        model = Programme
        import_id_fields = ["code", "version"]
        fields = ["code", "version", "name", "slug", "description", "strategy", "agency"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class BudgetLineResource(resources.ModelResource):
    programme = fields.Field(attribute="programme", column_name="programme", widget=ForeignKeyWidget(Programme, "code"))
    agency = fields.Field(attribute="agency", column_name="agency", widget=ForeignKeyWidget(Agency, "slug"))

    class Meta:
        model = BudgetLine
        fields = ["id", "budget", "programme", "agency", "chapter", "funding_source", "description",
                  "approved_amount", "modified_amount", "executed_amount"]
        use_transactions = True
        rollback_on_validation_errors = True
