"""Close the consultations whose period has ended (run it nightly, e.g. from a systemd timer; safe to run twice)."""

from typing import Any

from django.core.management.base import BaseCommand

from consultations.services import consultations_close_due


class Command(BaseCommand):
    help = "Cierra las consultas públicas cuyo periodo terminó."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = consultations_close_due(actor=None)
        for consultation in closed:
            self.stdout.write(f"Cerrada: {consultation}")
        self.stdout.write(f"{len(closed)} consulta(s) cerrada(s).")
