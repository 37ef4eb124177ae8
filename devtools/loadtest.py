"""Load test of the portal on 127.0.0.1: gunicorn on PostgreSQL, wrk against the pages users wait for.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cds_scale make loadtest

It starts gunicorn on 127.0.0.1 only (port 8765, or --port / LOADTEST_PORT), signs in as province
staff, drives each target for a bounded time with wrk, prints requests/s, p50/p95/p99 and errors per
target and the same for a trivial view measured in the same run (the ratio is what we compare across
machines), then stops gunicorn. Every POST carries a new idempotency key (unique per run, wrk thread
and request: devtools/loadtest.lua), and the help sessions actually created are counted in the database
and printed beside the POSTs sent. It is not a test. Load the national-size data first
(docs/benchmarks.md, "National-size data").
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = int(os.environ.get("LOADTEST_PORT", "8765"))
BASE = f"http://{HOST}:{PORT}"  # set again by main() from --port


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def targets(username: str) -> list[dict]:
    """What to drive: (name, method, path, body). Resolved against the data in the database."""
    from django.urls import NoReverseMatch, reverse

    found = [{"name": "trivial view (/ping/)", "method": "GET", "path": "/ping/"}]

    def add(name, builder):
        try:
            spec = builder()
        except (NoReverseMatch, LookupError, AttributeError, ImportError) as exc:
            print(f"  skip {name}: {exc.__class__.__name__}: {exc}")
            return
        if spec:
            found.append({"name": name, "method": "GET", **spec})

    # The floor of any page behind the sign-in: session, user, roles, the layout, nothing of its own.
    add("signed-in empty page", lambda: {"path": reverse("portal:offline_queue")})
    add("dashboard", lambda: {"path": _dashboard_path()})
    add("help-session list", lambda: {"path": reverse("egov_support:session_list")})
    add("agreement detail", lambda: {"path": _agreement_detail_path()})
    add("progress API", lambda: {"path": _progress_api_path()})
    add("log a help session (POST)", lambda: _help_session_post())
    return found


def _dashboard_path():
    from django.urls import reverse

    from org.models import OrgUnit

    return reverse("progress:dashboard", args=[OrgUnit.objects.get(code="86").pk])


def _agreement_detail_path():
    from django.urls import reverse

    from partnerships.models import Agreement

    agreement = Agreement.objects.filter(parties__org_unit__code__in=["86", "old-83"]).order_by("pk").first()
    return reverse("partnerships:agreement_detail", args=[agreement.pk]) if agreement else None


def _progress_api_path():
    from org.models import OrgUnit

    unit = OrgUnit.objects.get(code="86")
    return f"/api/v1/progress/?unit={unit.pk}&indicator=online_service_rate&period=2026"


def _help_session_post():
    from devtools.loadtest_forms import help_session_post  # written with the help-session form

    return help_session_post()


def sign_in(username: str, password: str) -> tuple[str, str]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/accounts/login/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username}: check DEMO_PASSWORD and that seed_demo ran.")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies.get("csrftoken", "")


def run_wrk(target: dict, cookie: str, csrf: str, seconds: int, connections: int) -> dict:
    env = {
        **os.environ,
        "LOADTEST_COOKIE": cookie,
        "LOADTEST_CSRF": csrf,
        "LOADTEST_METHOD": target["method"],
        "LOADTEST_BODY": target.get("body", ""),
        "LOADTEST_RUN": uuid.uuid4().hex,  # the idempotency keys' prefix: unique per wrk run
    }
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(ROOT / "devtools" / "loadtest.lua"),
        BASE + target["path"],
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 30).stdout
    line = next((ln for ln in output.splitlines() if ln.startswith("LOADTEST_RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {target['name']}:\n{output}")
    return json.loads(line.removeprefix("LOADTEST_RESULT "))


def _print_result(name: str, r: dict) -> None:
    created = f"  created {r['sessions_created']} of {r['requests']} POSTs" if "sessions_created" in r else ""
    print(
        f"  {name:<28} {r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>6.1f} ms  "
        f"p95 {r['p95_ms']:>6.1f} ms  p99 {r['p99_ms']:>6.1f} ms  errors {r['socket_errors'] + r['non_2xx_3xx']}"
        f"{created}"
    )


def _sessions() -> int:
    """Help sessions in the database: counted before and after the POSTs (nothing else writes them)."""
    from django.db import close_old_connections

    from egov_support.models import HelpSession

    close_old_connections()
    return HelpSession.objects.count()


def run_counted(target: dict, cookie: str, csrf: str, seconds: int, connections: int) -> dict:
    """``run_wrk``, and for a POST the sessions it really created (a replayed key creates none)."""
    if target["method"] != "POST":
        return run_wrk(target, cookie, csrf, seconds, connections)
    before = _sessions()
    result = run_wrk(target, cookie, csrf, seconds, connections)
    result["sessions_created"] = _sessions() - before
    return result


def run_mixed(
    reads: dict, writes: dict, cookie: str, csrf: str, seconds: int, connections: int, writers: int
) -> dict:
    """The list and the POST at the same time, on ``connections - writers`` and ``writers``."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        read = pool.submit(run_wrk, reads, cookie, csrf, seconds, connections - writers)
        write = pool.submit(run_counted, writes, cookie, csrf, seconds, writers)
        return {
            "mixed: list while logging": read.result(),
            "mixed: logging while listing": write.result(),
        }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15, help="duration per target (default 15)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (default 5 = 2 x cores + 1)")
    parser.add_argument("--username", default="staff_vinhlong")
    parser.add_argument(
        "--port", type=int, default=PORT, help="gunicorn's port on 127.0.0.1 (default LOADTEST_PORT or 8765)"
    )
    parser.add_argument(
        "--mixed",
        type=int,
        default=4,
        metavar="N",
        help="then a mixed phase: the help-session list read on the other connections while N of them "
        "log sessions in the same province (a campaign's morning); 0 skips it (default 4)",
    )
    parser.add_argument(
        "--only",
        default="",
        metavar="NAMES",
        help="comma-separated starts of target names to drive (e.g. 'help,log'); /ping/ always runs",
    )
    args = parser.parse_args()
    global BASE
    BASE = f"http://{HOST}:{args.port}"

    import socket

    with socket.socket() as probe:
        if probe.connect_ex((HOST, args.port)) == 0:
            raise SystemExit(f"Port {args.port} is in use: choose another with --port.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database holding the national-size data.")
    password = os.environ.get("DEMO_PASSWORD") or "doan-cds-2026"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "loadtest-" + "x" * 50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "MFA_REQUIRED_FOR_STAFF": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    django_setup()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    print(
        f"gunicorn on {BASE} with {args.workers} workers; {args.seconds} s per target, {args.connections} connections"
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{BASE}/ping/", timeout=1).read()
                break
            except OSError:
                time.sleep(0.5)
        cookie, csrf = sign_in(args.username, password)
        results = {}
        found = targets(args.username)
        if args.only:
            wanted = tuple(name.strip() for name in args.only.split(",") if name.strip())
            found = [t for t in found if t["path"] == "/ping/" or t["name"].startswith(wanted)]
        for target in found:
            results[target["name"]] = run_counted(target, cookie, csrf, args.seconds, args.connections)
            _print_result(target["name"], results[target["name"]])
        by_name = {t["name"]: t for t in found}
        reads, writes = by_name.get("help-session list"), by_name.get("log a help session (POST)")
        if args.mixed and reads and writes and 0 < args.mixed < args.connections:
            mixed = run_mixed(reads, writes, cookie, csrf, args.seconds, args.connections, args.mixed)
            for name, r in mixed.items():
                results[name] = r
                _print_result(name, r)
        trivial = results["trivial view (/ping/)"]["rps"]
        for r in results.values():
            r["ratio_to_trivial"] = round(r["rps"] / trivial, 3) if trivial else None
        print(json.dumps(results, indent=2))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
