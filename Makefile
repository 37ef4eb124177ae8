# Đoàn CĐS portal. `make help` lists the targets.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DEMO_PASSWORD ?= doan-cds-2026
export DEMO_PASSWORD

.DEFAULT_GOAL := help
.PHONY: help install run test lint format worker beat messages loadtest clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## create .venv, install the portal with its dev tools, compile translations
	$(BIN)/python scripts/compile_messages.py

run: install ## migrate, load demo data and serve on http://127.0.0.1:8000 (SQLite, eager Celery)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install ## ruff check, and the apps' layers (import-linter, pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: install ## ruff format and fix imports
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format .

test: install lint ## lint, then the whole test suite (browser tests in their own process)
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 -m "not browser" tests
	$(BIN)/pytest -m browser tests

worker: install ## a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A config worker -l info

beat: install ## the Celery beat scheduler: run exactly one (needs REDIS_URL)
	$(BIN)/celery -A config beat -l info

messages: install ## refresh the Vietnamese catalogues from the code (needs gettext), then compile them
	$(BIN)/python manage.py makemessages -l vi --ignore=.venv --ignore=static/vendor --no-obsolete
	$(BIN)/python scripts/compile_messages.py

loadtest: install ## load test on 127.0.0.1 against PostgreSQL (needs DATABASE_URL, wrk, the scale data)
	$(BIN)/python scripts/loadtest.py

clean: ## remove the venv and the local SQLite database
	rm -rf $(VENV) db.sqlite3
