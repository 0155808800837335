"""`manage.py mark_stalled_jobs`: the periodic look at every kind of background job (indicator loads, the admin's
catalogue imports).

- A job whose worker stopped signalling life is marked «Interrumpida», with «Reintentar» and «Descartar», even if
  nobody is looking at it (the pages that show a job do the same when they are opened).
- A job still «en cola» after ``TASKS_REQUEUE_AFTER_SECONDS`` lost its task (the process died between the commit
  that kept the job and the enqueue that follows it, or the queue's store lost it): it is handed to the queue again.

Run every minute (cron or the systemd timer ``implan-stalled-jobs.timer``). Safe to run twice, or on two machines at
once: each job moves by a conditional UPDATE, once; a task that arrives twice finds its job already claimed. It lives
in the site layer because it names the jobs of several apps.
"""

from typing import Any

from django.core.management.base import BaseCommand

from implan import admin_imports
from indicators import services as indicators


class Command(BaseCommand):
    help = (
        "Marca como interrumpidas las cargas e importaciones cuyo proceso dejó de dar señales de vida, y vuelve a "
        "poner en cola las que esperan demasiado."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        marked = indicators.import_jobs_interrupt_stalled() + admin_imports.admin_imports_interrupt_stalled()
        requeued = indicators.import_jobs_requeue_waiting() + admin_imports.admin_imports_requeue_waiting()
        if marked or requeued or int(options.get("verbosity", 1)) > 1:
            self.stdout.write(f"Tareas interrumpidas marcadas: {marked}; vueltas a poner en cola: {requeued}")
