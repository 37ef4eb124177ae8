"""Background work for e-government support: thin, idempotent, calling one service each."""

from celery import shared_task

from egov_support import services


@shared_task(acks_late=True)
def purge_follow_up_contacts_task() -> int:
    """Erase follow-up contacts past their purge date (idempotent: a second run erases nothing)."""
    return services.follow_up_contacts_purge()
