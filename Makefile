# Two entry points for a fresh machine: `make demo` and `make test`.
# Both create .venv (Python 3.11) and install the pinned dependencies when pyproject.toml or
# requirements.lock changed since the last install.
PYTHON ?= python3.11
VENV := .venv
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml requirements.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

.PHONY: setup demo test
setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kumkm demo

test: $(STAMP)
	$(VENV)/bin/pytest -q
