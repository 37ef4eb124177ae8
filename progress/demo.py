"""Demo: after every other app's demo data (progress is last in INSTALLED_APPS), bring the progress
figures up to date.

The first time, one full run computes everything. After that the figures are already there: every
demo write left a dirty mark (as the services do), so an incremental run recomputes exactly what the
seeding just changed, and nothing at all on a second `make run`, whose seeding writes nothing.
"""

from django.utils import timezone

from core.models import DirtyMark
from progress import rollup
from progress.models import PeriodValue, RollupState


def _full_run_due() -> bool:
    """Never computed, emptied, a new month since the last full run (the stocks' horizon moved on:
    the nightly run does that where beat runs), or more marks than an incremental run takes."""
    state = RollupState.objects.filter(pk=1).first()
    if state is None or state.last_full_at is None or not PeriodValue.objects.exists():
        return True
    last_month = rollup.month_start(timezone.localdate(state.last_full_at))
    if last_month != rollup.month_start(timezone.localdate()):
        return True
    return DirtyMark.objects.count() >= rollup.CLAIM_BATCH


def seed(*, password: str) -> str:
    if _full_run_due():
        result = rollup.rollup_full()
        return f"progress computed in full ({result.rows_written} rows written, {result.seconds:.1f} s)"
    result = rollup.rollup_dirty()
    if result.mode == "full":  # the org tree changed: the incremental run turned into a full one
        return f"progress computed in full, the org tree changed ({result.rows_written} rows written)"
    if not result.marks:
        return "progress already up to date (nothing changed since it was computed)"
    return f"progress updated for {result.marks} changed unit-months ({result.rows_written} rows written)"
