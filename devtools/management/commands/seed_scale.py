from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools import bench, scale


class Command(BaseCommand):
    help = (
        "Load a national-size synthetic dataset on the configured database (replacing an earlier one): the real "
        "tree, teams, volunteers, help sessions with lines, activities, statistics, agreements, demo logins. "
        "Prints rows/s per table, then JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument("--teams", type=int, default=5_000)
        parser.add_argument("--volunteers", type=int, default=240_000)
        parser.add_argument("--months", type=int, default=24, help="Months of sessions and statistics.")
        parser.add_argument("--activities-per-team", type=int, default=20)
        parser.add_argument("--agreements-per-province", type=int, default=3)
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--password", help="Password of the demo logins (default: $DEMO_PASSWORD).")
        parser.add_argument("--no-rollup", action="store_true", help="Skip the progress rollup at the end.")

    def handle(self, *args, **options):
        password = options["password"] or settings.DEMO_PASSWORD
        if not password:
            raise CommandError("Set DEMO_PASSWORD or pass --password (the demo logins need one).")
        figures = scale.run(
            sessions=options["sessions"],
            teams=options["teams"],
            volunteers=options["volunteers"],
            months=options["months"],
            seed=options["seed"],
            activities_per_team=options["activities_per_team"],
            agreements_per_province=options["agreements_per_province"],
            password=password,
            rollup_after=not options["no_rollup"],
            stdout=self.stderr,
        )
        self.stdout.write(f"{'table':<40} {'rows':>10} {'seconds':>9} {'rows/s':>10}")
        for row in figures["tables"]:
            self.stdout.write(
                f"{row['table']:<40} {row['rows']:>10,} {row['seconds']:>9.2f} {row['rows_per_second'] or 0:>10,}"
            )
        self.stdout.write(bench.dumps(figures))
