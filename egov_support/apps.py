from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class EgovSupportConfig(AppConfig):
    name = "egov_support"
    verbose_name = _("E-government support")

    def ready(self):
        from egov_support.cached import SESSION_FILTERS, session_saved
        from egov_support.models import Campaign, HelpSession, Service
        from org.signals import units_changed
        from volunteers.models import Team

        # Cache upkeep only (no rule lives here): the session list's rendered filter follows what it offers.
        for model in (Team, Service, Campaign):
            post_save.connect(
                SESSION_FILTERS.changed, sender=model, dispatch_uid=f"session-filters-{model.__name__}"
            )
            post_delete.connect(
                SESSION_FILTERS.changed, sender=model, dispatch_uid=f"session-filters-{model.__name__}-delete"
            )
        m2m_changed.connect(
            SESSION_FILTERS.changed,
            sender=Campaign.participating_units.through,
            dispatch_uid="session-filters-campaign-units",
        )
        units_changed.connect(SESSION_FILTERS.changed, dispatch_uid="session-filters-units")
        post_save.connect(session_saved, sender=HelpSession, dispatch_uid="session-filters-first-of-unit")
