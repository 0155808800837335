"""Import/export of planning records; natural keys so re-imports update.

Every imported row is saved by the service the workspace uses (``planning.services.plan`` for strategies and
programmes, ``planning.services.budget.budget_line_save`` for budget lines): drafts only, ceilings, alignment and
who may edit, with the same messages, history reason and event rows.
"""

import dataclasses
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields, widgets

from implan.errors import DomainError
from implan.models import Agency
from implan.resources_base import KeyWidget, RowError, ServiceResource
from planning.models import BudgetLine, ConacCatalogue, ConacEntry, Programme, Strategy
from planning.services import budget as budget_services
from planning.services import plan as plan_services
from planning.services.editing import in_draft


class DraftOnlyResource(ServiceResource):
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
            raise ValidationError(
                _(
                    "Solo se importan filas de instrumentos en borrador; para cambiar uno aprobado o "
                    "publicado cree una nueva versión."
                )
            )

    def _values(self, instance: models.Model, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: getattr(instance, name) for name in names}


class StrategyResource(DraftOnlyResource):
    instrument_path = "plan"
    VALUES = ("slug", "number", "name", "vertiente", "description")

    class Meta:
        model = Strategy
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["plan", "slug"]
        fields = ["plan", "slug", "number", "name", "vertiente", "description"]

    def save_through_service(self, instance: Strategy, *, is_create: bool, actor: Any) -> Strategy:
        values = self._values(instance, self.VALUES)
        if is_create:
            return plan_services.strategy_create(actor=actor, plan=instance.plan, values=values)
        return plan_services.strategy_update(
            actor=actor, strategy=Strategy.objects.get(pk=instance.pk), values=values, seen=None
        )


class ProgrammeResource(DraftOnlyResource):
    agency = fields.Field(attribute="agency", column_name="agency", widget=KeyWidget(Agency, "slug"))
    VALUES = ("name", "slug", "description", "strategy", "agency")

    class Meta:
        model = Programme
        clean_model_instances = True  # the model's validators (text maxima, choices) bind imports too
        import_id_fields = ["code", "version"]
        fields = ["code", "version", "name", "slug", "description", "strategy", "agency"]

    def save_through_service(self, instance: Programme, *, is_create: bool, actor: Any) -> Programme:
        values = self._values(instance, self.VALUES)
        if not is_create:
            return plan_services.programme_update(
                actor=actor, programme=Programme.objects.get(pk=instance.pk), values=values, seen=None
            )
        if instance.version != 1:
            raise DomainError(
                _(
                    "La versión %(v)s del programa %(code)s no existe: una versión nueva se inicia en el "
                    "espacio de trabajo, a partir de la anterior."
                )
                % {"v": instance.version, "code": instance.code}
            )
        return plan_services.programme_create(actor=actor, values={"code": instance.code, **values})


class ConacCodeWidget(widgets.Widget):
    """A CONAC code as a spreadsheet holds it («2110», 2110 or 2110.0; «2.2.1»; «e»), read against its catalogue
    with the refusals of the budget's own form («La partida 2115 no existe en el Clasificador…»)."""

    def __init__(self, catalogue: str) -> None:
        super().__init__()
        self.catalogue = catalogue

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> ConacEntry | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed in a number cell
        code = str(value if value is not None else "").strip()
        code = code.upper() if self.catalogue == ConacCatalogue.PROGRAMMATIC else code
        try:
            return budget_services.conac_entry(self.catalogue, code)
        except DomainError as error:
            raise RowError(error.message) from error

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value else ""


def _conac(name: str, catalogue: str) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=ConacCodeWidget(catalogue))


class BudgetLineResource(DraftOnlyResource):
    instrument_path = "budget"
    programme = fields.Field(attribute="programme", column_name="programme", widget=KeyWidget(Programme, "code"))
    agency = fields.Field(attribute="agency", column_name="agency", widget=KeyWidget(Agency, "slug"))
    # CONAC's classifications by their codes, as the line form takes them (capítulo and concepto follow the partida).
    partida = _conac("partida", ConacCatalogue.OBJECT)
    subfunction = _conac("subfunction", ConacCatalogue.FUNCTIONAL)
    modality = _conac("modality", ConacCatalogue.PROGRAMMATIC)
    source = _conac("source", ConacCatalogue.FUNDING)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "budget",
            "programme",
            "agency",
            "chapter",
            "partida",
            "specific_partida",
            "subfunction",
            "modality",
            "source",
            "funding_source",
            "description",
            "approved_amount",
            "modified_amount",
            "executed_amount",
        ]

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # A file with the partida may leave the capítulo empty: it is the partida's (a contradicting one is refused).
        partida = row.get("partida")
        if not row.get("chapter") and partida not in (None, ""):
            row["chapter"] = f"{str(partida).strip()[:1]}000"
        super().before_import_row(row, **kwargs)

    def save_through_service(self, instance: BudgetLine, *, is_create: bool, actor: Any) -> BudgetLine:
        names = tuple(f.name for f in dataclasses.fields(budget_services.LineData))
        values = self._values(instance, names)
        # The service takes CONAC's classifications as codes; the instance holds catalogue entries (or nothing).
        for name in ("partida", "subfunction", "modality", "source"):
            values[name] = values[name].code if values[name] else ""
        data = budget_services.LineData(**values)
        line = None if is_create else BudgetLine.objects.get(pk=instance.pk)
        return budget_services.budget_line_save(actor=actor, budget=instance.budget, data=data, line=line)
