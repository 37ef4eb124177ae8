"""The generators and benchmarks exist on developers' machines and in tests, never in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands(debug: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": debug,
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portal.example",
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_production_settings_have_no_generator_or_benchmark_command():
    commands = _commands(debug="0")
    assert "seed_scale" not in commands
    assert "bench_rollup" not in commands
    assert "rollup_progress" in commands  # the production commands are still there


def test_a_developer_machine_has_them():
    commands = _commands(debug="1")
    assert "seed_scale" in commands
    assert "bench_rollup" in commands
