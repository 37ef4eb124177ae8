from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = _("Union hierarchy")

    def ready(self):
        from org.cached import UNITS
        from org.merges import merges_changed
        from org.models import OrgUnit
        from org.signals import units_changed

        # Cache upkeep only (no rule lives here): the access layer's cached merges follow every save.
        post_save.connect(merges_changed, sender=OrgUnit, dispatch_uid="org-merges-save")
        post_delete.connect(merges_changed, sender=OrgUnit, dispatch_uid="org-merges-delete")
        units_changed.connect(UNITS.changed, dispatch_uid="org-units-cached")
