"""docker-compose.yml, Dockerfile and .dockerignore do what they claim, checked by running them where
possible: no Docker engine exists here, so the web service's own command (gunicorn) is started with the
environment compose would give the container (`.env.example` as `.env`), and the healthcheck's exact
command is run against it."""

import contextlib
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


# --- Compose's own reading of .env and of the file's ${...} -------------------------------------


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as compose reads an env file: comments and blank lines skipped, an unquoted
    value's trailing ` # comment` dropped, quotes removed."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if value[:1] in {'"', "'"}:
            value = value[1 : value.index(value[0], 1)]
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
        values[key] = value
    return values


_TEMPLATE = re.compile(r"\$(?:(?P<escaped>\$)|(?P<named>[A-Za-z_]\w*)|\{(?P<braced>[^}]*)\}|(?P<invalid>))")


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's variable interpolation: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default},
    ${VAR:?error}, ${VAR?error}, ${VAR:+other}, ${VAR+other}; anything else after a $ is an error."""

    def substitute(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        if match["named"]:
            return variables.get(match["named"], "")
        if match["braced"] is None:
            raise ValueError(f"invalid interpolation in {text!r}")
        name, operator, argument = re.fullmatch(r"([A-Za-z_]\w*)(:?[-?+])?(.*)", match["braced"]).groups()
        value, is_set = variables.get(name, ""), name in variables
        present = bool(value) if operator and operator.startswith(":") else is_set
        if operator in {":-", "-"}:
            return value if present else argument
        if operator in {":?", "?"}:
            if not present:
                raise ValueError(f"required variable {name}: {argument}")
            return value
        if operator in {":+", "+"}:
            return argument if present else ""
        return value

    return _TEMPLATE.sub(substitute, text)


def container_environment(service: str) -> dict[str, str]:
    """The environment compose gives ``service`` with .env.example copied to .env: the env_file's
    values, overridden by ``environment`` (interpolated from the same .env, as compose does)."""
    dotenv = read_env_file(ROOT / ".env.example")
    spec = compose()["services"][service]
    env = dict(dotenv) if spec.get("env_file") == ".env" else {}
    env.update({key: interpolate(str(value), dotenv) for key, value in spec.get("environment", {}).items()})
    return env


def healthcheck_command(service: str) -> str:
    kind, *test = compose()["services"][service]["healthcheck"]["test"]
    # A healthcheck is interpolated like the rest of the file ($$ is a literal $).
    test = [interpolate(part, read_env_file(ROOT / ".env.example")) for part in test]
    return test[0] if kind == "CMD-SHELL" else shlex.join(test)


# --- A real server started as the web service starts ------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def web_server(tmp_path: Path, **overrides: str):
    """gunicorn as the web service runs it, with the container's environment. Only what cannot exist
    here is replaced: the hosts `postgres` and `redis` (a SQLite file and this machine's Redis), the
    media volume, and the port (8000 may be taken on a shared machine); one worker, not three."""
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "REDIS_URL is not set: /health/ needs the cache and the broker")
    env = container_environment("web")
    assert env["DATABASE_URL"].startswith("postgres://portal:change-me@postgres:5432/")
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        # Unset in the container, where no .env file exists (.dockerignore): a developer's .env in
        # this checkout must not turn debug on for the server under test.
        "DEBUG": env.get("DEBUG", "0"),
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        **overrides,
    }
    port = free_port()
    argv = shlex.split(command_of(compose()["services"]["web"]))
    assert argv[:2] == ["gunicorn", "config.wsgi:application"]
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    argv[argv.index("--workers") + 1] = "1"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *argv[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {server.stderr.read()[-2000:]}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_healthcheck(port: int, path: str = "/health/") -> subprocess.CompletedProcess:
    """The web healthcheck's exact command, pointed at the server's port (and, to show what a
    redirect does to it, optionally at another path)."""
    command = healthcheck_command("web")
    assert "http://127.0.0.1:8000/health/" in command
    command = command.replace("http://127.0.0.1:8000/health/", f"http://127.0.0.1:{port}{path}")
    return subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=30, check=False)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(port: int, path: str) -> tuple[int, str, bytes]:
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read()


def test_the_web_healthcheck_passes_on_a_real_200_from_the_view_of_a_production_server(tmp_path):
    with web_server(tmp_path) as port:
        status, location, body = get(port, "/health/")
        healthcheck = run_healthcheck(port)
        # The same server still sends everything else to https: only /health/ is exempt.
        other_status, other_location, _ = get(port, "/ping/")
        redirected = run_healthcheck(port, "/ping/")

    assert (status, location) == (200, "")
    assert b'"status": "ok"' in body
    assert healthcheck.returncode == 0, healthcheck.stderr
    assert (other_status, other_location) == (301, f"https://127.0.0.1:{port}/ping/")
    assert redirected.returncode != 0  # a redirect is not healthy (curl -f alone would have said it was)


def test_the_web_healthcheck_fails_when_the_view_answers_503(tmp_path):
    with web_server(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0") as port:
        status, _location, body = get(port, "/health/")
        healthcheck = run_healthcheck(port)

    assert status == 503
    assert b'"status": "error"' in body
    assert healthcheck.returncode != 0


def test_the_compose_environment_allows_the_public_hosts_and_the_containers_own_address():
    for service in ("web", "worker", "beat", "migrate"):
        env = container_environment(service)
        assert env["ALLOWED_HOSTS"] == "portal.doan.vn,127.0.0.1", service
        assert env["SECRET_KEY"] == read_env_file(ROOT / ".env.example")["SECRET_KEY"]
        assert "DEBUG" not in env  # production settings: off unless set


def test_a_missing_required_variable_stops_compose_as_it_says():
    with pytest.raises(ValueError, match="required variable ALLOWED_HOSTS"):
        interpolate("${ALLOWED_HOSTS:?set ALLOWED_HOSTS},127.0.0.1", {})
    with pytest.raises(ValueError, match="invalid interpolation"):
        interpolate("echo $(hostname)", {})
    assert interpolate("celery@$$HOSTNAME ${A:-x} ${B-y}", {"B": ""}) == "celery@$HOSTNAME x "


# --- Order of start-up ------------------------------------------------------------------------


def test_migrations_run_once_before_web_worker_and_beat_start():
    services = compose()["services"]

    assert command_of(services["migrate"]) == "python manage.py migrate --noinput"
    assert services["migrate"]["restart"] == "no"  # a one-shot: restarted, it would never "complete"
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
        assert "migrate" not in command_of(services[name]), name


def test_worker_and_exactly_one_beat_run_celery_on_the_project_app():
    services = compose()["services"]

    assert command_of(services["worker"]).startswith("celery -A config worker")
    assert command_of(services["beat"]).startswith("celery -A config beat")
    # beat's schedule file inside the container's /tmp, not in the image's /app
    assert "--schedule /tmp/" in command_of(services["beat"])
    assert services["beat"]["deploy"]["replicas"] == 1
    assert sum("beat" in command_of(s) for s in services.values()) == 1
    assert "healthcheck" in services["worker"]


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


# --- The image ----------------------------------------------------------------------------------


def dockerignore_excludes(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent directories decides
    (``!`` re-includes); ``*`` stays within a directory, ``**`` crosses them."""
    excluded = False
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        pattern = pattern.strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, candidate) for candidate in candidates):
            excluded = not negate
    return excluded


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@pytest.mark.parametrize(
    "path",
    [
        ".env",
        ".env.production",
        ".venv/bin/python",
        "db.sqlite3",
        "db.sqlite3-wal",
        "screenshots/journey.png",
        ".git/config",
        ".run/celerybeat-schedule.db",
        "celerybeat-schedule.dat",
        "media/uploads/roster.xlsx",
        "staticfiles/staticfiles.json",
        "core/__pycache__/views.cpython-311.pyc",
        "doan_cds_portal.egg-info/PKG-INFO",
    ],
)
def test_secrets_and_local_state_never_enter_the_image(path):
    assert dockerignore_excludes(path, dockerignore())


@pytest.mark.parametrize(
    "path", ["manage.py", "pyproject.toml", "config/settings.py", "scripts/compile_messages.py", "static/css"]
)
def test_the_code_the_image_runs_is_copied(path):
    assert not dockerignore_excludes(path, dockerignore())


def test_the_ignore_rules_read_as_docker_reads_them():
    assert dockerignore_excludes("a/b/__pycache__/x.pyc", ["**/__pycache__"])
    assert not dockerignore_excludes("sub/.env", [".env"])  # root only, as in Docker
    assert not dockerignore_excludes(".env.example", [".env.*", "!.env.example"])
    assert dockerignore_excludes("core/views.py", ["*.py"]) is False  # * stays in its directory


def dockerfile_steps() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, argument = line.partition(" ")
            steps.append((instruction.upper(), " ".join(argument.split())))
    return steps


def test_the_dependency_layer_is_built_from_pyproject_alone_before_the_code_is_copied():
    steps = dockerfile_steps()
    copies = [i for i, (instruction, _) in enumerate(steps) if instruction == "COPY"]
    install = next(
        i for i, (instruction, arg) in enumerate(steps) if instruction == "RUN" and "pip install" in arg
    )

    assert steps[copies[0]] == ("COPY", "pyproject.toml ./")
    assert copies[0] < install < copies[1]
    assert steps[copies[1]] == ("COPY", ". .")
    assert len(copies) == 2
    # The project itself has no package to install: pip needs nothing but pyproject.toml.
    assert re.search(r"^packages = \[\]$", (ROOT / "pyproject.toml").read_text(), re.MULTILINE)


def test_the_worker_healthcheck_answers_for_a_running_worker_and_fails_without_one(tmp_path):
    """The worker service's command with the container's environment; the container's host name is
    a unique one here (several workers may share this machine and its Redis)."""
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "REDIS_URL is not set: the worker reads its tasks from Redis")
    env = container_environment("worker") | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "0",  # unset in the container (no .env there); a developer's .env must not turn it on
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOSTNAME": f"healthcheck-{os.getpid()}-{free_port()}",
    }
    argv = shlex.split(command_of(compose()["services"]["worker"]))
    assert argv[:4] == ["celery", "-A", "config", "worker"]
    command = healthcheck_command("worker")
    assert "celery@$HOSTNAME" in command

    def healthcheck(hostname: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["sh", "-c", command],
            cwd=ROOT,
            env=env | {"HOSTNAME": hostname},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    worker = subprocess.Popen(
        [str(BIN / "celery"), *argv[1:], "--concurrency", "1", "-n", f"celery@{env['HOSTNAME']}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while (answered := healthcheck(env["HOSTNAME"])).returncode != 0:
            if worker.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker never answered its healthcheck: {answered.stderr[-1000:]}")
        nobody = healthcheck(f"{env['HOSTNAME']}-gone")
    finally:
        worker.terminate()
        worker.wait(timeout=60)

    assert answered.returncode == 0
    assert nobody.returncode != 0
