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

.PHONY: setup demo test ui browser
setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kumkm demo

test: $(STAMP) browser
	$(VENV)/bin/pytest -q

# Debian's Chromium for the browser tests (the Dagster UI, the HTML report; they skip without it); needs root and apt.
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium not installed: the browser tests will skip"

# Dagster's UI on http://127.0.0.1:3000 over $KUMKM_HOME (default .kumkm), its instance in
# $KUMKM_HOME/dagster; a home without an event store gets the sample data first (`kumkm demo`).
ui: $(STAMP)
	set -e; export KUMKM_HOME="$${KUMKM_HOME:-$(CURDIR)/.kumkm}"; \
	test -f "$$KUMKM_HOME/events.duckdb" || $(VENV)/bin/kumkm demo; \
	export DAGSTER_HOME="$$($(VENV)/bin/python -m orchestration.instance)"; \
	exec $(VENV)/bin/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000
