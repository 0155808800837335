"""Import/export of bodies and memberships; natural keys (slugs) so re-imports update."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from councils.models import Body, Membership, Person


class BodyResource(resources.ModelResource):
    # Exported, never imported: a body's majorities change only through services.body_set_voting_rules.
    majority_percent = fields.Field(attribute="majority_percent", column_name="majority_percent", readonly=True)
    majority_base = fields.Field(attribute="majority_base", column_name="majority_base", readonly=True)
    qualified_majority_percent = fields.Field(attribute="qualified_majority_percent",
                                              column_name="qualified_majority_percent", readonly=True)
    qualified_majority_base = fields.Field(attribute="qualified_majority_base", column_name="qualified_majority_base",
                                           readonly=True)

    class Meta:
        model = Body
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "purpose", "seat_limit", "quorum_percent", "majority_percent",
                  "majority_base", "qualified_majority_percent", "qualified_majority_base", "renewal_period_years",
                  "renewal_min_continuity_percent", "is_active"]
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
