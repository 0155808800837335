from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The site layer above the apps. It has no models, so no verbose name shows anywhere (the admin lists none)."""

    name = "implan.portal"
    label = "portal"
