# Front door of desertion-series. `make help` lists the targets.
# Every target sets itself up from nothing but python3 (3.11+): a .venv with the locked
# packages, this package installed in it, and the project's own Jupyter kernel.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data
OUT ?= reports
KERNEL := desertion-series
# Jupyter servers of the venv (make lab) start the project's kernel by default.
JUPYTER_CONFIG := etc/jupyter/jupyter_server_config.json
# The browser tests (tests/test_browser.py) drive Debian's Chromium: `make test` installs the
# package when it is missing and it may (as root, or with passwordless sudo), or stops at once
# with one line saying what to run (etc/chromium.sh).
DEBIAN_CHROMIUM := /usr/bin/chromium
CHROMIUM ?= $(DEBIAN_CHROMIUM)
export CHROMIUM

.DEFAULT_GOAL := help
.PHONY: help venv reports test chromium bench lab lock clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml $(JUPYTER_CONFIG)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "desertion-series needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (desertion-series)" >/dev/null
	install -D -m 644 $(JUPYTER_CONFIG) $(VENV)/$(JUPYTER_CONFIG)
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv with the locked packages and the project's kernel

reports: $(STAMP) ## Validate the data and build the HTML reports into reports/
	$(BIN)/python -m helpers validate --data $(DATA)
	$(BIN)/python -m helpers build --data $(DATA) --out $(OUT)

test: chromium $(STAMP) ## Run the whole test suite (installs Debian's chromium when missing)
	$(BIN)/python -m pytest

# Evaluated when its recipe runs: empty when Chromium is there (or was just installed), else the
# line saying what to run, which $(error) prints as make stops.
CHROMIUM_MISSING = $(shell sh etc/chromium.sh "$(CHROMIUM)" "$(DEBIAN_CHROMIUM)")

chromium: ## Install Debian's chromium for the browser tests when it is missing (make test does)
	@:$(if $(CHROMIUM_MISSING),$(error $(CHROMIUM_MISSING)))

bench: $(STAMP) ## Print benchmark figures (ratios against a baseline of the same run)
	$(BIN)/python -m bench

lab: $(STAMP) ## Open the notebooks in JupyterLab with the project's kernel
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lock: ## Re-resolve requirements.lock from requirements.in (after changing a pin)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --requirement requirements.in
	.lock-venv/bin/python -m pip freeze --exclude-editable > requirements.lock
	rm -rf .lock-venv

clean: ## Remove the environment and the built reports
	rm -rf $(VENV) $(OUT)/*.html
