"""Import/export of bodies and memberships; natural keys (slugs) so re-imports update."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from councils.models import Body, Membership, Person


class BodyResource(resources.ModelResource):
    class Meta:
        model = Body
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "purpose", "seat_limit", "quorum_percent", "majority_percent",
                  "qualified_majority_percent", "renewal_period_years", "renewal_min_continuity_percent", "is_active"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True


class MembershipResource(resources.ModelResource):
    person = fields.Field(attribute="person", column_name="person", widget=ForeignKeyWidget(Person, "slug"))
    body = fields.Field(attribute="body", column_name="body", widget=ForeignKeyWidget(Body, "slug"))

    class Meta:
        model = Membership
        import_id_fields = ["person", "body", "start_date"]
        fields = ["person", "body", "role", "sector", "has_vote", "start_date", "end_date"]
        skip_unchanged = True
        use_transactions = True
        rollback_on_validation_errors = True
