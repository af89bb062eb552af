# The two entry points the README leads with: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint unit bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

## make run: create .venv, install the package, create or migrate the case store, serve the web app and API
## on http://127.0.0.1:8000
run: $(STAMP_RUN)
	$(BIN)/metastasis db upgrade
	$(BIN)/metastasis serve

## make test: create/update .venv with the dev extras, lint with ruff, run the whole test suite
test: $(STAMP_DEV) lint unit

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

unit: $(STAMP_DEV)
	$(BIN)/python -m pytest

## make bench: performance figures (not part of make test)
bench: $(STAMP_DEV)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

## make screenshots: every page at 1366x900 and 390x844 into docs/screenshots/ (needs Debian's chromium)
screenshots: $(STAMP_DEV)
	$(BIN)/python tools/screenshots.py --out docs/screenshots

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
