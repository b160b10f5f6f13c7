# The two set-up commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench profile template fixtures clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/edi-workbook demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy edi_workbook
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `make bench ARGS=--quick` for a smoke run, `ARGS=--national` to add the 7,000-plan memory figure.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(ARGS)

profile: $(STAMP)
	$(BIN)/python -m benchmarks.profile_batch $(ARGS)

template: $(STAMP)
	$(BIN)/python scripts/build_templates.py
	$(BIN)/python scripts/build_xlsm.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache demo-output
