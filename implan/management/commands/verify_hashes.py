"""`manage.py verify_hashes`: report any approved instrument, resolution or minutes altered after approval."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from implan.integrity import verify_all


class Command(BaseCommand):
    help = "Verifica las huellas SHA-256 de instrumentos aprobados, acuerdos y actas."

    def handle(self, *args: object, **options: object) -> None:
        checked, mismatches = verify_all()
        for mismatch in mismatches:
            self.stderr.write(f"ALTERADO: {mismatch.model} #{mismatch.pk} «{mismatch.label}»")
        if mismatches:
            raise CommandError(
                ngettext(
                    "%(bad)s de %(checked)s registros no coincide con su huella.",
                    "%(bad)s de %(checked)s registros no coinciden con su huella.",
                    len(mismatches),
                )
                % {"bad": len(mismatches), "checked": checked}
            )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "%(checked)s registro verificado; su huella coincide.",
                    "%(checked)s registros verificados; todas las huellas coinciden.",
                    checked,
                )
                % {"checked": checked}
            )
        )
