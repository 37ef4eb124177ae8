"""The scheduled reminders: thin, idempotent (deliveries are recorded once per person and period)."""

from celery import shared_task

from reporting import services


@shared_task(ignore_result=True, acks_late=True)
def send_scheduled_reminders_task() -> int:
    """Every 15 minutes: the reminders each province's schedule makes due (a no-op between times)."""
    return services.scheduled_reminders_send()
