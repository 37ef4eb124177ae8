"""The dissolved units and the paths of their successors, which the access layer reads on every page.

Kept in the cache, so a page does not query the whole tree's merges each time. Any write to a unit
(a save or a delete from the admin or a service; a bulk write calls ``merges_changed`` itself) drops
the cached list at once and again after the commit; the short TTL bounds what a race between a reader
and a concurrent write could leave behind. The key carries CACHE_SALT (tests set one per test).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from org.models import OrgUnit
from org.signals import units_changed

TTL = 60  # seconds


def _key() -> str:
    return f"org:merges:{settings.CACHE_SALT}"


def merges() -> list[tuple[str, str]]:
    """(path, successor's path) of every dissolved unit that has a successor."""
    found = cache.get(_key())
    if found is None:
        found = list(OrgUnit.objects.filter(successor__isnull=False).values_list("path", "successor__path"))
        cache.set(_key(), found, TTL)
    return found


def merges_changed(**_signal_kwargs) -> None:
    """Call (or connect) after any write to units: the next read goes to the table, and the other
    apps' caches of units hear of it (``org.signals.units_changed``)."""
    cache.delete(_key())
    transaction.on_commit(lambda: cache.delete(_key()))
    units_changed.send(sender=OrgUnit)
