"""Sending a delivery: thin, idempotent (a sent delivery is left alone), retried with backoff."""

from celery import shared_task

from notifications import services
from notifications.channels import TRANSIENT_ERRORS

MAX_RETRIES = 5


@shared_task(bind=True, ignore_result=True, acks_late=True, max_retries=MAX_RETRIES)
def deliver_task(self, delivery_id: int) -> None:
    """Send one delivery; an SMTP server down or busy is tried again after 1, 2, 4, 8 and 16 minutes,
    then the delivery is recorded as failed (its last error is on it).

    Run eagerly (`make run` without Redis, tests) the retries happen at once, in-process, and the
    error is not raised: the page that queued the mail must not fail with the SMTP server's error.
    """
    retries_here = MAX_RETRIES if self.request.is_eager else 0
    while True:
        try:
            services.delivery_send(delivery_id=delivery_id)
            return
        except TRANSIENT_ERRORS as exc:
            if retries_here:
                retries_here -= 1
                continue
            if self.request.is_eager or self.request.retries >= MAX_RETRIES:
                services.delivery_give_up(delivery_id=delivery_id)
                return
            raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
