"""Send the digests of the subscriptions: each confirmed subscription's last complete day or week, once (run it
every hour from the ``implan-digests`` timer; safe to run twice: a period already sent is skipped)."""

from typing import Any

from django.core.management.base import BaseCommand

from consultations.subscriptions import digests_enqueue


class Command(BaseCommand):
    help = "Pone en cola los resúmenes de novedades de las suscripciones."

    def handle(self, *args: Any, **options: Any) -> None:
        due = digests_enqueue()
        self.stdout.write(f"{due} resumen(es) en cola.")
