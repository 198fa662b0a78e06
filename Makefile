# The two commands of the README's quick start, and a few more for contributors.
# Each target creates the virtual environment .venv on first use.

VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: example example-pdf test lint docs clean

# The package alone: what the example spec needs (its theme, alabaster, comes with Sphinx).
$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The package with the test and docs extras: tests, lint and the guide.
$(VENV)/.installed: $(VENV)/.base
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	touch $@

## Build the example spec (HTML) warning-free: example_project/_build/html/index.html
example: $(VENV)/.base
	$(BIN)/sphinx-build -W -n -b html example_project example_project/_build/html

## Build the example spec as a PDF warning-free and check that its diagrams are pictures
## (needs Chromium and TeX: see docs/diagrams.md): example_project/_build/latex/*.pdf
example-pdf: example
	LATEXMKOPTS=-silent $(BIN)/sphinx-build -M latexpdf example_project example_project/_build -W -n -q
	$(BIN)/python scripts/check_pdf_diagrams.py example_project/_build/latex --html example_project/_build/html

## Run the test suite, one worker per core (each test file stays on one worker; the slow
## files first, in the order tests/conftest.py gives, not xdist's order by test count);
## -rs lists every skipped test with its reason (browser tests without Chromium).
## Bytecode is written even where the shell says not to (PYTHONDONTWRITEBYTECODE): else every
## worker and every command a test starts compiles the package and the test modules again.
test: $(VENV)/.installed
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder -rs

lint: $(VENV)/.installed
	$(BIN)/ruff check sphinx_techspec sphinx_techspec_pytest tests bench scripts docs/_ext
	$(BIN)/ruff format --check sphinx_techspec sphinx_techspec_pytest tests bench scripts docs/_ext

docs: $(VENV)/.installed
	$(BIN)/sphinx-build -W -n -b html docs docs/_build/html

clean:
	rm -rf $(VENV) example_project/_build docs/_build bench/out
