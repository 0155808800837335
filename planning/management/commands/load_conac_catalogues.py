"""`manage.py load_conac_catalogues`: load (again) CONAC's catalogues from planning/data/conac/ — after correcting a
name there, or in a database whose rows were lost. Idempotent: it updates names and creates what is missing."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from planning.conac import load_catalogues
from planning.models import ConacEntry


class Command(BaseCommand):
    help = "Carga o actualiza los catálogos del CONAC desde planning/data/conac/."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            created = load_catalogues(ConacEntry)
        self.stdout.write(
            _("Catálogos del CONAC al día: %(created)s claves nuevas, %(total)s en total.")
            % {"created": created, "total": ConacEntry.objects.count()}
        )
