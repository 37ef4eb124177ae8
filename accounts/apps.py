from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from accounts import checks  # noqa: F401  (registers the deploy checks)
        from accounts.access import ROLES
        from accounts.models import RoleAssignment
        from org.signals import units_changed

        # Cache upkeep only: the cached role assignments follow every write to them and to the units.
        post_save.connect(ROLES.changed, sender=RoleAssignment, dispatch_uid="access-roles-save")
        post_delete.connect(ROLES.changed, sender=RoleAssignment, dispatch_uid="access-roles-delete")
        units_changed.connect(ROLES.changed, dispatch_uid="access-roles-units")
