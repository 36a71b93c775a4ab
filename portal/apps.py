from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The page around the apps: home, navigation, shared template tags."""

    name = "portal"
    verbose_name = _("Portal")
