"""`manage.py retry_failed_emails`: send again the e-mails whose delivery failed (periodic; safe to run twice)."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from implan.mail import MAX_ATTEMPTS, emails_retry_failed


class Command(BaseCommand):
    help = f"Vuelve a enviar los correos cuyo envío falló (hasta {MAX_ATTEMPTS} intentos cada uno)."

    def handle(self, *args: object, **options: object) -> None:
        queued = emails_retry_failed()
        self.stdout.write(
            ngettext(
                "%(count)s correo fallido vuelve a la cola.", "%(count)s correos fallidos vuelven a la cola.", queued
            )
            % {"count": queued}
        )
