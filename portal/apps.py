from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Third-party apps and models that carry no translatable name of their own: the admin index shows
# these instead of "Axes" and "Authenticators" (issue 21, item 16). Renamed here, not through the
# models' Meta, so that no migration of a third-party app is ever detected.
APP_NAMES = {"axes": _("Login lockouts")}
MODEL_NAMES = {("mfa", "Authenticator"): _("Authenticators")}


def _vietnamese_app_list(get_app_list):
    def get_app_list_with_names(request, app_label=None):
        app_list = get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
        return app_list

    return get_app_list_with_names


class PortalConfig(AppConfig):
    """The shell on top of every app: home, health, the union tree's pages, API root, demo seeding."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib import admin

        from portal import middleware  # noqa: F401  (connects the session stamp at sign-in)

        for label, name in APP_NAMES.items():
            if apps.is_installed(label):
                apps.get_app_config(label).verbose_name = name
        admin.site.get_app_list = _vietnamese_app_list(admin.site.get_app_list)
