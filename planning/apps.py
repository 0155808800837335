from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planeación")

    def ready(self) -> None:
        from planning import submission
        from planning.services.lifecycle import register_approvals
        from planning.services.mir import mir_refusal

        register_approvals()
        submission.register(mir_refusal)  # a programme goes to approval only with a complete MIR
