"""`manage.py send_session_reminders`: remind the members of each session that starts within 24 hours (periodic;
safe to run twice: a session is reminded once)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from councils.services.notices import session_reminders_send


class Command(BaseCommand):
    help = "Envía el recordatorio de las sesiones convocadas que empiezan en las próximas 24 horas (una vez cada una)."

    def handle(self, *args: object, **options: object) -> None:
        reminded = session_reminders_send()
        self.stdout.write(
            ngettext(
                "Recordatorio enviado para %(count)s sesión.", "Recordatorio enviado para %(count)s sesiones.", reminded
            )
            % {"count": reminded}
        )
