# Cortile: `make run` serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test lint setup assets chromium bench clean lock screens

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# Every package, transitive ones included, comes from requirements-lock.txt with its hashes.
.stamp-deps: $(BIN)/activate requirements-lock.txt requirements.txt requirements-dev.txt
	@$(PYTHON) tools/check_lock.py || { echo "requirements-lock.txt is out of date: run 'make lock'" >&2; exit 1; }
	$(BIN)/pip install --disable-pip-version-check -q --require-hashes --no-deps -r requirements-lock.txt
	touch $@

# Re-resolve requirements-lock.txt after changing requirements.txt or requirements-dev.txt (needs the registry).
lock:
	$(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install -q uv==0.13.8
	.venv-lock/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --no-header --custom-compile-command "make lock" \
	  -o requirements-lock.txt requirements-dev.txt
	rm -rf .venv-lock

# Vendor files (pinned), then build/static/: the CSS bundle with Bootstrap Italia reduced (PurgeCSS),
# hashed copies, brotli and gzip, build/manifest.json. The app refuses (gunicorn) or warns without it.
assets: .stamp-deps node_modules/.stamp
	$(BIN)/python static/vendor/fetch.py
	$(BIN)/python tools/build_assets.py

setup: .stamp-deps assets
	$(FLASK) translations compile >/dev/null
	$(FLASK) db upgrade

run: setup
	$(FLASK) demo load
	@echo "Cortile on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests; installed when missing and running as root.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi; }

# The house first (seconds): imports follow the layers (pyproject.toml), the code passes ruff; then the tests.
lint: .stamp-deps
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check --no-cache .

test: lint assets chromium node_modules/.stamp
	$(FLASK) translations compile >/dev/null
	node --test tests/js/
	$(BIN)/python -m pytest -n 2

# Every page of every role, on a 360 px phone and a 1366 px desktop, as PNGs: the page gate
# (tests/test_page_gate.py) run with screenshots. Open build/screens/index.html to browse them.
screens: .stamp-deps assets chromium
	rm -rf build/screens
	$(FLASK) translations compile >/dev/null
	CORTILE_SCREENS=build/screens $(BIN)/python -m pytest tests/test_page_gate.py -q
	@echo "Screens: build/screens/index.html"

# The JavaScript packages (fake-indexeddb for the unit tests, purgecss for assets), as package-lock.json pins them.
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: setup
	$(BIN)/python bench/photos.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/map.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/storage.py
	$(BIN)/python bench/arrears.py
	$(BIN)/python bench/governance.py
	$(BIN)/python bench/governance_report.py
	$(BIN)/python bench/heating.py
	$(BIN)/python bench/lighthouse.py

clean:
	rm -rf $(VENV) .stamp-deps .pytest_cache
