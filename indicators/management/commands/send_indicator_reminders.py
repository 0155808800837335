"""`manage.py send_indicator_reminders`: e-mail each responsible person the indicators overdue or due within 30 days
(periodic, e.g. daily; safe to run twice: one reminder per indicator and due date)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from indicators.services import indicator_reminders_send


class Command(BaseCommand):
    help = "Envía a cada responsable el recordatorio de los indicadores vencidos o por vencer (una vez por fecha)."

    def handle(self, *args: object, **options: object) -> None:
        sent = indicator_reminders_send()
        self.stdout.write(
            ngettext("Se envió %(count)s recordatorio.", "Se enviaron %(count)s recordatorios.", sent) % {"count": sent}
        )
