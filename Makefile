# The few entry points a newcomer needs. Each builds the environment from uv.lock first.
#   make run    run the whole flagship review into output/
#   make test   lint with ruff, then run every test (unit, notebooks, end-to-end, browser)
#   make lab    open JupyterLab on the notebooks, to screen and to look
#   make bench  print the speed and accuracy benchmarks

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .cache/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STAMP := $(VENV)/.synced
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lab bench env browser clean

run: env
	$(VENV)/bin/review run

test: env browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest --nbval-lax tests notebooks

lab: env
	$(VENV)/bin/jupyter lab notebooks/

bench: env
	$(VENV)/bin/review bench import
	$(VENV)/bin/review bench dedup --vs bib-dedupe

env: $(STAMP)

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): uv.lock pyproject.toml | $(UV)
	$(UV) sync --locked
	touch $@

# The browser test drives JupyterLab in Debian's Chromium; Playwright must not download one.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "make: Chromium is missing; run: sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi

clean:
	rm -rf output .pytest_cache
