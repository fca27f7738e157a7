# Tillit. `make run` sets everything up and runs the demo; `make test` runs every test.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
TILLIT := $(VENV)/bin/tillit

.PHONY: run setup test test-fast lint format messages browser mailserver services clean

## setup: install uv if missing, the locked dependencies and the browser for tests (idempotent)
setup: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@bash scripts/bootstrap-uv.sh
	$(UV) sync --locked --quiet
	@touch $@

## run: migrate, load the demo municipality, serve on http://127.0.0.1:8000 with the task worker
run: setup
	DEBUG=true $(TILLIT) migrate --noinput
	DEBUG=true $(TILLIT) serve --demo

## test: every test, on the embedded default (SQLite); .ci/run repeats it on PostgreSQL + Redis
test: setup browser mailserver
	$(VENV)/bin/pytest -q -p no:cacheprovider

## mailserver: Debian's Dovecot, which the mailbox tests start on a free port (never a service)
mailserver:
	@bash scripts/ensure-mailserver.sh

## browser: Debian's Chromium for the browser tests (never a downloaded browser)
browser:
	@bash scripts/ensure-chromium.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy src

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## messages: extract and compile translations (needs GNU gettext)
messages: setup
	cd src && for app in tillit/*/; do \
	  if [ -d "$$app/locale" ]; then (cd $$app && DEBUG=true ../../../$(TILLIT) makemessages -l sv --no-obsolete >/dev/null); fi; \
	done
	$(PY) scripts/po.py compile

clean:
	rm -rf var $(VENV)
