"""Demo data: the real tree, demo accounts, then each app's own demo data (in dependency order)."""

import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.progress_marks import rollup_queueing_suspended


class Command(BaseCommand):
    help = "Load the real org tree and the demo data of every app. Idempotent: a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for new demo accounts (default: $DEMO_PASSWORD).")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the server will answer (printed at the end).",
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply migrations first, in this process (make run: one start of Django instead of two).",
        )

    def handle(self, *args, **options):
        password = options["password"] or settings.DEMO_PASSWORD
        if not password:
            raise CommandError("Set DEMO_PASSWORD (make run sets a default) or pass --password.")
        if options["migrate"]:
            # The system checks ran as this command started (unless --skip-checks): not again.
            call_command("migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout)
        # Each app with a demo.py contributes; INSTALLED_APPS order is the dependency order.
        # No rollup per commit meanwhile: progress (last) brings the figures up to date once at the end.
        started = time.perf_counter()
        with rollup_queueing_suspended():
            self._seed_apps(password)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.perf_counter() - started:.1f} s. Sign in at {options['url']} as:"
            )
        )
        from accounts.demo import DEMO_ACCOUNTS

        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<18} {description}")
        # On a developer's machine (DEBUG) the password is shown; elsewhere it stays where it was set.
        shown = password if settings.DEBUG else "the value of DEMO_PASSWORD"
        self.stdout.write(f"  password: {shown}")

    def _seed_apps(self, password: str) -> None:
        modules = []
        for app_config in apps.get_app_configs():
            try:
                modules.append((app_config, importlib.import_module(f"{app_config.name}.demo")))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
        # A line before each step and its time after it: the first run takes a minute, and a newcomer
        # should see which step it is in rather than a silent terminal.
        for number, (app_config, module) in enumerate(modules, start=1):
            self.stdout.write(f"[{number}/{len(modules)}] {app_config.verbose_name}...")
            self.stdout.flush()
            step_started = time.perf_counter()
            summary = module.seed(password=password)
            self.stdout.write(f"      {summary} ({time.perf_counter() - step_started:.1f} s)")
