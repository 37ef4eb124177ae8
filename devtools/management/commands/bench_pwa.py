"""Weight and render time of the leader's logging pages on a phone over "3G" (issue 24).

Drives Chromium against a running portal (production settings: compressed static files, gzip),
throttled with CDP's Network.emulateNetworkConditions, and prints for each logging page: the bytes
transferred on a first visit (empty cache), on a repeat visit, and the time to first paint and to
the load event. docs/benchmarks.md says how to start the server and records the figures.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
# Chrome DevTools' "3G" preset (earlier named "Fast 3G", Lighthouse's mobile profile).
THREE_G = {
    "offline": False,
    "latency": 562.5,
    "downloadThroughput": 1.6e6 * 0.9 / 8,
    "uploadThroughput": 750e3 * 0.9 / 8,
}
PAGES = [("home", "/"), ("help session form", "/help-sessions/new/"), ("activity form", "/activities/log/")]
TARGETS = {"first_kb": 150, "repeat_kb": 30, "render_s": 3.0}


class Command(BaseCommand):
    help = "First-visit and repeat-visit compressed weight and 3G render time of the leader's logging pages."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="A running portal (see docs/benchmarks.md)."
        )
        parser.add_argument("--username", default="leader_an_hoi")
        parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "doan-cds-2026"))

    def handle(self, *args, **options):
        from playwright.sync_api import sync_playwright

        if not os.path.exists(CHROMIUM):
            raise CommandError(f"{CHROMIUM} is missing")
        base = options["url"].rstrip("/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            state = self._sign_in(browser, base, options["username"], options["password"])
            rows = []
            for name, path in PAGES:
                # Each page on a phone that never opened the portal's pages: empty cache, signed in.
                context = browser.new_context(
                    base_url=base, storage_state=state, viewport={"width": 390, "height": 844}, locale="vi-VN"
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", THREE_G)
                first = self._visit(page, cdp, path)
                page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=60_000)
                repeat = self._visit(page, cdp, path)
                rows.append((name, path, first, repeat))
                context.close()
            browser.close()
        self._print(rows)

    def _sign_in(self, browser, base, username, password):
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=login]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        state = context.storage_state()
        context.close()
        return state

    def _visit(self, page, cdp, path) -> dict:
        transferred = {}

        def finished(event):
            transferred[event["requestId"]] = event["encodedDataLength"]

        cdp.on("Network.loadingFinished", finished)
        started = time.perf_counter()
        page.goto(path, wait_until="load")
        load_s = time.perf_counter() - started
        paint = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"
        )
        cdp.remove_listener("Network.loadingFinished", finished)  # what loaded with the page, not after
        return {
            "bytes": sum(transferred.values()),
            "requests": len(transferred),
            "load_s": load_s,
            "fcp_s": paint / 1000,
        }

    def _print(self, rows):
        self.stdout.write(
            'Throttled: DevTools "3G" (562.5 ms RTT, 1.44 Mbit/s down, 675 kbit/s up); bytes = compressed, '
            "as transferred (CDP encodedDataLength, headers included)."
        )
        self.stdout.write(
            f"{'page':<20} {'first KB':>9} {'repeat KB':>10} {'first paint s':>14} {'load s':>7}"
        )
        ok = True
        for name, path, first, repeat in rows:
            first_kb, repeat_kb = first["bytes"] / 1024, repeat["bytes"] / 1024
            ok &= first_kb <= TARGETS["first_kb"] and repeat_kb <= TARGETS["repeat_kb"]
            ok &= first["load_s"] <= TARGETS["render_s"]
            self.stdout.write(
                f"{name:<20} {first_kb:9.1f} {repeat_kb:10.1f} {first['fcp_s']:14.2f} {first['load_s']:7.2f}"
                f"  ({path}; {first['requests']} then {repeat['requests']} requests)"
            )
        self.stdout.write(
            f"targets: first <= {TARGETS['first_kb']} KB, repeat <= {TARGETS['repeat_kb']} KB, "
            f"load <= {TARGETS['render_s']} s: {'met' if ok else 'NOT met'}"
        )
