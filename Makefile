# equiserve: `make run` serves the demo city, `make test` checks everything.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-suite test-database lint bench fuzz lock messages system-deps clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install, redone when the lock or the project metadata changes.
$(VENV)/.runtime: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@

run: $(VENV)/.runtime
	EQUISERVE_DEMO=1 $(BIN)/equiserve migrate
	EQUISERVE_DEMO=1 $(BIN)/equiserve demo load --if-empty
	EQUISERVE_DEMO=1 $(BIN)/equiserve demo accounts
# The monitoring worker recomputes stale indicator values beside the server
# (issue 13); it stops with the server.
	EQUISERVE_DEMO=1 $(BIN)/equiserve monitoring worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	EQUISERVE_DEMO=1 $(BIN)/equiserve serve

system-deps:
	bash scripts/install-system-deps.sh

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests plans bench
	$(BIN)/ruff format --check src tests plans bench
	$(BIN)/lint-imports --no-logo

# Both cores for the suite (CI must finish within 30 minutes); the browser tests
# after it, one at a time: their live servers and Chromium time out when they
# share two cores with a second worker.
# Work stealing: a worker that runs dry takes tests queued for the other, so a
# few long tests at the end do not leave one core idle for minutes.
PYTEST_WORKERS ?= 2
test-suite: $(VENV)/.dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -p no:xdist -m browser $(PYTEST_ARGS)

# CI's PostgreSQL pass (.ci/run): the tests whose outcome can depend on the
# database (conftest.py), three workers as each waits on the server half the
# time. The browser tests, which check what Chromium shows, run on SQLite only,
# so that CI stays within its 30 minutes.
test-database: $(VENV)/.dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" --database-dependent-only $(PYTEST_ARGS)

test: system-deps lint test-suite

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# Schemathesis over the whole API as the office and a town officer (docs/SECURITY.md).
fuzz: $(VENV)/.dev
	bash scripts/fuzz.sh

# Re-pin after editing pyproject.toml (needs uv: `pip install uv`).
lock:
	uv pip compile pyproject.toml --python-version 3.11 -q -o requirements.lock
	uv pip compile pyproject.toml --extra dev --python-version 3.11 -q -o requirements-dev.lock

# Rebuild the zh-Hans and en message catalogues after changing user-facing text.
messages: $(VENV)/.dev
	cd src/equiserve && ../../$(BIN)/django-admin makemessages -l zh_Hans -l en --settings=equiserve.settings --ignore=static/vendor
	$(BIN)/python scripts/compile_messages.py

clean-db:
	rm -f var/equiserve.sqlite3 var/equiserve.sqlite3-wal var/equiserve.sqlite3-shm
	rm -rf var/audit-checkpoints
