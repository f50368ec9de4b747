# relations-briefing: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := relations-briefing

# Extra arguments for the CLI, e.g. `make briefing ARGS="--start 2012-01-01 --end 2023-02-28"`
ARGS ?=
# Examples of `make ranges`
RANGES ?= 100

.PHONY: help setup system briefing test lab bench ranges validate data events derived update lint format strip clean

help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

system: ## Install Chromium, CJK/Cyrillic fonts and poppler from Debian packages (idempotent)
	@bash scripts/setup-system.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (relations-briefing)" >/dev/null
	@touch $(STAMP)

setup: system $(STAMP) ## Everything: system packages, .venv, editable install, Jupyter kernel
	@# bytecode of the editable package, as pip writes it for installed ones: with
	@# PYTHONDONTWRITEBYTECODE set, every process (the kernel too) would compile analysis/ again
	@$(BIN)/python -m compileall -q analysis >/dev/null

briefing: setup ## Write the default briefing (1989-05-15 to the end of the data) to reports/<start>_<end>/
	$(BIN)/briefing $(ARGS)

test: setup ## Run the whole test suite (unit, data cross-checks, end-to-end PDF)
	$(BIN)/python -m pytest -n auto $(ARGS)

lab: setup ## Start JupyterLab on notebooks/ with the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=127.0.0.1 $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: setup ## Run the benchmarks (indicators, GDELT filter, briefing timings); not part of `make test`
	$(BIN)/python -m bench

ranges: setup ## The property test over random ranges and as-of dates with a large budget (RANGES=100; the suite runs 6)
	BRIEFING_RANGE_EXAMPLES=$(RANGES) $(BIN)/python -m pytest -p no:cacheprovider -q \
		tests/render/test_every_range_builds.py -k any_range --hypothesis-show-statistics $(ARGS)

validate: setup ## Rank correlations of the composite with ICEWS and GDELT series in ../shared/reference-data (validation only)
	$(BIN)/python -m analysis.model.validation

data: setup ## Download the full public datasets into data/external/ (optional; needs internet)
	$(BIN)/python -m analysis.data.external.download $(ARGS)

events: setup ## GDELT exports in data/external/gdelt/ -> data/external/gdelt_events_daily.csv (DuckDB; ARGS for more options)
	$(BIN)/briefing events data/external/gdelt --out data/external/gdelt_events_daily.csv $(ARGS)

derived: setup ## Rebuild data/unga_record_*.csv and data/unga_session_scores.csv from ../shared/reference-data (ARGS="--source-dir DIR")
	$(BIN)/python -m analysis.data.builders.unga_record $(ARGS)

update: setup ## Fetch the public sources (pooch), rebuild the derived datasets, write data/ only if all validate, list what is stale (exit 3: no network)
	$(BIN)/briefing update $(ARGS)

lint: setup ## ruff lint and format check
	$(BIN)/ruff check analysis tests bench
	$(BIN)/ruff format --check analysis tests bench

format: setup ## Apply ruff's formatter and safe fixes
	$(BIN)/ruff check --fix analysis tests bench
	$(BIN)/ruff format analysis tests bench

strip: setup ## Strip outputs and execution counts from notebooks/*.ipynb
	$(BIN)/python -m analysis.pipeline.notebooks strip notebooks/*.ipynb

clean: ## Remove .venv and generated reports
	rm -rf $(VENV) reports/*/ .pytest_cache .ruff_cache
