from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The shell on top of every app: home, health, the union tree's pages, API root, demo seeding."""

    name = "portal"
    verbose_name = _("Portal")
