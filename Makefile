# Cortile: `make run` serves the app with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test setup assets chromium bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

.stamp-deps: $(BIN)/activate requirements.txt requirements-dev.txt
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

assets:
	$(BIN)/python static/vendor/fetch.py

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

test: .stamp-deps assets chromium
	$(FLASK) translations compile >/dev/null
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/photos.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/map.py
	$(BIN)/python bench/sync.py

clean:
	rm -rf $(VENV) .stamp-deps .pytest_cache
