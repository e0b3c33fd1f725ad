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

.PHONY: install run init demo serve test test-sqlite test-unit test-integration test-e2e test-national test-postgres \
  test-lane-browser test-lane-data lint postgres browser static bench clean

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

LINT = $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy shinchoku

# Most tests run on a small fictional sample (4 prefectures, tests/datasets.py); the few that need the whole
# country (marked `national`) run once, in a session of their own.
# Each pytest session runs on two workers (pytest-xdist; a test file stays on one worker, in its order). The files
# are handed out in the order tests/conftest.py gives them (the longest first): without --no-loadscope-reorder,
# xdist would sort them by their number of tests and hand a long file of few tests out last.
XDIST ?= -n 2 --dist loadfile --no-loadscope-reorder
PYTEST = $(BIN)/pytest $(PYTEST_ARGS)
# The unit tests get a session of their own, in small processes: the importer forks a child per workbook,
# and forking a worker that holds Django and a loaded sample cost the fuzz tests ten times their time.
TEST_UNIT = $(PYTEST) tests/unit $(XDIST)
TEST_INTEGRATION = $(PYTEST) -m "not national" tests/integration $(XDIST)
# The browser tests' CPU is mostly Chromium's (its renderers, uncounted by `time`) and the servers'. They get a
# session of their own: Playwright's event loop and Django's database access cannot share a process.
TEST_E2E = $(PYTEST) tests/e2e $(XDIST)
TEST_NATIONAL = $(PYTEST) -m national tests/integration
TEST_POSTGRES = DATABASE_URL=$(PG_URL) $(PYTEST) -m "not national" tests/integration $(XDIST)

lint: install
	$(LINT)

test-unit: install
	$(TEST_UNIT)

test-integration: install
	$(TEST_INTEGRATION)

test-e2e: install static browser
	$(TEST_E2E)

test-sqlite: install static browser
	$(TEST_UNIT)
	$(TEST_INTEGRATION)
	$(TEST_E2E)

test-national: install
	$(TEST_NATIONAL)

test-postgres: install postgres
	$(TEST_POSTGRES)

# Everything is installed and started first; then two lanes run at once on the 2 cores: the browser tests,
# the national session and the unit tests beside lint and the two integration sessions (SQLite, then
# PostgreSQL), which are the longer lane; both keep the cores busy, so the run's length is the suite's CPU.
# Each lane's output is printed whole when the lane ends; a failure in either fails `make test`.
test: install static browser postgres
	$(MAKE) --no-print-directory -j2 --output-sync=target test-lane-browser test-lane-data

test-lane-browser:
	$(TEST_E2E)
	$(TEST_NATIONAL)
	$(TEST_UNIT)

test-lane-data:
	$(LINT)
	$(TEST_INTEGRATION)
	$(TEST_POSTGRES)

bench: install static postgres
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var node_modules
