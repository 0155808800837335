"""The base of every import the Django admin offers: the rules of the workspace, Spanish row errors, all or nothing.

django-import-export writes rows straight into the tables: by default it skips the model's validation (choices,
required fields, lengths), lets a validation error pass the confirmation step while the valid rows are saved, and
shows database and lookup errors as English tracebacks. ``PortalResource`` closes each of those gaps:

- every row goes through the model's ``full_clean`` plus the resource's own domain check (``check_row``);
- the import is one transaction, rolled back when any row fails, at the preview and at the confirmation alike;
- what a widget cannot read, a key that names nothing, a database refusal: a Spanish message on the row.

``ServiceResource`` goes further for records the workspace writes through services (memberships, budget lines,
strategies…): each row is saved by that service, so the import obeys the same rules, history reason and event row.
An admin offers import only with one of these resources (``implan.admin_base.PortalAdmin``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Error, Result, RowResult

from implan.control_characters import control_character_message, first_control_character
from implan.errors import DomainError

logger = logging.getLogger(__name__)

# The history reason of a change a service saves for an admin import.
IMPORT_REASON = gettext_lazy("Importación desde la administración")

# What PostgreSQL's SQLSTATE says went wrong (psycopg exposes it as ``sqlstate``).
UNIQUE_VIOLATION, CHECK_VIOLATION, FOREIGN_KEY_VIOLATION, NOT_NULL_VIOLATION = "23505", "23514", "23503", "23502"


class RowError(ValueError):
    """A cell the import cannot read, with a message already written for the person who made the file."""


class KeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by a natural key (slug, code); an unknown key is a row error, not a traceback."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist as error:
            raise RowError(
                _("No existe %(model)s con la clave «%(key)s».")
                % {"model": self.model._meta.verbose_name, "key": value}
            ) from error
        except self.model.MultipleObjectsReturned as error:
            raise RowError(
                _("La clave «%(key)s» nombra a más de un registro de %(model)s.")
                % {"key": value, "model": self.model._meta.verbose_name_plural}
            ) from error


class YesNoWidget(widgets.BooleanWidget):
    """Sí/no as people write it; anything else is refused (the library's widget reads «sí» as *false*)."""

    TRUE_VALUES = ["1", 1, True, "true", "TRUE", "True", "sí", "Sí", "SÍ", "si", "Si", "SI", "verdadero", "VERDADERO"]
    FALSE_VALUES = ["0", 0, False, "false", "FALSE", "False", "no", "No", "NO", "falso", "FALSO"]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if value in self.NULL_VALUES:
            return None
        if value in self.TRUE_VALUES:
            return True
        if value in self.FALSE_VALUES:
            return False
        raise RowError(_("«%(value)s» no es sí o no: escriba sí, no, 1 o 0.") % {"value": value})


class DayWidget(widgets.DateWidget):
    """Dates as ISO (2025-03-04) or as Mexico writes them (04/03/2025), never month first.

    Django's default input formats read 04/03/2025 as April 3rd, the American way: a silent misreading here.
    """

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

    def __init__(self, format: str | None = None, coerce_to_string: bool = True) -> None:
        super().__init__(format=format, coerce_to_string=coerce_to_string)
        if format is None:
            self.formats = self.FORMATS

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        try:
            return super().clean(value, row, **kwargs)
        except ValueError as error:
            raise RowError(
                _("«%(value)s» no es una fecha: escríbala como AAAA-MM-DD o DD/MM/AAAA.") % {"value": value}
            ) from error


class PortalResource(resources.ModelResource):
    """An admin import that validates every row as the workspace would and reports in Spanish."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "BooleanField": YesNoWidget,
        "NullBooleanField": YesNoWidget,
        "DateField": DayWidget,
        "TextField": widgets.CharWidget,
    }

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    # Called before each row by a background import (``implan.admin_imports``): its heartbeat and progress bar.
    on_row: Callable[[], None] | None = None

    def get_diff_class(self) -> type:
        return PlainDiff

    @classmethod
    def get_fk_widget(cls, field: models.Field) -> Any:
        return lambda **kwargs: KeyWidget(model=field.related_model, **kwargs)

    @classmethod
    def widget_kwargs_for_field(cls, field_name: str, django_field: models.Field) -> dict[str, Any]:
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        # An empty cell of a text column is an empty text, as in a form: a required one then reads «no puede estar
        # en blanco», an optional one is saved as "" (None would break the column's NOT NULL).
        if isinstance(django_field, models.CharField | models.TextField) and not django_field.null:
            kwargs.update({"coerce_to_string": True, "allow_blank": True})
        return kwargs

    # --- The file as a whole ----------------------------------------------------------------------------------

    def import_data(
        self,
        dataset: Any,
        dry_run: bool = False,
        raise_errors: bool = False,
        use_transactions: bool | None = None,
        collect_failed_rows: bool = False,
        rollback_on_validation_errors: bool = False,
        **kwargs: Any,
    ) -> Result:
        missing = self._missing_key_columns(dataset)
        if missing:  # said once for the file, not as «en blanco» on every row
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(_FileError(ValidationError(missing)))
            return result
        # All or nothing, whatever the caller asks: the admin's confirmation step does not pass
        # ``rollback_on_validation_errors`` (and a Meta option of that name is silently ignored), so a row refused
        # there would leave the others saved.
        result = super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )
        result.base_errors = [_FileError(error.error) for error in result.base_errors]
        return result

    def _missing_key_columns(self, dataset: Any) -> str:
        keys = [self.fields[name].column_name for name in self.get_import_id_fields() if name in self.fields]
        missing = [name for name in keys if name not in (dataset.headers or [])]
        if not missing:
            return ""
        return ngettext(
            "Falta la columna %(columns)s, que identifica cada registro.",
            "Faltan las columnas %(columns)s, que identifican cada registro.",
            len(missing),
        ) % {"columns": ", ".join(f"«{m}»" for m in missing)}

    # --- Each row ---------------------------------------------------------------------------------------------

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # «Ana » and «Ana» are the same name; a cell of spaces is an empty cell.
        for column, value in row.items():
            if isinstance(value, str):
                row[column] = value.strip()
        self._refuse_control_characters(row)

    def _refuse_control_characters(self, row: Any) -> None:
        """A NUL would reach PostgreSQL as a driver error (and SQLite would store it); no cell means one."""
        fields = {field.column_name: name for name, field in self.fields.items()}
        errors: dict[str, list[str]] = {}
        for column, value in row.items():
            found = first_control_character(value) if isinstance(value, str) else None
            if found:
                errors.setdefault(fields.get(column, NON_FIELD_ERRORS), []).append(
                    control_character_message(found, column)
                )
        if errors:
            raise ValidationError(errors)

    def import_field(self, field: Field, instance: models.Model, row: Any, is_m2m: bool = False, **kwargs: Any) -> None:
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except RowError:
            raise
        except (ValueError, ArithmeticError, TypeError) as error:  # Decimal('abc') raises InvalidOperation
            raise RowError(_unreadable(field, row)) from error

    def validate_instance(
        self, instance: models.Model, import_validation_errors: dict | None = None, validate_unique: bool = True
    ) -> None:
        errors = dict(import_validation_errors or {})
        try:
            self.clean_instance(instance, exclude=errors.keys())
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                self.check_row(instance)
            except DomainError as error:
                errors = {NON_FIELD_ERRORS: [error.message]}
        if errors:
            raise ValidationError(_explain_choices(instance, errors))

    def clean_instance(self, instance: models.Model, exclude: Any) -> None:
        """The model's own validation: choices, required fields, lengths, uniqueness and constraints."""
        instance.full_clean(exclude=list(exclude))

    def check_row(self, instance: Any) -> None:
        """The domain's rules for a row the model alone cannot judge; raise ``DomainError`` to refuse it."""

    def save_instance(self, instance: models.Model, is_create: bool, row: Any, **kwargs: Any) -> None:
        # The history row names who imported the file: a worker has no request for django-simple-history to read.
        user = kwargs.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history
        super().save_instance(instance, is_create, row, **kwargs)

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        # Validation has run, but a concurrent writer can still take a unique value first: the savepoint keeps the
        # transaction usable and the refusal becomes a row error.
        try:
            with transaction.atomic():
                instance.save(force_insert=is_create)
        except (IntegrityError, DataError) as error:
            raise ValidationError(database_refusal(type(instance), error)) from error

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        if self.on_row is not None:
            self.on_row()
        result = super().import_row(row, instance_loader, **kwargs)
        if result.errors:  # anything left is an exception the steps above did not turn into a message
            result.validation_error = ValidationError([self._row_message(e.error) for e in result.errors])
            result.errors = []
            result.import_type = RowResult.IMPORT_TYPE_INVALID
        return result

    def _row_message(self, error: Exception) -> str:
        if isinstance(error, RowError | DomainError):  # e.g. an unknown key in the columns that identify the row
            return str(error)
        if isinstance(error, IntegrityError | DataError):
            return database_refusal(self._meta.model, error)
        logger.error("Unexpected error in an admin import row", exc_info=error)
        return _(
            "Esta fila no se pudo procesar (%(kind)s); no se guardó nada. Revise sus valores o avise a la "
            "administración del portal."
        ) % {"kind": type(error).__name__}


class ServiceResource(PortalResource):
    """Rows saved by the app's own service functions, as the workspace saves them.

    The service checks its rules (seat limits, drafts only, ceilings, who may act), writes the history reason and
    the event row; a refusal becomes the row's error. Subclasses say which service saves a row.
    """

    # Fields the service fills in itself (a slug made from the name): not required in the row.
    filled_by_service: tuple[str, ...] = ()

    def clean_instance(self, instance: models.Model, exclude: Any) -> None:
        # Field validation only (choices, required, lengths): the service states its own uniqueness rules in the
        # domain's words («… ya es integrante de …»), and the database's constraints stand behind them.
        instance.full_clean(
            exclude=[*exclude, *self.filled_by_service], validate_unique=False, validate_constraints=False
        )

    def save_instance(self, instance: models.Model, is_create: bool, row: Any, **kwargs: Any) -> None:
        actor = kwargs.get("user")
        if actor is None:
            raise ValidationError(_("La importación necesita saber quién la hace: use la administración del portal."))
        try:
            with transaction.atomic():
                saved = self.save_through_service(instance, is_create=is_create, actor=actor)
        except DomainError as error:
            raise ValidationError(error.message) from error
        except PermissionDenied as error:
            raise ValidationError(str(error) or _("No tiene permiso para hacer este cambio.")) from error
        except (IntegrityError, DataError) as error:
            raise ValidationError(database_refusal(type(instance), error)) from error
        instance.pk = saved.pk  # the admin's log and preview name the record the service saved

    def save_through_service(self, instance: Any, *, is_create: bool, actor: Any) -> models.Model:
        """Save the row's values (already set on ``instance``) through the service; return the saved record."""
        raise NotImplementedError


class PlainDiff(resources.Diff):
    """A row's values before and after, as plain text the job keeps for its preview (JSON, escaped by the page's
    template) instead of the library's HTML diff."""

    def as_html(self) -> list[list[str]]:
        return [
            ["" if self.new else _plain(before), _plain(after)]
            for before, after in zip(self.left, self.right, strict=False)
        ]


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


class _FileError(Error):
    """An error about the file as a whole (a missing column): its message, without the library's traceback."""

    def __init__(self, error: Exception) -> None:
        super().__init__(RowError(_file_message(error)))

    @property
    def traceback(self) -> str:
        return ""


def _file_message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, RowError | DomainError):
        return str(error)
    logger.error("Unexpected error in an admin import", exc_info=error)
    return _("El archivo no se pudo procesar (%(kind)s); no se guardó nada.") % {"kind": type(error).__name__}


def _unreadable(field: Field, row: Any) -> str:
    value = row.get(field.column_name)
    if isinstance(field.widget, widgets.IntegerWidget | widgets.DecimalWidget | widgets.FloatWidget):
        return _("«%(value)s» no es un número.") % {"value": value}
    return _("No se pudo leer «%(value)s» en la columna «%(column)s».") % {"value": value, "column": field.column_name}


def _explain_choices(instance: models.Model, errors: dict[str, list]) -> dict[str, list]:
    """Django says «no es una opción válida»; the person who made the file also needs to know which ones are."""
    explained = {}
    for name, messages in errors.items():
        explained[name] = [_with_choices(instance, name, m) for m in messages]
    return explained


def _with_choices(instance: models.Model, name: str, message: Any) -> Any:
    if getattr(message, "code", None) != "invalid_choice":
        return message
    field = cast(models.Field, instance._meta.get_field(name))
    options = ", ".join(f"{value} ({label})" for value, label in field.flatchoices)
    return _("«%(value)s» no es un valor válido de «%(field)s». Escriba uno de estos: %(options)s.") % {
        "value": getattr(instance, field.attname),
        "field": field.verbose_name,
        "options": options,
    }


def database_refusal(model: type[models.Model], error: Exception) -> str:
    """A database refusal (unique key, check, missing reference) told in Spanish, naming what it can."""
    state, constraint = _sql_state(error)
    declared = next((c for c in model._meta.constraints if c.name == constraint), None)
    if declared is not None and declared.violation_error_message != declared.default_violation_error_message:
        return str(declared.violation_error_message)  # the model already says it in the domain's words
    if state == UNIQUE_VIOLATION:
        return _("Ya existe otro registro de %(model)s con %(what)s; cada registro debe tener el suyo.") % {
            "model": model._meta.verbose_name_plural,
            "what": _constraint_subject(model, constraint),
        }
    if state == CHECK_VIOLATION:
        return _(
            "Los valores de esta fila se contradicen entre sí (por ejemplo, una fecha de fin anterior a la de inicio)."
        )
    if state == FOREIGN_KEY_VIOLATION:
        return _("La fila se refiere a un registro que ya no existe.")
    if state == NOT_NULL_VIOLATION:
        return _("Falta un dato obligatorio en esta fila.")
    return _("La base de datos no aceptó esta fila (un valor demasiado largo o fuera de rango); no se guardó nada.")


def _sql_state(error: Exception) -> tuple[str | None, str]:
    """SQLSTATE and constraint name from PostgreSQL; from SQLite (a newcomer's first run), read off its message."""
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state is not None:
        return state, getattr(getattr(cause, "diag", None), "constraint_name", None) or ""
    text = str(error)
    for prefix, sqlite_state in (
        ("UNIQUE constraint failed", UNIQUE_VIOLATION),
        ("CHECK constraint failed: ", CHECK_VIOLATION),
        ("NOT NULL constraint failed", NOT_NULL_VIOLATION),
        ("FOREIGN KEY constraint failed", FOREIGN_KEY_VIOLATION),
    ):
        if text.startswith(prefix):
            return sqlite_state, text.removeprefix(prefix) if sqlite_state == CHECK_VIOLATION else ""
    return None, ""


def _constraint_subject(model: type[models.Model], constraint: str) -> str:
    """The fields behind a unique index, by their Spanish names («clave», «persona y órgano»)."""
    declared = next((c for c in model._meta.constraints if c.name == constraint), None)
    names = list(getattr(declared, "fields", ()) or ())
    if not names:  # a field's own unique index, named by Django after its column
        names = [f.name for f in model._meta.concrete_fields if f.unique and f"_{f.column}_" in f"{constraint}_"]
    labels = [str(cast(models.Field, model._meta.get_field(name)).verbose_name) for name in names]
    if not labels:
        return _("los mismos datos")
    if len(labels) == 1:
        return _("el mismo valor en «%(field)s»") % {"field": labels[0]}
    return _("los mismos valores en %(fields)s") % {"fields": ", ".join(f"«{label}»" for label in labels)}
