"""Every write to notifications and deliveries.

``notify`` records what is to be sent (one ``Delivery`` per person and channel, never a second one for
the same key) and queues the sending after commit; ``delivery_send`` (the task's body) sends one and
records the result. A failure is recorded on the delivery and raised for the task to retry.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.queueing import enqueue
from notifications.channels import CHANNELS
from notifications.models import Delivery, Notification

DELIVER_TASK = "notifications.tasks.deliver_task"


@transaction.atomic
def notify(
    *,
    users: Iterable,
    key: str,
    subject: str,
    body: str = "",
    url: str = "",
    channels: Iterable[str] = (Delivery.Channel.PORTAL, Delivery.Channel.EMAIL),
    requested_by=None,
    org_unit=None,
) -> list[Delivery]:
    """Queue ``subject``/``body`` to each of ``users`` by each channel that reaches them.

    A person who already has a delivery of ``key`` on a channel gets nothing new there (whatever its
    result: a failed one is retried by its task, not duplicated). Returns the new deliveries.
    """
    users = list(users)
    codes = [str(code) for code in channels]
    taken = set(
        Delivery.objects.filter(key=key, user__in=users, channel__in=codes).values_list("user_id", "channel")
    )
    fresh = [
        Delivery(
            user=user,
            channel=code,
            key=key,
            subject=subject[:200],
            body=body,
            url=url,
            requested_by=requested_by,
            org_unit=org_unit,
        )
        for user in users
        for code in codes
        if (user.pk, code) not in taken and CHANNELS[code].reaches(user)
    ]
    # ignore_conflicts: a concurrent run that claimed the same (person, channel, key) wins, quietly.
    Delivery.objects.bulk_create(fresh, ignore_conflicts=True)
    wanted = {(d.user_id, d.channel) for d in fresh}
    created = [
        d
        for d in Delivery.objects.filter(
            key=key, user__in=users, channel__in=codes, status=Delivery.Status.QUEUED, attempts=0
        ).order_by("pk")
        if (d.user_id, d.channel) in wanted
    ]
    for delivery in created:
        transaction.on_commit(lambda pk=delivery.pk: enqueue(DELIVER_TASK, args=[pk]))
    return created


def delivery_send(*, delivery_id: int) -> Delivery | None:
    """Send one queued delivery by its channel and record the result (idempotent: a sent one is left).

    Raises the channel's error on failure, after recording it; the task decides whether to retry.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().select_related("user").filter(pk=delivery_id).first()
        if delivery is None or delivery.status == Delivery.Status.SENT:
            return delivery
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    channel = CHANNELS[delivery.channel]
    try:
        with transaction.atomic():
            # Read again under the row's lock: news settled since it was queued reaches the bell read
            # (notifications_settle takes the same lock, so one of the two always sees the other).
            delivery.settled_at = (
                Delivery.objects.select_for_update().values_list("settled_at", flat=True).get(pk=delivery.pk)
            )
            channel.send(delivery)  # the bell's row and its "sent" commit together
            delivery.status, delivery.sent_at, delivery.error = Delivery.Status.SENT, timezone.now(), ""
            delivery.save(update_fields=["status", "sent_at", "error", "notification"])
    except Exception as exc:  # recorded, then raised again for the task's retry policy
        Delivery.objects.filter(pk=delivery.pk).update(error=f"{exc.__class__.__name__}: {exc}"[:300])
        raise
    return delivery


def delivery_give_up(*, delivery_id: int) -> None:
    """The last attempt failed: the delivery is recorded as failed (its error is already there)."""
    Delivery.objects.filter(pk=delivery_id).exclude(status=Delivery.Status.SENT).update(
        status=Delivery.Status.FAILED
    )


def deliveries_requeue(*, older_than: datetime.timedelta = datetime.timedelta(minutes=10)) -> int:
    """Queue again the deliveries still queued after ``older_than`` (the broker was down when they
    were recorded, or a worker died); the scheduled reminders call it on each run."""
    stale = list(
        Delivery.objects.filter(
            status=Delivery.Status.QUEUED, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:500]
    )
    for pk in stale:
        enqueue(DELIVER_TASK, args=[pk])
    return len(stale)


def notifications_mark_read(*, by, ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read: ``ids`` among them, or all (None)."""
    rows = Notification.objects.filter(user=by, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())


@transaction.atomic
def notifications_settle(*, keys: Iterable[str]) -> int:
    """News under ``keys`` no longer asks anything of anyone (the month that waited was decided):
    whoever has not read it yet finds it read, and the bell stops counting it; news still queued
    reaches the bell read (``delivery_send``), however late the worker delivers it."""
    keys, now = list(keys), timezone.now()
    # The deliveries' rows first, locked: a delivery being sent finishes before this reads the bell.
    Delivery.objects.filter(key__in=keys, settled_at__isnull=True).update(settled_at=now)
    rows = Notification.objects.filter(delivery__key__in=keys, read_at__isnull=True)
    return rows.update(read_at=now)
