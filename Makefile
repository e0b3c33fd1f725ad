# shinchoku — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql://shinchoku:shinchoku@127.0.0.1:5432/shinchoku
PYTEST_ARGS ?=

.PHONY: install run init demo serve test test-sqlite test-postgres lint postgres browser bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

init: install
	$(BIN)/shinchoku init

run: init
	$(BIN)/shinchoku demo --if-empty
	$(BIN)/shinchoku serve --host $(HOST) --port $(PORT)

postgres:
	bash scripts/start-postgres.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy shinchoku

test-sqlite: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/integration $(PYTEST_ARGS)

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules
