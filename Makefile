# Meedoen — the README's two commands (`make demo`, `make test`) and the developer targets.
# Needs only Python >= 3.11 on the machine: everything else is installed into .venv from the lock files.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development mode: insecure fallback keys, no TLS redirect. Never set in production.
export MEEDOEN_DEBUG ?= 1
DEMO_CLIENTS ?= 2700
DEMO_SEED ?= 1
HOST ?= 127.0.0.1:8000

.PHONY: demo test check bench install install-dev run worker lint format messages vendor clean help

help:
	@echo "make demo   - install, migrate, load $(DEMO_CLIENTS) demo clients, start worker and web server"
	@echo "make test   - install test dependencies and run the whole suite (SQLite; DATABASE_URL for PostgreSQL)"
	@echo "make check  - ruff, mypy, migrations check, import layering, bandit"
	@echo "make bench  - run the benchmarks and print their figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when a lock file changes.
$(VENV)/.installed-base: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

demo: install
	@mkdir -p var
	$(BIN)/meedoen migrate --no-input -v 0
	$(BIN)/meedoen generate_demo --clients $(DEMO_CLIENTS) --seed $(DEMO_SEED) --skip-if-present
	$(BIN)/meedoen demo_accounts
	$(BIN)/meedoen portal_demo_account
	$(BIN)/meedoen retention_schedule
	@echo "Meedoen draait op http://$(HOST)/ (Ctrl+C stopt server en worker)"
	@# Ctrl+C reaches both; when the server stops for any reason, the worker is stopped too.
	@$(BIN)/meedoen db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/meedoen runserver $(HOST) --noreload

# The suite runs on every core (pytest-xdist; each worker gets its own test database).
# `make test PYTEST_WORKERS=0` runs it in one process, e.g. to debug with breakpoints.
PYTEST_WORKERS ?= auto
test: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

check: install-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/meedoen
	$(BIN)/meedoen makemigrations --check --dry-run
	$(BIN)/lint-imports
	@# bandit warns once per line of a multi-line statement that carries a justified nosec: keep
	@# its report, drop that noise.
	@mkdir -p var; $(BIN)/bandit -r src -c pyproject.toml -ll -q >var/bandit.log 2>&1 \
	  && echo "bandit: no medium or high findings" \
	  || { grep -v "nosec encountered" var/bandit.log; exit 1; }

format: install-dev
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

bench: install-dev
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# Maintenance: rebuild the vendored NL Design System CSS, htmx and axe-core from npm (needs Node).
# The results are committed; nothing from npm is needed to run or test Meedoen.
vendor:
	npm ci --no-audit --no-fund
	node scripts/vendor.mjs

# Maintenance: extract and compile translations (needs GNU gettext). The .mo files are committed.
messages: install-dev
	cd src/meedoen && ../../$(BIN)/meedoen makemessages -l en --no-obsolete -i "*/tests/*" && ../../$(BIN)/meedoen compilemessages

clean:
	rm -rf $(VENV) var/meedoen.sqlite3* var/static
