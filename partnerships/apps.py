from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from org.signals import units_changed
        from partnerships import models
        from partnerships.pages import pages_changed

        # Cache upkeep only (no rule lives here): the cached agreement pages follow every write to what
        # they show (partnerships.pages).
        shown = (
            models.Agreement,
            models.AgreementParty,
            models.Objective,
            models.Commitment,
            models.Target,
            models.Partner,
            models.Indicator,
        )
        for model in shown:
            post_save.connect(
                pages_changed, sender=model, dispatch_uid=f"agreement-pages-save-{model.__name__}"
            )
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"agreement-pages-delete-{model.__name__}"
            )
        units_changed.connect(pages_changed, dispatch_uid="agreement-pages-units")
        # The change history names who made each change: a renamed user shows at once. A sign-in
        # saves the user too, with update_fields=["last_login"]: that leaves the pages alone.
        user_model = get_user_model()
        post_save.connect(_user_saved, sender=user_model, dispatch_uid="agreement-pages-user")
        post_delete.connect(pages_changed, sender=user_model, dispatch_uid="agreement-pages-user-delete")


NAMES = {"username", "first_name", "last_name"}


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    from partnerships.pages import pages_changed

    if not created and (update_fields is None or NAMES & set(update_fields)):
        pages_changed()
