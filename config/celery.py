import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_the_portals_logging(**kwargs) -> None:
    """Workers and beat keep settings.LOGGING (applied by django.setup()) instead of Celery's own
    format: stamps with their zone, and personal data redacted as in the web process's lines."""
