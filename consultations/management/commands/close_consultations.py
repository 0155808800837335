"""Close the consultations and the calls for citizen proposals whose period has ended (run it nightly, e.g. from a
systemd timer; safe to run twice)."""

from typing import Any

from django.core.management.base import BaseCommand

from consultations.proposals import calls_close_due
from consultations.services import consultations_close_due


class Command(BaseCommand):
    help = "Cierra las consultas públicas y las convocatorias de propuestas cuyo periodo terminó."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = consultations_close_due(actor=None)
        for consultation in closed:
            self.stdout.write(f"Cerrada: {consultation}")
        self.stdout.write(f"{len(closed)} consulta(s) cerrada(s).")
        calls = calls_close_due(actor=None)
        for call in calls:
            self.stdout.write(f"Cerrada: {call}")
        self.stdout.write(f"{len(calls)} convocatoria(s) cerrada(s).")
