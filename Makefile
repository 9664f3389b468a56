# Footing: two commands take a fresh clone to a running app (`make run`) and to a
# green test suite (`make test`). Every step is safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
PORT ?= 8000
HOST ?= 127.0.0.1
# Local runs: a generated secret key kept in the checkout, plain HTTP on 127.0.0.1.
LOCAL_ENV := FOOTING_LOCAL=1 FOOTING_HTTPS=0

.PHONY: run test test-js test-postgres lint bench profile loadtest install install-dev chromium node assets clean

run: install assets
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	$(LOCAL_ENV) $(PY) manage.py load_content
	$(LOCAL_ENV) exec $(PY) scripts/run.py --host $(HOST) --port $(PORT)

# The suite runs in three lanes side by side (scripts/stages.py), so the two cores stay busy:
# the browser journeys (e2e/) spend most of their time waiting on the browser and the live
# server (about half a core each), so the journeys on SQLite and on Debian's PostgreSQL each
# get a lane of their own, one browser each, while the third lane lints, type-checks, runs
# the JavaScript's unit tests and then tests/ on SQLite and on PostgreSQL. Each stage's
# output goes to build/test-logs/; a failed stage's whole output is printed when it fails,
# the other stages still run, and `make test` fails if any stage failed.
# tests/ is spread over TEST_WORKERS processes (pytest-xdist; a file's tests stay on one
# worker, so what a module builds once is built once); a journeys run stays in one process.
# The PostgreSQL runs take the tests that can reach a database (--database-tests-only,
# conftest.py): the others cannot tell one database from the other and have run on SQLite.
# Python keeps the test modules' bytecode (and pytest its rewritten asserts) between the
# runs' processes even where the shell sets PYTHONDONTWRITEBYTECODE: each process
# otherwise compiles them again (a third of collecting the suite).
TEST_WORKERS ?= 2
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(LOCAL_ENV) $(PY) -m pytest
TESTS = $(PYTEST) -n $(TEST_WORKERS) --dist loadfile tests
JOURNEYS = $(PYTEST) e2e
SUITE = $(TESTS) && $(JOURNEYS)
# A run on PostgreSQL: the database tests only, in the cluster scripts/postgres.sh starts.
ON_POSTGRES = url=$$(scripts/postgres.sh start) && DATABASE_URL=$$url \
	PYTEST_ADDOPTS=--database-tests-only

test: install-dev chromium node assets
	$(PY) scripts/stages.py \
		--lane 'journeys on SQLite: $(JOURNEYS)' \
		--lane 'PostgreSQL: scripts/postgres.sh start' \
			'journeys on PostgreSQL (after PostgreSQL): $(ON_POSTGRES) $(JOURNEYS)' \
		--lane 'lint: $(MAKE) --no-print-directory lint' \
			'JavaScript: $(MAKE) --no-print-directory test-js' \
			'tests on SQLite: $(TESTS)' \
			'tests on PostgreSQL (after PostgreSQL): $(ON_POSTGRES) $(TESTS)'

# The layers and the apps' boundaries (pyproject.toml [tool.importlinter]) come with lint.
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LOCAL_ENV) $(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports --no-logo

# The PostgreSQL half of `make test` alone, one run after the other.
test-postgres: install-dev chromium assets
	$(ON_POSTGRES) && export DATABASE_URL PYTEST_ADDOPTS && $(SUITE)

# The JavaScript's own unit tests (tests/js/), with Node's built-in runner: no npm packages.
test-js: node
	node --test tests/js/

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Footing needs Python >= 3.12 (found " + sys.version.split()[0] + ")"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml scripts/requirements.py | $(VENV)/bin/python
	$(PY) scripts/requirements.py > $(VENV)/requirements.txt
	$(PIP) install -r $(VENV)/requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) scripts/requirements.py dev > $(VENV)/requirements-dev.txt
	$(PIP) install -r $(VENV)/requirements-dev.txt
	touch $@

# Playwright drives Debian's Chromium: its own browser download does not work here. The
# journeys run in its headless shell (e2e/conftest.py); Lighthouse (make bench) in chromium.
chromium:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromium-headless-shell || \
		(apt-get update -qq && apt-get install -y -qq chromium chromium-headless-shell)

# Node runs the JavaScript unit tests and the self-check parity test (Debian's Node 20).
node:
	@command -v node >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs)

# Build-time assets: static files hashed and compressed for whitenoise.
assets: install
	$(LOCAL_ENV) $(PY) manage.py build_icons
	$(LOCAL_ENV) $(PY) manage.py build_illustrations
	$(LOCAL_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0

# The clinic's review sheet: every exercise's still image with its name, in one PNG.
illustrations: install
	$(LOCAL_ENV) $(PY) manage.py build_illustrations --contact-sheet build/contact-sheet.png

# Speed and weight figures (see bench/run.py): writes bench/results.json and results.md.
bench: install-dev chromium assets
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.run

# Where a request's time goes, in-process through the real WSGI handler: CPU µs per
# middleware, view and query for the content reads and the check-in POST (bench/profile.py).
profile: install-dev assets
	$(PY) -m bench.profile

# Concurrent writers for 30 s, the server killed mid-run and restarted, then every
# acknowledged write checked in the database (see bench/loadtest.py).
loadtest: install-dev
	$(PY) -m bench.loadtest

clean:
	rm -rf $(VENV) staticfiles build
