# The two set-up commands: `make demo` and `make test`. Each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-pandas2 lint format bench profile template fixtures clean

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

# The tests again with pandas 2, as xlwings Lite (Pyodide) has it: pandas 3 copies on write and builds
# the plan's frames from blocks; pandas 2 takes the other paths. CI runs this after `make test`.
VENV2 := .venv-pandas2
$(VENV2)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV2)
	$(VENV2)/bin/python -m pip install --quiet --upgrade pip
	$(VENV2)/bin/python -m pip install --quiet -e '.[test]' 'pandas==2.2.*'
	touch $@

test-pandas2: $(VENV2)/.installed
	$(VENV2)/bin/python -m pytest -p no:cacheprovider

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
	rm -rf $(VENV) $(VENV2) build *.egg-info .pytest_cache .ruff_cache demo-output
