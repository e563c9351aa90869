# Community Insights: two commands do everything on a fresh machine.
#   make run   - set up, then serve the portal with demo data (SQLite, in-process defaults)
#   make test  - set up, then run the whole suite
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
STAMP_PY := $(VENV)/.installed
STAMP_NPM := node_modules/.installed
CSS := src/community_insights/portal/core/static/core/insights.css
PYTEST_ARGS ?=

.PHONY: run test setup lint typecheck format browser java clean docs test-portal

setup: $(STAMP_PY) $(CSS)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_PY): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

$(STAMP_NPM): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed to install GOV.UK Frontend."; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): $(STAMP_NPM) src/community_insights/portal/core/assets/insights.scss
	npm run --silent build

run: setup
	$(BIN)/insights demo
	$(BIN)/insights serve --host $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
browser:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped."; \
	  else echo "chromium is missing: browser tests will be skipped."; fi; \
	fi

# The engine's Spark backend runs on Debian's Java runtime (never a downloaded JDK); install it when missing.
java:
	@if ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) \
	      || echo "Java could not be installed: the Spark tests will fail."; \
	  else echo "Java is missing: the Spark tests will fail (install a Java 17 runtime)."; fi; \
	fi

test: setup browser java
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The database-backed part of the suite alone (CI runs it again on PostgreSQL).
test-portal: setup browser
	$(BIN)/python -m pytest tests/portal tests/browser $(PYTEST_ARGS)

# The import contracts (pyproject.toml, [tool.importlinter]) read this checkout's src/.
lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/cog --check docs/cli-reference.md
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/mypy

typecheck: setup
	$(BIN)/mypy

docs: setup
	$(BIN)/cog -r docs/cli-reference.md

format: setup
	$(BIN)/ruff format src tests benchmarks tools
	$(BIN)/ruff check --fix src tests benchmarks tools

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache $(CSS)
