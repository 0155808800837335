"""Import/export of bodies, people and memberships; natural keys (slugs) so re-imports update.

Memberships are saved through ``councils.services`` (seat limit, one open seat per person and body, dates), as the
workspace saves them; bodies and people have no service of their own and are checked by their model plus the
seat-limit rule.
"""

from typing import Any

from django.utils.translation import gettext as _
from import_export import fields

from councils.models import Body, Membership, Person
from councils.services import memberships as membership_services
from implan.errors import DomainError
from implan.resources_base import KeyWidget, PortalResource, ServiceResource


class BodyResource(PortalResource):
    # Exported, never imported: a body's majorities change only through rules_services.body_set_voting_rules.
    majority_percent = fields.Field(attribute="majority_percent", column_name="majority_percent", readonly=True)
    majority_base = fields.Field(attribute="majority_base", column_name="majority_base", readonly=True)
    qualified_majority_percent = fields.Field(
        attribute="qualified_majority_percent", column_name="qualified_majority_percent", readonly=True
    )
    qualified_majority_base = fields.Field(
        attribute="qualified_majority_base", column_name="qualified_majority_base", readonly=True
    )

    class Meta:
        model = Body
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "kind",
            "purpose",
            "seat_limit",
            "quorum_percent",
            "majority_percent",
            "majority_base",
            "qualified_majority_percent",
            "qualified_majority_base",
            "renewal_period_years",
            "renewal_min_continuity_percent",
            "is_active",
        ]

    def check_row(self, instance: Body) -> None:
        membership_services.check_seat_limit(body=instance, seat_limit=instance.seat_limit)


class PersonResource(PortalResource):
    """Public facts only: the account link (who votes as this person) and contact data are not imported."""

    class Meta:
        model = Person
        import_id_fields = ["slug"]
        fields = ["slug", "name", "sort_name", "biography"]


class MembershipResource(ServiceResource):
    """A row adds a seat (``membership_add``) or ends one (``membership_end``); a change of role, sector or vote
    is a new membership from a date, made with «Cambiar» in the workspace (``membership_change``)."""

    person = fields.Field(attribute="person", column_name="person", widget=KeyWidget(Person, "slug"))
    body = fields.Field(attribute="body", column_name="body", widget=KeyWidget(Body, "slug"))

    class Meta:
        model = Membership
        import_id_fields = ["person", "body", "start_date"]
        fields = ["person", "body", "role", "sector", "has_vote", "start_date", "end_date", "end_reason"]

    def save_through_service(self, instance: Membership, *, is_create: bool, actor: Any) -> Membership:
        if is_create:
            membership = membership_services.membership_add(
                actor=actor,
                body=instance.body,
                person=instance.person,
                role=instance.role,
                sector=instance.sector,
                start_date=instance.start_date,
                has_vote=instance.has_vote,
            )
            return self._end(membership, instance, actor) if instance.end_date else membership
        stored = Membership.objects.get(pk=instance.pk)
        if any(getattr(stored, name) != getattr(instance, name) for name in ("role", "sector", "has_vote")):
            raise DomainError(
                _(
                    "El cargo, el sector o el voto de %(person)s no se cambian en la fila: use «Cambiar» "
                    "en la ficha del órgano, que cierra esta membresía y abre otra desde una fecha."
                )
                % {"person": stored.person}
            )
        if stored.end_date == instance.end_date:
            return stored
        if stored.end_date is not None:
            raise DomainError(
                _("La membresía de %(person)s ya terminó el %(date)s; esa fecha no se cambia.")
                % {"person": stored.person, "date": stored.end_date.isoformat()}
            )
        return self._end(stored, instance, actor)

    def _end(self, membership: Membership, row: Membership, actor: Any) -> Membership:
        assert row.end_date is not None  # both callers checked the row ends
        return membership_services.membership_end(
            actor=actor,
            membership=membership,
            end_date=row.end_date,
            reason=row.end_reason or _("Baja registrada por importación"),
        )
