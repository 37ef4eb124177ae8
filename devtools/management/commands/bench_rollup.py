from django.core.management.base import BaseCommand

from devtools import bench


class Command(BaseCommand):
    help = (
        "Generate national-scale synthetic data on the configured database (real tree, teams, volunteers, "
        "N help sessions) and time a full rollup, an incremental one and the bare GROUP BY. Prints JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=1_000_000)
        parser.add_argument("--teams", type=int, default=5_000)
        parser.add_argument("--volunteers", type=int, default=240_000)
        parser.add_argument(
            "--months", type=int, default=24, help="Sessions are spread over this many months."
        )
        parser.add_argument("--seed", type=int, default=6)
        parser.add_argument("--reuse", action="store_true", help="Keep the data of the previous bench run.")

    def handle(self, *args, **options):
        figures = bench.run(
            sessions=options["sessions"],
            teams=options["teams"],
            volunteers=options["volunteers"],
            seed=options["seed"],
            months=options["months"],
            stdout=self.stderr,
            reuse=options["reuse"],
        )
        self.stdout.write(bench.dumps(figures))
