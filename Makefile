# Saima: two commands from a fresh clone — `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
LOCK := requirements/lock.txt
# The tools that install and lock, pinned so that every machine resolves alike.
PIP_VERSION := 26.3
PIP_TOOLS_VERSION := 7.6.2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv lock migrate demo static messages chromium run serve test bench lint check format clean loadtest faulttest

help:
	@echo "make run    - set up, migrate, load the illustrative demo and serve on http://$(HOST):$(PORT)/"
	@echo "make test   - run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL says so)"
	@echo "make serve  - production-like: DEBUG off, static manifest, migrate, gunicorn (needs SECRET_KEY)"
	@echo "make bench  - time the ranking engine and the main pages"
	@echo "make loadtest  - 32 signed-in users for 60 s (locust) on gunicorn and PostgreSQL"
	@echo "make faulttest - restart PostgreSQL under load (as root; cuts every session on it)"
	@echo "make lint   - ruff check"
	@echo "make check  - Django's system check, missing migrations and ruff"
	@echo "make lock   - re-resolve $(LOCK) from pyproject.toml (after changing a dependency)"

# Installs exactly the locked versions (hash-checked), then Saima itself without resolving again.
$(INSTALLED): $(LOCK) pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Saima needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==$(PIP_VERSION)
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

venv: $(INSTALLED)

# Runtime and dev dependencies, every one pinned with its hashes; commit the result.
# Index and find-links options are left out, so the file names no host and no local path.
lock:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Saima needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip==$(PIP_VERSION) pip-tools==$(PIP_TOOLS_VERSION)
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	  --allow-unsafe --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host --output-file $(LOCK) pyproject.toml

# The developer targets run with DEBUG on (it is off unless the environment turns it on).
DEV := DEBUG=1

messages: $(INSTALLED)
	$(DEV) $(PY) manage.py compile_catalogues

migrate: $(INSTALLED)
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo

static: $(INSTALLED)
	$(DEV) $(PY) manage.py collectstatic --noinput --verbosity 0

run: messages demo static
	@echo
	@echo "Saima is serving ILLUSTRATIVE demo data (not real statistics) at http://$(HOST):$(PORT)/"
	@echo "Sign in as admin, reviewer, clerk, official or viewer; the password is saima-demo."
	@echo
	$(DEV) $(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile -

# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "The browser tests need Chromium: sudo apt-get install chromium fonts-noto-cjk"; exit 1; \
	  fi; }

test: messages chromium
	$(PY) -m pytest $(PYTEST_ARGS)

# Production-like on this machine: DEBUG off, hashed static files, migrations, gunicorn.
# Needs SECRET_KEY (and ALLOWED_HOSTS beyond 127.0.0.1/localhost) in the environment.
# It redirects to HTTPS and sends secure cookies, as behind a TLS proxy; to browse it on
# plain http://127.0.0.1:8000/ add SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
# SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 (README, Deploying).
serve: messages
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY in the environment"; exit 1; }
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(VENV)/bin/gunicorn config.wsgi:application -c gunicorn.conf.py

# The engine and the demo's pages, then the national-scale figures beside their floors
# (bench/run.py, issue 10: PostgreSQL; its last line is one JSON object).
# BENCH_QUICK=1 imports 100,000 rows instead of 1,000,000 and repeats less.
bench: messages
	$(PY) -m rankings.engine.bench
	$(PY) bench/pages.py
	$(PY) bench/run.py

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

# Django's system check, no model change without its migration, and the linter.
check: $(INSTALLED)
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Load test: its own PostgreSQL database (saima_load on 127.0.0.1:5432, dropped at the end),
# the demo, gunicorn with gunicorn.conf.py and DEBUG off, locust headless and bounded. Prints
# requests/s, p50, p99 and errors per endpoint; fails on any error. LOADTEST_ARGS=--help.
loadtest: messages
	$(PY) bench/loadtest.py $(LOADTEST_ARGS)

# Fault test: restarts the shared PostgreSQL server (pg_ctlcluster, as root) under load and
# while an import runs: every session on the server is cut, other people's included. Use
# FAULTTEST_ARGS="--fault own-database" to cut only its own database. docs/performance.md.
faulttest: messages
	$(PY) bench/faulttest.py $(FAULTTEST_ARGS)
