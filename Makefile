# Đoàn CĐS portal. `make help` lists the targets.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
# make run's port: `make run PORT=8001` (or PORT in the environment).
PORT    ?= 8000
# Files the local processes leave (Celery beat's schedule): ignored by git, removed by `make clean`.
RUNDIR  := .run
DEMO_PASSWORD ?= doan-cds-2026
export DEMO_PASSWORD

# make worker / make beat run on this machine like make run does (DEBUG=1: development key and hosts);
# set DEBUG=0 with SECRET_KEY and ALLOWED_HOSTS to try them as production runs them.
LOCAL_DEBUG := DEBUG=$${DEBUG:-1}

.DEFAULT_GOAL := help
.PHONY: help install run port-free redis-url test lint format worker beat messages loadtest clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	@echo "Installing the portal and its dev tools into $(VENV) (about a minute the first time)..."
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## create .venv, install the portal with its dev tools, compile translations
	$(BIN)/python scripts/compile_messages.py

# Checked before anything slow: a busy port is said at once, not after migrating and seeding.
port-free:
	@$(PY) scripts/port_free.py $(PORT)

redis-url:
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL first (e.g. export REDIS_URL=redis://127.0.0.1:6379/0): \
	Celery reads its tasks from Redis. Set DATABASE_URL to the web process's database too." >&2; exit 1; }

# Migrations and demo data in one process: each start of Django costs seconds on a busy machine.
run: port-free install ## migrate, load demo data, serve on 127.0.0.1 port PORT (8000 unless set; SQLite, eager Celery)
	DEBUG=1 $(BIN)/python manage.py seed_demo --migrate --url http://127.0.0.1:$(PORT)/
	PORTAL_URL=$${PORTAL_URL:-http://127.0.0.1:$(PORT)} DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install ## ruff check, and the apps' layers (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install ## ruff format and fix imports
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

test: install lint ## lint, then the whole test suite: both pytest phases always run, failing if either did
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	@main=0; browser=0; \
	$(BIN)/pytest -n 2 -m "not browser" tests || main=$$?; \
	$(BIN)/pytest -m browser tests || browser=$$?; \
	echo "pytest: main phase exit $$main, browser phase exit $$browser"; \
	test $$main -eq 0 && test $$browser -eq 0

worker: redis-url install ## a Celery worker (needs REDIS_URL, DATABASE_URL as the web's; DEBUG=1 unless set)
	$(LOCAL_DEBUG) $(BIN)/celery -A config worker -l info

beat: redis-url install ## Celery beat, run exactly one (needs REDIS_URL, DATABASE_URL; DEBUG=1 unless set)
	@mkdir -p $(RUNDIR)
	$(LOCAL_DEBUG) $(BIN)/celery -A config beat -l info --schedule $(RUNDIR)/celerybeat-schedule

messages: install ## refresh the Vietnamese catalogues from the code (needs gettext), then compile them
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=static/vendor --no-obsolete
	$(BIN)/python scripts/compile_messages.py

loadtest: install ## load test on 127.0.0.1 against PostgreSQL (needs DATABASE_URL, wrk, the scale data)
	$(BIN)/python devtools/loadtest.py

clean: ## remove the venv, the local SQLite database and beat's schedule
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm $(RUNDIR) celerybeat-schedule*
