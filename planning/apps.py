from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planeación")

    def ready(self) -> None:
        from planning.services.lifecycle import register_approvals

        register_approvals()
