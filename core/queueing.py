"""Sending Celery tasks from a web request without ever failing the request.

What a user saved is already committed when a task is queued; if the broker (Redis) is down, the
request must still succeed. The work is not lost: the dirty marks stay in the database and the next
scheduled run (beat every few minutes, nightly full) picks them up once the broker is back.
"""

import importlib
import logging

from celery import current_app
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# One quick retry, then give up: a user is waiting for the page.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue(task_name: str, **options) -> bool:
    """Queue ``task_name`` by name; ``False`` (and a warning in the log) if the broker is unreachable.

    With eager Celery (development, ``make run``) the task runs in-process, and its errors propagate.
    """
    if task_name not in current_app.tasks:
        # By name, an unregistered task would go to the broker even when tasks run eagerly (and
        # nowhere at all with the in-memory broker of `make run`): import its module first. (Not
        # Celery's import_default_modules(): in a web process that re-runs django.setup() and the
        # system checks, and reconfigures logging.)
        importlib.import_module(task_name.rpartition(".")[0])
    task = current_app.tasks[task_name]  # KeyError: a typo in the name is a bug, not a broker outage
    try:
        task.apply_async(retry=True, retry_policy=RETRY_POLICY, **options)
    except (OperationalError, OSError) as exc:
        logger.warning(
            "task %s not queued, the broker is unreachable (%s): the schedule will catch up",
            task_name,
            exc.__class__.__name__,
        )
        return False
    return True
