import cProfile
import io
import pstats
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from devtools import loadtest


class Command(BaseCommand):
    help = (
        "CPU per view in this process (django test Client, warm): /ping/, dashboard, help-session list, "
        "agreement page, progress API as a province staff user. Prints ms of CPU per view (minimum and "
        "median of N). --profile VIEW prints cProfile's top functions for one view."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="staff_vinhlong")
        parser.add_argument("-n", "--repeat", type=int, default=5)
        parser.add_argument("--profile", default="", help="Name (or start of it) of one view to profile.")
        parser.add_argument("--top", type=int, default=30)
        parser.add_argument(
            "--queries", action="store_true", help="With --profile: each SQL statement's wall time instead."
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}: load the data with seed_scale first.")
        views = [t for t in loadtest.targets(options["username"]) if t["method"] == "GET"]
        with override_settings(ALLOWED_HOSTS=["*"]):
            client = Client()
            client.force_login(user)
            for view in views:
                if options["profile"] and not view["name"].startswith(options["profile"]):
                    continue
                response = client.get(view["path"])  # warm: imports, templates, connections
                if response.status_code != 200:
                    raise CommandError(f"{view['name']}: HTTP {response.status_code} at {view['path']}")
                if options["profile"] and options["queries"]:
                    self._queries(client, view)
                    continue
                if options["profile"]:
                    profile = cProfile.Profile()
                    profile.enable()
                    for _ in range(options["repeat"]):
                        client.get(view["path"])
                    profile.disable()
                    out = io.StringIO()
                    stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
                    stats.print_stats(options["top"])
                    stats.sort_stats("tottime").print_stats(options["top"])
                    self.stdout.write(out.getvalue())
                    continue
                times = []
                for _ in range(options["repeat"]):
                    started = time.process_time()
                    client.get(view["path"])
                    times.append((time.process_time() - started) * 1000)
                times.sort()
                self.stdout.write(
                    f"{view['name']:<28} min {times[0]:7.1f} ms  median {times[len(times) // 2]:7.1f} ms CPU"
                    f"  ({view['path']})"
                )

    def _queries(self, client, view) -> None:
        """Each statement of one request, slowest first, with its wall time (the database's share)."""
        timings = []

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(((time.perf_counter() - started) * 1000, sql))

        with connection.execute_wrapper(timed):
            client.get(view["path"])
        self.stdout.write(f"{view['name']}: {len(timings)} queries, {sum(t for t, _ in timings):.1f} ms")
        for ms, sql in sorted(timings, reverse=True):
            self.stdout.write(f"{ms:8.2f} ms  {' '.join(sql.split())[:400]}")
