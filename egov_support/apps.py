from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EgovSupportConfig(AppConfig):
    name = "egov_support"
    verbose_name = _("E-government support")
