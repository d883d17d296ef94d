# `make run` and `make test` are all the set-up a fresh machine needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCRIPTS := binary_crossentropy.py categorical_crossentropy.py losses_explained.py

.PHONY: run test bench clean

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Headless: figures are saved to figures/, no window opens.
run: $(VENV)/.installed
	for script in $(SCRIPTS); do MPLBACKEND=agg $(BIN)/python $$script --no-show || exit 1; done

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Several minutes: writes bench/results.md (see the README's Performance section).
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache
