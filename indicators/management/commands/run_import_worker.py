"""`manage.py run_import_worker`: checks and saves indicator files queued in the workspace.

Use it with ``INDICATOR_IMPORT_RUNNER=worker`` where app servers should not run that work in their own threads
(run it under systemd or a container, as many as you like: a job is claimed by one worker only).
"""

import time

from django.core.management.base import BaseCommand, CommandParser

from indicators import jobs


class Command(BaseCommand):
    help = "Revisa y guarda las cargas de indicadores en cola (trabajador en segundo plano)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Atender lo que haya en cola y terminar.")
        parser.add_argument("--pause", type=float, default=2.0, help="Segundos de espera cuando no hay trabajo.")

    def handle(self, *args: object, once: bool = False, pause: float = 2.0, **options: object) -> None:
        stale = jobs.fail_stale()
        if stale:
            self.stdout.write(f"Cargas interrumpidas marcadas: {stale}")
        jobs.purge_old_previews()
        while True:
            done = jobs.run_waiting()
            if done:
                self.stdout.write(f"Cargas atendidas: {done}")
            if once:
                return
            time.sleep(pause)
