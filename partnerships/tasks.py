"""Daily jobs: thin wrappers around the services (idempotent, so a rerun or a retry is harmless)."""

from celery import shared_task

from partnerships import services


@shared_task(ignore_result=True, acks_late=True)
def follow_agreement_dates_task() -> dict:
    """Statuses that follow the calendar: active, ended, overdue commitments."""
    changed = services.agreements_follow_dates()
    overdue = services.commitments_mark_overdue()
    return {"agreements_changed": changed, "commitments_overdue": len(overdue)}


@shared_task(ignore_result=True, acks_late=True)
def send_agreement_reminders_task() -> int:
    """Phase-end (90/30/7 days) and overdue-commitment mails; each is sent once."""
    return services.reminders_send()
