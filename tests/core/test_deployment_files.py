"""docker-compose.yml describes the scale-out deployment; .env.example lists every variable."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_has_the_five_services_with_healthchecks_where_they_serve():
    services = compose()["services"]

    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in services[name], name


def test_web_migrates_then_serves_with_gunicorn_on_the_real_services():
    web = compose()["services"]["web"]

    command = command_of(web)
    assert command.index("migrate --noinput") < command.index("gunicorn config.wsgi:application")
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert web["environment"]["REDIS_URL"].startswith("redis://redis:6379")
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_worker_and_exactly_one_beat_run_celery_on_the_project_app():
    services = compose()["services"]

    assert command_of(services["worker"]).startswith("celery -A config worker")
    assert command_of(services["beat"]).startswith("celery -A config beat")
    assert services["beat"]["deploy"]["replicas"] == 1
    assert sum("beat" in command_of(s) for s in services.values()) == 1


def test_data_lives_in_named_volumes():
    document = compose()

    assert {"pgdata", "redisdata", "media"} <= set(document["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in document["services"]["postgres"]["volumes"]


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))

    assert read, "no env reads found"
    assert read - listed == set()
