# One-stop desk: `make run` opens the program, `make test` checks everything.
# Both do all the set-up first (system libraries, virtual environment, pinned dependencies).
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?=

.PHONY: setup run test lint typecheck unit bench clean

setup:
	@./scripts/setup.sh

run: setup
	$(PY) main.py $(if $(DB),--db $(DB),)

lint: setup
	$(VENV)/bin/ruff check --no-cache .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy --strict desk_app

unit: setup
	$(PY) -m pytest

test: lint typecheck unit

# Speed figures on a 1,000,000-file register (BENCH_FILES to change). Never part of `make test`.
BENCH_FILES ?= 1000000
bench: setup
	$(PY) -m tests.benchmarks.run --files $(BENCH_FILES)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist
