"""The Makefile's local targets as a newcomer runs them: a busy port or a missing REDIS_URL is said at
once, before anything is installed, migrated or seeded; beat's schedule stays out of the repository."""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "REDIS_URL", "MAKEFLAGS"}}
    environment |= env or {}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def busy_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_run_on_a_busy_port_stops_first_and_names_the_port(busy_port):
    result = make("run", f"PORT={busy_port}", env={"PY": sys.executable})

    assert result.returncode != 0
    assert f"Port {busy_port} on 127.0.0.1 is already in use" in result.stderr
    assert f"make run PORT={busy_port + 1}" in result.stderr
    assert "pip install" not in result.stdout and "migrate" not in result.stdout


def test_the_port_check_passes_a_free_port_and_refuses_garbage():
    script = [sys.executable, str(ROOT / "scripts" / "port_free.py")]

    assert subprocess.run([*script, str(free_port())], check=False).returncode == 0
    garbage = subprocess.run([*script, "80a"], capture_output=True, text=True, check=False)
    assert garbage.returncode == 1
    assert "PORT=80a is not a port number" in garbage.stderr


def test_make_run_serves_seeds_and_checks_on_the_chosen_port():
    port = free_port()

    commands = make("-n", "run", f"PORT={port}").stdout.splitlines()

    assert commands[0].endswith(f"scripts/port_free.py {port}")  # before install, migrate, seed
    # Links in e-mails (a month approved, a reminder) lead to this port, not the default 8000.
    assert commands[-1] == (
        f"PORTAL_URL=${{PORTAL_URL:-http://127.0.0.1:{port}}} DEBUG=1 .venv/bin/python manage.py "
        f"runserver 127.0.0.1:{port}"
    )
    assert (
        f"DEBUG=1 .venv/bin/python manage.py seed_demo --migrate --url http://127.0.0.1:{port}/" in commands
    )


@pytest.mark.parametrize("target", ["worker", "beat"])
def test_worker_and_beat_without_redis_url_say_so_before_installing(target):
    result = make(target)

    assert result.returncode != 0
    assert "Set REDIS_URL first" in result.stderr
    assert "pip install" not in result.stdout


@pytest.mark.parametrize("target", ["worker", "beat"])
def test_worker_and_beat_run_in_local_mode_with_redis_url_alone(target):
    commands = make("-n", target, env={"REDIS_URL": "redis://127.0.0.1:6379/5"}).stdout

    assert f"DEBUG=${{DEBUG:-1}} .venv/bin/celery -A config {target} -l info" in commands


def test_beat_keeps_its_schedule_in_an_ignored_directory_that_clean_removes():
    beat = make("-n", "beat", env={"REDIS_URL": "redis://127.0.0.1:6379/5"}).stdout
    clean = make("-n", "clean").stdout

    assert "--schedule .run/celerybeat-schedule" in beat
    assert ".run/" in (ROOT / ".gitignore").read_text().splitlines()
    assert " .run " in f"{clean} "
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".run/celerybeat-schedule.db"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
