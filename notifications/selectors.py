"""Reads of a person's notification centre (always their own rows)."""

from django.db.models import QuerySet

from notifications.models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def unread_of(*, user) -> QuerySet[Notification]:
    """The bell's rows: what the person has not read yet (counted on every page)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)
