# jose_ref: every target sets itself up from a fresh machine with only Python 3 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# One stamp per install: each target installs only what it needs (the package alone for
# the demo, the test extra for the suite, the dev extra for lint, the bench extra for bench).
STAMP  := $(VENV)/.installed
FLOOR  ?= .venv-floor
CRYPTOGRAPHY_FLOOR := $(shell sed -n 's/.*"cryptography>=\([0-9.]*\)".*/\1/p' pyproject.toml)

.PHONY: test lint demo vectors bench test-floor clean docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP)-package: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The benchmarks compare against the peers of the test extra (jwcrypto, joserfc).
$(STAMP)-bench: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

$(STAMP)-%: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[$*]'
	touch $@

test: $(STAMP)-test
	$(BIN)/python -m pytest

lint: $(STAMP)-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

demo: $(STAMP)-package
	$(BIN)/python -m jose_ref.demo

vectors: $(STAMP)-test
	$(BIN)/python vectors/tools/check.py --write-readme

bench: $(STAMP)-bench
	$(BIN)/python -m benchmarks.compare

# The whole suite once more against the lowest cryptography that pyproject.toml declares.
test-floor:
	test -x $(FLOOR)/bin/python || $(PYTHON) -m venv $(FLOOR)
	$(FLOOR)/bin/python -m pip install --quiet --upgrade pip
	$(FLOOR)/bin/python -m pip install --quiet -e '.[test]' 'cryptography==$(CRYPTOGRAPHY_FLOOR)'
	$(FLOOR)/bin/python -c 'import cryptography; assert cryptography.__version__ == "$(CRYPTOGRAPHY_FLOOR)", cryptography.__version__'
	$(FLOOR)/bin/python -m pytest

clean:
	rm -rf $(VENV) $(FLOOR) build dist *.egg-info

docs: $(STAMP)-package
	$(BIN)/python docs/tools/rfc_map.py
	$(BIN)/python docs/tools/build_docs.py
	$(BIN)/python docs/tools/explain_doc.py
