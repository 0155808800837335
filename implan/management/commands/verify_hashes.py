"""`manage.py verify_hashes`: report any approved instrument, resolution or minutes altered after approval."""

from django.core.management.base import BaseCommand, CommandError

from implan.integrity import verify_all


class Command(BaseCommand):
    help = "Verifica las huellas SHA-256 de instrumentos aprobados, acuerdos y actas."

    def handle(self, *args: object, **options: object) -> None:
        checked, mismatches = verify_all()
        for mismatch in mismatches:
            self.stderr.write(f"ALTERADO: {mismatch.model} #{mismatch.pk} «{mismatch.label}»")
        if mismatches:
            raise CommandError(f"{len(mismatches)} de {checked} registros no coinciden con su huella.")
        self.stdout.write(self.style.SUCCESS(f"{checked} registros verificados; todas las huellas coinciden."))
