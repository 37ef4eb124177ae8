import datetime

from django.core.management.base import BaseCommand, CommandError

from progress import rollup


class Command(BaseCommand):
    help = (
        "Recompute progress: everything (default), one month (--period YYYY-MM) or the dirty marks (--dirty)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Only this month, e.g. 2026-03, for every unit.")
        parser.add_argument("--dirty", action="store_true", help="Only what the pending dirty marks touch.")

    def handle(self, *args, period=None, dirty=False, **options):
        if dirty:
            result = rollup.rollup_dirty()
        else:
            month = None
            if period:
                try:
                    month = datetime.date.fromisoformat(f"{period}-01")
                except ValueError as exc:
                    raise CommandError("--period must look like 2026-03") from exc
            result = rollup.rollup_full(period=month)
        self.stdout.write(
            f"{result.mode}: {result.rows_written} rows written, {result.facts_changed} unit-months changed, "
            f"{result.seconds:.2f} s {result.timings}"
        )
