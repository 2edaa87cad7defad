# Kooperationsraum: `make run` starts the app, `make test` runs the whole suite.
# Both set up everything first (virtual environment, requirements, migrations).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run setup test lint typecheck pytest migrate seed check postgres bench screenshots clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird benötigt")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

## Migrate and load the demo data on first start.
setup: $(VENV)/.requirements
	$(BIN)/python manage.py setup

## Start the app on http://localhost:$(PORT)
run: setup
	$(BIN)/streamlit run app.py --server.port $(PORT)

## Lint, format check, type check and the whole test suite.
test: lint typecheck pytest

lint: $(VENV)/.requirements-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.requirements-dev
	$(BIN)/mypy .

pytest: $(VENV)/.requirements-dev
	$(BIN)/pytest

migrate: $(VENV)/.requirements
	$(BIN)/python manage.py migrate

seed: $(VENV)/.requirements
	$(BIN)/python manage.py seed

check: $(VENV)/.requirements
	$(BIN)/python manage.py check

## Benchmark small → land → germany on SQLite (and PostgreSQL when DATABASE_URL or
## BENCH_POSTGRES_URL names one); writes bench/results/latest.json and latest.md.
bench: $(VENV)/.requirements
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## The README's screenshots (docs/screenshots/), from the browser tests' set-up; needs chromium.
screenshots: $(VENV)/.requirements-dev
	$(BIN)/python scripts/screenshots.py

## Start the local PostgreSQL cluster and create the test database (needs root).
postgres:
	bash scripts/postgres-test-db.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
