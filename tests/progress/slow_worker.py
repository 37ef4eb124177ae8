"""A Celery worker whose rollup stops half-way, for the kill -9 test (tests/progress/test_worker_faults.py).

    python -m tests.progress.slow_worker <celery worker arguments>

After a full run's period rows are written (inside the rollup's transaction) it writes the file named by
$FAULT_MARKER and sleeps, so the test can kill the worker in the middle of a run. Nothing of this
is in the portal's code.
"""

import os
import pathlib
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
django.setup()

from progress.rollup import run  # noqa: E402  (after django.setup)

_write_all_periods = run.write_all_periods


def _write_then_stall(*args, **kwargs):
    written = _write_all_periods(*args, **kwargs)
    pathlib.Path(os.environ["FAULT_MARKER"]).write_text(str(written))
    time.sleep(600)
    return written


run.write_all_periods = _write_then_stall  # where the run looks it up

if __name__ == "__main__":
    from celery.__main__ import main

    main()
