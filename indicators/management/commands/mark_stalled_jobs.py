"""`manage.py mark_stalled_jobs`: marks interrupted the indicator loads whose worker stopped signalling life.

Periodic work (every minute, from cron or a systemd timer): a load whose worker died is then shown «Interrumpida»
with «Reintentar» and «Descartar» even if nobody is looking at it. The pages that show a load do the same when they
are opened, so the command only spares a wait. Safe to run twice, or on two machines at once: each load moves by a
conditional UPDATE, once.
"""

from django.core.management.base import BaseCommand

from indicators import services


class Command(BaseCommand):
    help = "Marca como interrumpidas las cargas de indicadores cuyo proceso dejó de dar señales de vida."

    def handle(self, *args: object, **options: object) -> None:
        marked = services.import_jobs_interrupt_stalled()
        if marked or int(options.get("verbosity", 1)) > 1:
            self.stdout.write(f"Cargas interrumpidas marcadas: {marked}")
