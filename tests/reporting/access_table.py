"""Access expectations for the reporting status (page, Excel, API), the reminders staff send, and the
provinces' reminder schedules in admin (format: tests/access.py).

Rows are communes, which only two positions hold (own unit, sibling commune) besides province B's:
which communes each persona sees is asserted in tests/reporting/test_status.py.
"""

import datetime

from django.urls import reverse

from notifications.models import Delivery
from reporting.models import ReminderSchedule
from tests.access import (
    LOG,
    MANAGE,
    OTHER,
    OWN,
    POSITIONS,
    SIBLING,
    Entry,
    Saves,
    anywhere,
    by_scope,
    per_persona,
)

LEADER, STAFF_A = "leader_a", "staff_a"


def populate(world) -> None:
    for position in POSITIONS:
        schedule_at(world, position)


def schedule_at(world, position) -> ReminderSchedule:
    return ReminderSchedule.objects.get_or_create(org_unit=world.units[position])[0]


def _week() -> str:
    year, week, _ = datetime.date.today().isocalendar()
    return f"{year}-W{week:02d}"


def _with_unit(name):
    return lambda world, position: f"{reverse(name)}?unit={world.units[position].pk}"


def _snapshot(world):
    return list(Delivery.objects.order_by("pk").values())


ENTRIES = [
    Entry("reporting:status", {"GET": anywhere(LOG)}),
    Entry(
        "reporting:status",
        {"GET": by_scope(LOG, viewer=403)},
        url=_with_unit("reporting:status"),
        variants=POSITIONS,
    ),
    Entry("reporting:status_export", {"GET": anywhere(LOG)}),
    Entry(
        "reporting:status_export",
        {"GET": by_scope(LOG, viewer=403)},
        url=_with_unit("reporting:status_export"),
        variants=POSITIONS,
    ),
    # Staff remind communes they manage (a redirect with the outcome); a leader or a viewer cannot,
    # and a commune outside the scope is a 404 with nothing recorded.
    Entry(
        "reporting:remind",
        {"POST": by_scope(MANAGE, inside=Saves(302), viewer=403, leader_a=403)},
        variants=(OWN, SIBLING, OTHER),
        snapshot=_snapshot,
        data=lambda world, position: {"units": [world.units[position].pk], "week": _week()},
    ),
    # The API fails closed like every list: a viewer (no log scope) gets an empty list, a unit outside
    # the scope a 404.
    Entry("reporting-status-list", {"GET": per_persona(anonymous=401, default=200)}),
    Entry(
        "reporting-status-list",
        {"GET": by_scope(LOG, anonymous=401)},
        url=lambda world, position: f"{reverse('reporting-status-list')}?unit={world.units[position].pk}",
        variants=POSITIONS,
    ),
]

ADMIN_OBJECTS = {ReminderSchedule: schedule_at}
