# Rathaus: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERN_DIR := src/rathaus/core/static/vendor/kern
LEAFLET_DIR := src/rathaus/core/static/vendor/leaflet

.PHONY: run test test-fast lint format check-migrations openapi messages vendor-kern vendor-leaflet bench soak browser speech clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Serve the demo city on http://127.0.0.1:8000 (SQLite, no other server needed).
run: $(BIN)/.installed speech
	DEMO_MAILBOX=1 LOG_FORMAT=plain $(BIN)/rathaus demo

## Install what the tests need, then run every test (SQLite unless DATABASE_URL is set),
## one pytest worker per core (each with its own test database and demo city).
## Tests go to the workers one by one: the slow ones (browsers, races) come last, and in
## xdist's default chunks they all landed on one worker while the other sat idle.
## The thirty slowest tests are listed at the end, for whoever trims the run next.
TEST_WORKERS ?= auto
test: $(BIN)/.installed node_modules/.installed browser speech
	$(BIN)/pytest -n $(TEST_WORKERS) --maxschedchunk 1 --durations=30

## The browser tests drive Debian's Chromium; install it where we may (root with apt).
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests …"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

## Speech output ("Vorlesen") needs espeak-ng and lame from Debian; install them likewise.
speech:
	@if { ! command -v espeak-ng >/dev/null || ! command -v lame >/dev/null; } && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's espeak-ng and lame for speech output …"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng lame >/dev/null; \
	fi

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/rathaus makemigrations --check --dry-run
	$(BIN)/rathaus openapi --check

format: $(BIN)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Write docs/openapi.json from the code (CI checks that it is current).
openapi: $(BIN)/.installed
	$(BIN)/rathaus openapi --write

## Extract and compile the translations (needs GNU gettext).
messages: $(BIN)/.installed
	cd src/rathaus && ../../$(BIN)/django-admin makemessages --settings=rathaus.settings -l en -l tr -l uk -l ar -l pl -l ja --no-obsolete --ignore 'static/*'
	cd src/rathaus && ../../$(BIN)/django-admin compilemessages --settings=rathaus.settings

## Refresh the vendored KERN UX files from the npm package named in package.json.
vendor-kern: node_modules/.installed
	rm -rf $(KERN_DIR) && mkdir -p $(KERN_DIR)/fonts
	cp node_modules/@kern-ux/native/dist/kern.min.css node_modules/@kern-ux/native/LICENSE.md $(KERN_DIR)/
	cp -r node_modules/@kern-ux/native/dist/fonts/fira-sans node_modules/@kern-ux/native/dist/fonts/fira-sans.css $(KERN_DIR)/fonts/
	rm -f $(KERN_DIR)/fonts/fira-sans/*.scss
	node -p '"@kern-ux/native " + require("./node_modules/@kern-ux/native/package.json").version' > $(KERN_DIR)/VERSION

## Refresh the vendored Leaflet (the Wi-Fi map) from the npm package named in package.json.
vendor-leaflet: node_modules/.installed
	rm -rf $(LEAFLET_DIR) && mkdir -p $(LEAFLET_DIR)
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(LEAFLET_DIR)/
	node -p '"leaflet " + require("./node_modules/leaflet/package.json").version' > $(LEAFLET_DIR)/VERSION

## Benchmarks (not tests): each prints a table with ratios against a baseline.
## The benchmarks (PostgreSQL at DATABASE_URL, default rathaus_bench on localhost).
bench: $(BIN)/.installed
	$(BIN)/python bench/catalog_search.py
	$(BIN)/python bench/applications.py
	$(BIN)/python bench/appointments.py

## Sustained load for --minutes (default 10): errors, p95 drift, memory growth.
soak: $(BIN)/.installed
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .ruff_cache
