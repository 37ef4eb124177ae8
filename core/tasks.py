from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

BEAT_KEY = "health:beat-last-seen"


@shared_task(ignore_result=True)
def beat_heartbeat_task() -> None:
    """Beat runs this every few minutes; /health/ reports when it last ran."""
    cache.set(BEAT_KEY, timezone.now().isoformat(), 60 * 60)
