# One-stop desk: `make run` opens the program, `make test` checks everything.
# Both do all the set-up first (system libraries, virtual environment, pinned dependencies).
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?=
TEST_WORKERS ?= auto

.PHONY: setup run test lint typecheck unit bench probe clean translations dist screenshots

setup:
	@./scripts/setup.sh

run: setup translations
	$(PY) main.py $(if $(DB),--db $(DB),)

lint: setup
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy --strict desk_app

# The suite on every core (pytest-xdist), then the tests that hold a time bound, alone: those of
# tests/timed.txt, whose modules alone are collected the second time.
TIMED_MODULES = $(sort $(foreach t,$(shell grep -v '^\#' tests/timed.txt),$(firstword $(subst ::, ,$(t)))))
unit: setup translations
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not bench and not timed"
	$(PY) -m pytest -m "timed and not bench" $(TIMED_MODULES)

test: lint typecheck unit

# Compiled Qt Linguist catalogues (.qm) from resources/translations/*.ts; `scripts/translations.sh
# update` refreshes desk_vi.ts from the code.
translations: setup
	@./scripts/translations.sh build

# A one-folder PyInstaller bundle in dist/one-stop-desk, checked by running its own self-test.
dist: setup translations
	$(VENV)/bin/pyinstaller --noconfirm --clean build.spec
	./dist/one-stop-desk/one-stop-desk --self-test

# Speed figures on a 1,000,000-file register (BENCH_FILES to change), then the centre figures on
# a PostgreSQL server (a throwaway one, or DESK_TEST_PG_URL's): CENTRE_FILES files of
# CENTRE_AGENCIES agencies built on the server, 20 counters for CENTRE_SECONDS. Never part of
# `make test`.
BENCH_FILES ?= 1000000
CENTRE_FILES ?= 5000000
CENTRE_AGENCIES ?= 12
CENTRE_SECONDS ?= 120
bench: setup
	$(PY) -m tests.benchmarks.run --files $(BENCH_FILES) \
		--centre-files $(CENTRE_FILES) --centre-agencies $(CENTRE_AGENCIES) \
		--centre-seconds $(CENTRE_SECONDS)

# Crash and concurrency figures: kill -9 during saves PROBE_KILLS times, PROBE_WRITERS processes
# saving at the same moment. The same probes run small in `make test`; this one never does.
PROBE_KILLS ?= 100
PROBE_WRITERS ?= 5
probe: setup
	$(PY) -m tests.probes --kills $(PROBE_KILLS) --writers $(PROBE_WRITERS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist

# The README's pictures of the window (docs/screenshots/), taken on a demo desk under Xvfb.
screenshots: setup translations
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) scripts/screenshots.py
