from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplanConfig(AppConfig):
    name = "implan"
    verbose_name = _("Catálogos del instituto")
