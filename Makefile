# shinchoku — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql://shinchoku:shinchoku@127.0.0.1:5432/shinchoku
PYTEST_ARGS ?= --durations=25

# The fictional sample lives in its own folder and database: real and fictional data never share one.
DEMO_VAR ?= $(CURDIR)/var/demo

.PHONY: install run init demo serve test test-sqlite test-national test-postgres lint postgres browser static bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

# Front-end packages from the npm registry (ECharts, Swagger UI); copied into static files, never committed.
node_modules/.installed: package.json
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

static: node_modules/.installed
	mkdir -p shinchoku/web/static/vendor
	cp node_modules/echarts/dist/echarts.min.js shinchoku/web/static/vendor/echarts.min.js
	# A precompressed copy: whitenoise serves it to browsers that accept gzip (1 MB → about 340 KB).
	gzip -9 -k -f shinchoku/web/static/vendor/echarts.min.js
	# Swagger UI for /api/v1/docs, served from the site itself (the CSP allows no other host).
	mkdir -p shinchoku/web/static/vendor/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	  node_modules/swagger-ui-dist/LICENSE shinchoku/web/static/vendor/swagger-ui/
	gzip -9 -k -f shinchoku/web/static/vendor/swagger-ui/swagger-ui-bundle.js

# Debian's chromium for the Playwright + axe end-to-end tests (browsers cannot be downloaded here), and a
# Japanese font: without one Chromium draws empty boxes and the print (PDF) test cannot read the page's text.
browser:
	if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=ja 2>/dev/null | grep -q .; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-noto-cjk; \
	fi

init: install static
	$(BIN)/shinchoku init

# The government's published figures (総務省・デジタル庁), loaded once and checked on every start (seconds).
run: init
	$(BIN)/shinchoku load official
	$(BIN)/shinchoku serve --host $(HOST) --port $(PORT)

# Fictional sample data (架空のサンプルデータ) for trying every feature, in var/demo/ (its own database).
demo: install static
	SHINCHOKU_VAR=$(DEMO_VAR) $(BIN)/shinchoku init
	SHINCHOKU_VAR=$(DEMO_VAR) $(BIN)/shinchoku demo --if-empty
	SHINCHOKU_VAR=$(DEMO_VAR) $(BIN)/shinchoku serve --host $(HOST) --port $(PORT)

postgres:
	bash scripts/start-postgres.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy shinchoku

# Most tests run on a small fictional sample (4 prefectures, tests/datasets.py); the few that need the whole
# country (marked `national`) run once, in a session of their own.
test-sqlite: install static browser
	$(BIN)/pytest -m "not national" $(PYTEST_ARGS)

test-national: install
	$(BIN)/pytest -m national tests/integration $(PYTEST_ARGS)

test-postgres: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not national" tests/integration $(PYTEST_ARGS)

test: lint test-sqlite test-national test-postgres

bench: install static postgres
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules
