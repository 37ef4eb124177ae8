"""Access expectations for the notification centre: everyone signed in has their own, nobody reads
or marks another's (format: tests/access.py)."""

from django.urls import reverse

from notifications.models import Notification
from tests.access import Entry, Saves, per_persona


def populate(world) -> None:
    if hasattr(world, "notification"):
        return
    world.notification = Notification.objects.create(user=world.personas.leader_a, subject="Nhắc báo cáo")


def _snapshot(world):
    return list(Notification.objects.order_by("pk").values())


ENTRIES = [
    Entry("notifications:list", {"GET": per_persona(anonymous=302, default=200)}),
    Entry("notifications:unread", {"GET": per_persona(anonymous=302, default=200)}),
    Entry(
        "notifications:read",
        {"POST": per_persona(anonymous=302, leader_a=Saves(302), default=404)},
        url=lambda world, variant: reverse("notifications:read", args=[world.notification.pk]),
        snapshot=_snapshot,
    ),
    Entry(
        "notifications:read_all",
        {"POST": per_persona(anonymous=302, default=Saves(302))},
        snapshot=_snapshot,
    ),
]
