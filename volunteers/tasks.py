"""Scheduled jobs: thin wrappers around the services (idempotent, so a rerun is harmless)."""

from celery import shared_task

from volunteers import services


@shared_task(ignore_result=True, acks_late=True)
def send_weekly_report_reminders_task() -> int:
    """Remind unit leaders of this week's missing team reports; each leader once a week."""
    return services.weekly_report_reminders_send()
