# One place for every routine task. `make run` and `make test` work on a fresh machine:
# each creates the virtual environment and installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HAICAP := $(BIN)/haicap
HOST ?= 127.0.0.1
PORT ?= 8000
# The address printed in notifications, PDFs and QR codes follows the port `make run` serves.
HAICAP_SITE_URL ?= http://$(HOST):$(PORT)
export HAICAP_SITE_URL
# `make run` serves several worker processes: with a Redis answering on this machine they share
# one count of every rate limit (sign-in, lookups, filings); without one each counts alone.
RUN_REDIS_URL := $(shell $(PYTHON) -c 'import socket; socket.create_connection(("127.0.0.1", 6379), 1).close(); print("redis://127.0.0.1:6379/0")' 2>/dev/null)

.PHONY: run setup test check fmt fmt-check lint imports types messages browser janus bench clean-db lock security


# Runtime packages only (what a province's server needs).
$(VENV)/.run-installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "haicap needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock --editable .
	touch $@

# Runtime plus the test, lint and type tools.
$(VENV)/.dev-installed: $(VENV)/.run-installed
	$(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev]'
	touch $@

# Translations are compiled from the .po files kept in git.
messages: $(VENV)/.run-installed
	@$(BIN)/python -m haicap.i18n

run: $(VENV)/.run-installed messages
	$(HAICAP) setup
	$(HAICAP) demo
	$(HAICAP) createadmin
	REDIS_URL=$${REDIS_URL:-$(RUN_REDIS_URL)} $(HAICAP) serve --host $(HOST) --port $(PORT)

setup: $(VENV)/.run-installed messages
	$(HAICAP) setup

test: $(VENV)/.dev-installed messages browser janus
	$(BIN)/pytest

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's Janus WebRTC server for the online conferences, with its browser library janus.js
# and the adapter.js it needs; the tests start their own Janus (src/haicap/testing/janus.py).
JANUS_JS := /usr/share/javascript/janus-gateway/janus.js
ADAPTER_JS := /usr/share/javascript/webrtc-adapter/adapter.js
janus:
	@{ command -v janus >/dev/null 2>&1 && [ -f $(JANUS_JS) ] && [ -f $(ADAPTER_JS) ]; } || { \
		echo "Installing Debian's janus, libjs-janus-gateway and libjs-webrtc-adapter"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			janus libjs-janus-gateway libjs-webrtc-adapter >/dev/null; }

fmt: $(VENV)/.dev-installed
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

fmt-check: $(VENV)/.dev-installed
	$(BIN)/ruff format --check src bench

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src bench

# The layers point one way (pyproject's [tool.importlinter]): core < units < staff < … < demo.
imports: $(VENV)/.dev-installed
	$(BIN)/lint-imports

# mypy's Django plugin loads the settings, which need a URL; it never connects.
types: $(VENV)/.dev-installed messages
	DATABASE_URL=$${DATABASE_URL:-postgresql://typecheck@localhost/typecheck} $(BIN)/mypy

# Schemathesis against the served OpenAPI, anonymous and with an officer's token: fails on any
# 5xx or schema violation. Kept short for `make check`; by hand: make security SECURITY_EXAMPLES=50
SECURITY_EXAMPLES ?= 5
SECURITY_SECONDS ?= 60
SECURITY_PORT ?= 8199
security: $(VENV)/.dev-installed messages
	$(BIN)/python -m haicap.testing.security --port $(SECURITY_PORT) \
		--examples $(SECURITY_EXAMPLES) --seconds $(SECURITY_SECONDS)

check: fmt-check lint imports types test security

# Pin every package version after a deliberate upgrade: make lock, then commit requirements.lock.
lock:
	rm -rf /tmp/haicap-lock && $(PYTHON) -m venv /tmp/haicap-lock
	/tmp/haicap-lock/bin/pip install --quiet --upgrade pip
	/tmp/haicap-lock/bin/pip install --quiet '.[dev]'
	/tmp/haicap-lock/bin/pip freeze --exclude-editable | grep -v '^haicap' > requirements.lock

clean-db:
	rm -rf var/pgdata
