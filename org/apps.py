from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Union hierarchy")

    def ready(self):
        from org.merges import merges_changed
        from org.models import OrgUnit

        # Cache upkeep only (no rule lives here): the access layer's cached merges follow every save.
        post_save.connect(merges_changed, sender=OrgUnit, dispatch_uid="org-merges-save")
        post_delete.connect(merges_changed, sender=OrgUnit, dispatch_uid="org-merges-delete")
