"""The agreement page's rendered body, cached per version of what it shows.

An agreement page is read far more often than agreements change, and rendering it (its parties,
objectives, commitments, targets with their live progress, the renewal chain and the change history)
is the costliest page of the portal. Its body is cached under a key made of:

- the *partnerships version*: a random token replaced after any write to agreements, parties,
  objectives, commitments, targets, partners, indicators or org units (signals below, the org app's
  ``units_changed`` for its bulk writes, and the target statuses the rollup writes: the page shows them);
- the caller's view and manage scopes (a hit means a user with the same scope saw this agreement at
  this version: visibility and the manage controls are the same), the language and today's date.

The version is dropped at once and again after the commit (a reader between the two caches under a
version nobody reads again); the TTL bounds anything a signal cannot see (a renamed user in the history).
The key carries CACHE_SALT (tests set one per test).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from accounts.access import Action, scope_for

PAGE_TTL = 10 * 60  # seconds
# Rendered in place of the CSRF token inside the cached body; each response gets its own token.
CSRF_PLACEHOLDER = "csrf-token-placeholder-6f1c2a"


def _version_key() -> str:
    return f"partnerships:version:{settings.CACHE_SALT}"


def version() -> str:
    found = cache.get(_version_key())
    if found is None:
        cache.add(_version_key(), uuid.uuid4().hex, None)
        found = cache.get(_version_key()) or ""  # "" when the cache is down: nothing is reused then
    return found


def pages_changed(**_signal_kwargs) -> None:
    """Call (or connect) after a write to anything an agreement page shows."""
    cache.delete(_version_key())
    transaction.on_commit(lambda: cache.delete(_version_key()))


def page_key(user, pk: int) -> str | None:
    """The cache key of agreement ``pk``'s page body for ``user``; None when nothing may be reused."""
    current = version()
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
