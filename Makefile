# Årshjul planner. `make run` serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app planner
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-suite lint install install-test vendor bench clean

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(PY) -m pip install -q -e '.[test,bench]'
	touch $@

# Front-end libraries come from the npm registry, pinned in package-lock.json.
static/vendor/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed to install htmx: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
vendor: static/vendor/.installed

run: install vendor
	$(FLASK) db upgrade
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-test
	$(VENV)/bin/ruff check planner tests bench
	$(VENV)/bin/ruff format --check planner tests bench
	$(VENV)/bin/mypy planner
	$(VENV)/bin/lint-imports --no-cache

# The suite alone (used by .ci/run for the PostgreSQL pass).
test-suite: install-test vendor
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: using /usr/bin/chromium"; \
	 else echo "NOTE: /usr/bin/chromium is not installed, so the browser and accessibility tests are SKIPPED (apt-get install chromium to run them)."; fi
	$(VENV)/bin/pytest -q -p no:cacheprovider

test: lint test-suite

bench: $(VENV)/.installed-bench vendor
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache
