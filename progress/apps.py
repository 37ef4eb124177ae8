from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress")

    def ready(self):
        from partnerships.pages import pages_changed
        from progress.models import TargetStatus

        # Cache upkeep only: agreement pages show each target's status, so a status the rollup wrote
        # (only when it changed) retires the cached pages (partnerships.pages).
        post_save.connect(pages_changed, sender=TargetStatus, dispatch_uid="agreement-pages-status-save")
        post_delete.connect(pages_changed, sender=TargetStatus, dispatch_uid="agreement-pages-status-delete")
