"""`manage.py run_import_worker`: checks and saves indicator files queued in the workspace.

Use it with ``INDICATOR_IMPORT_RUNNER=worker`` where app servers should not run that work in their own threads
(run it under systemd or a container, as many as you like: a job is claimed by one worker only). Between jobs it
marks interrupted the loads whose process stopped signalling life, whichever process that was.
"""

import time

from django.core.management.base import BaseCommand, CommandParser

from indicators import jobs, services


class Command(BaseCommand):
    help = "Revisa y guarda las cargas de indicadores en cola (trabajador en segundo plano)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Atender lo que haya en cola y terminar.")
        parser.add_argument("--pause", type=float, default=2.0, help="Segundos de espera cuando no hay trabajo.")

    def handle(self, *args: object, once: bool = False, pause: float = 2.0, **options: object) -> None:
        jobs.purge_old_previews()
        while True:
            stalled = services.import_jobs_interrupt_stalled()  # loads whose process died (another worker's too)
            if stalled:
                self.stdout.write(f"Cargas interrumpidas marcadas: {stalled}")
            done = jobs.run_waiting()
            if done:
                self.stdout.write(f"Cargas atendidas: {done}")
            if once:
                return
            time.sleep(pause)
