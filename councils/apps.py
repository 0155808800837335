from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Órganos de planeación")

    def ready(self) -> None:
        from councils.services.minutes import register_approvals

        register_approvals()
