# hadir: `make run` starts everything on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install when the dependency list changes.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/hadir
# Browser tests drive Debian's chromium through Playwright (no browser download at run time).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-sqlite test-postgres lint bench install browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium

browser: $(CHROMIUM)

run: $(STAMP)
	$(BIN)/hadir run

lint: $(STAMP)
	$(BIN)/ruff check conftest.py hadir tests benchmarks tools
	$(BIN)/ruff format --check conftest.py hadir tests benchmarks tools
	DATABASE_URL=sqlite://:memory: $(BIN)/python -m django check --settings=hadir.settings --fail-level WARNING
	DATABASE_URL=sqlite://:memory: $(BIN)/python -m django makemigrations --check --dry-run --settings=hadir.settings

test-sqlite: $(STAMP) $(CHROMIUM)
	DATABASE_URL= $(BIN)/python -m pytest -n 2 --dist loadfile

test-postgres: $(STAMP) $(CHROMIUM)
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/python -m pytest -n 2 --dist loadfile

test: lint test-sqlite test-postgres

bench: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} $(BIN)/python -m pytest -m benchmark -s -p no:xdist benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
