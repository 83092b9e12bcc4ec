# The two commands: `make run` (everything, embedded database) and `make test`.
# Each creates .venv and installs the pinned dependencies when missing or stale.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SERVER_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install run test test-server lint format bench clean browser

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

## run: embedded PostgreSQL, migrations, demo data, scheduler and API (Ctrl-C stops all)
run: install
	$(BIN)/mdr up

## test: the whole suite on real PostgreSQL (embedded unless MDR_TEST_DATABASE_URL is set)
test: install browser
	$(BIN)/pytest -n auto

# The console's browser tests use Debian's chromium (Playwright's own browser download is
# not reachable here). Installed when missing and allowed (root); otherwise they skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-noto-cjk >/dev/null) \
	  || echo "chromium not installed: the console's browser tests will skip"; }

## test-server: migrations, an API smoke run and the database tests on a server given by URL
test-server: install
	SERVER_URL='$(SERVER_URL)' $(BIN)/python -m tests.server_smoke
	MDR_TEST_DATABASE_URL='$(SERVER_URL)' $(BIN)/pytest -n auto -m "db or smoke" -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: the benchmarks (each writes bench/results/<name>.json); slow, not part of the tests
bench: install
	$(BIN)/python -m bench.generate --scale 1000000
	$(BIN)/python -m bench.sync --scale 1000000
	$(BIN)/python -m bench.api --scale 1000000
	$(BIN)/python -m bench.checks --scale 1000000
	$(BIN)/python -m bench.reconcile --scale 1000000
	$(BIN)/python -m bench.reconcile_febrl

clean:
	rm -rf $(VENV) .mdr .pytest_cache .mypy_cache .ruff_cache
