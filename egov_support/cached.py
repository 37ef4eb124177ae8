"""The help-session list's filter form, rendered once per state of what it offers.

Its choices are units, teams, services and campaigns, not the sessions: a session logged (which moves
the facts version, and with it the list's rows and totals) leaves the rendered filter in place, unless
it is the first session of its unit (the unit filter offers the units that have sessions).
``SESSION_FILTERS`` is retired by every write to those (signals connected in ``egov_support.apps``);
writes the signals cannot see (bulk loads) are bounded by the TTL.
"""

import hashlib

from django.conf import settings

from core.versioned import Versioned

SESSION_FILTERS = Versioned("session-filters", 10 * 60)


def filters_key(*parts) -> str:
    """The fragment's key: the choices' version, then whatever else the form shows (scope, query, language)."""
    digest = hashlib.sha256(repr((parts, settings.CACHE_SALT)).encode()).hexdigest()[:32]
    return f"{SESSION_FILTERS.version()}:{digest}"


def session_saved(sender, instance, **kwargs) -> None:
    """A session in a unit that had none puts the unit in the filter."""
    others = sender.objects.filter(org_unit_id=instance.org_unit_id).exclude(pk=instance.pk)
    if not others.exists():
        SESSION_FILTERS.changed()
