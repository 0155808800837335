from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplanConfig(AppConfig):
    name = "implan"
    verbose_name = _("Catálogos del instituto")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from implan.cache import content_changed

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid=f"public-cache-{signal}")
