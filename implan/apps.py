from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplanConfig(AppConfig):
    name = "implan"
    verbose_name = _("Catálogos del instituto")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from implan import translations
        from implan.cache import content_changed
        from implan.middleware import session_stamp_login

        translations.install()

        user_logged_in.connect(session_stamp_login, dispatch_uid="session-stamp-login")

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, dispatch_uid=f"public-cache-{signal}")
