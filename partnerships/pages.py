"""The agreement page's rendered body, cached per version of what it shows.

An agreement page is read far more often than agreements change, and rendering it (its parties,
objectives, commitments, targets with their live progress, the renewal chain and the change history)
is the costliest page of the portal. Its body is cached under a key made of:

- the *partnerships version*: a random token replaced after any write to agreements, parties,
  objectives, commitments, targets, partners, indicators or org units (signals connected in the apps'
  ``ready``; the org app's ``units_changed`` for its bulk writes) and after the rollup writes a target
  status (the page shows them);
- the caller's view and manage scopes (a hit means a user with the same scope saw this agreement at
  this version: visibility and the manage controls are the same), the language and today's date.

The version is a ``core.versioned.Versioned``: dropped at once and again after the commit; the TTL
bounds anything a signal cannot see (a renamed user in the history).
"""

import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from accounts.access import Action, scope_for
from core import page_cache
from core.versioned import Versioned

PAGE_TTL = 10 * 60  # seconds
# Rendered in place of the CSRF token inside the cached body; each response gets its own token.
CSRF_PLACEHOLDER = page_cache.CSRF_PLACEHOLDER

PARTNERSHIPS = Versioned("partnerships", PAGE_TTL)
pages_changed = PARTNERSHIPS.changed  # call (or connect) after a write to anything an agreement page shows


def page_key(user, pk: int) -> str | None:
    """The cache key of agreement ``pk``'s page body for ``user``; None when nothing may be reused."""
    current = PARTNERSHIPS.version()
    if not current:
        return None
    view, manage = scope_for(user, Action.VIEW), scope_for(user, Action.MANAGE)
    parts = (
        pk,
        current,
        get_language(),
        timezone.localdate().isoformat(),
        (view.everything, view.paths),
        (manage.everything, manage.paths),
        settings.CACHE_SALT,
    )
    return "partnerships:page:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
