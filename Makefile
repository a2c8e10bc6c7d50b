# The two commands of the README: `make report MODEL=...` and `make test`.
# Both create .venv with the project installed if it is missing or older than pyproject.toml.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL ?= gemma-4-31b
DATA ?= data/sample

.PHONY: setup report report-all test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "make: Python 3.11+ is needed (python3.11 or python3 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/sabkit report $(MODEL) --data $(DATA)

report-all: $(STAMP)
	$(BIN)/sabkit report --all --data $(DATA)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) outputs/*.html outputs/*.ipynb .pytest_cache
