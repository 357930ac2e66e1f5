# The pack's commands. The README documents each target; .ci/run calls `make test`.
#
#   make lab       set up .venv (once), copy the lessons to my-lessons/, open JupyterLab on lesson 00 (127.0.0.1, token)
#   make test      set up .venv (once), then lint, unit tests, doctests, data validation, strict nbval
#   make outputs   re-execute every notebook and store its outputs (the only way outputs change)
#   make present   Voilà at 127.0.0.1 with code hidden and live widgets (NB=02 for one lesson)
#   make handouts  offline HTML handouts of every lesson in handouts/
#   make lock      re-resolve requirements/lock.txt from pyproject.toml (maintainers only)
#   make test-latest  the tests in .venv-latest, with the newest versions pyproject.toml's ranges allow
#   make hub       JupyterHub for a class on this machine (root; one Unix user per student), at
#                  http://127.0.0.1:8000/ unless HUB_IP/HUB_PORT (and HUB_CERT/HUB_KEY) say otherwise
#   make hub-load STUDENTS=20  bounded load test of that hub on loopback: bench/hub.json
#   make test-hub  the live hub tests: two students, isolation, lesson 00, culling, the hard stop
#   make clean     remove .venv and caches

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/lock.txt
STAMP  := $(VENV)/.installed
PORT   ?= 8888
PRESENT_PORT ?= 8866
PRESENT_TOKEN ?= 1
# JupyterLab refuses to run as root without this flag (containers, CI); it changes nothing else.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
export PLOTLY_RENDERER := plotly_mimetype
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup lab test lint unit outputs present handouts lock clean test-latest

setup: $(STAMP)

# One install per change of the lock file or pyproject.toml: a second `make test` does not reinstall.
$(STAMP): $(LOCK) pyproject.toml jupyter/overrides.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
	  || { echo "error: Python 3.11 or newer is needed (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

# Students work on their own copies (my-lessons/, made and refreshed by tools/student_copies.py), so
# saving never rewrites the pack's lessons; JupyterLab opens on lesson 00.
COPIES ?= my-lessons
lab: $(STAMP)
	@$(BIN)/python tools/student_copies.py notebooks $(COPIES)
	@echo "Starting JupyterLab on http://127.0.0.1:$(PORT) (the URL with its token is printed below)."
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	  --ServerApp.root_dir=$(COPIES) --LabApp.default_url=/lab/tree/00-start-here.ipynb \
	  --LabApp.extension_manager=readonly $(ROOT_FLAG)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP)
	$(BIN)/frictionless validate data/datapackage.json
	$(BIN)/python -m pytest -n 2 --dist loadfile tests widgets

test: lint $(STAMP)
	$(BIN)/frictionless validate data/datapackage.json
	$(BIN)/python -m pytest -n 2 --dist loadfile

outputs: $(STAMP)
	$(BIN)/python tools/regenerate_outputs.py notebooks/*.ipynb

# Voilà on 127.0.0.1, code hidden, live widgets: `make present` (lesson list) or `make present NB=02`.
present: $(STAMP)
	PRESENT_TOKEN=$(PRESENT_TOKEN) bash tools/present.sh --port $(PRESENT_PORT) $(NB)

# Offline HTML handouts of every lesson (code hidden, figures inlined): handouts/index.html.
handouts: $(STAMP)
	$(BIN)/python tools/handouts.py --out handouts

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet ".[lab,test,hub]" "setuptools>=77"
	tools/write_lock.sh .lock-venv > $(LOCK)
	rm -rf .lock-venv
	@echo "Now update environment.yml to the new versions; tests/test_environment.py checks it."

# Is an upgrade safe? Install the newest versions the ranges in pyproject.toml allow (not the lock)
# into their own venv, say which differ from the lock, and run every test there. A failure names what
# the upgrade broke; a pass means a range's lower bound can move up with `make lock`.
LATEST := .venv-latest
test-latest:
	rm -rf $(LATEST) && $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade -e ".[lab,test,hub]"
	@$(LATEST)/bin/python -m pip freeze --exclude-editable --disable-pip-version-check \
	  | grep -vxFf $(LOCK) | sed 's/^/not as in the lock: /' || true
	@mkdir -p $(LATEST)/share/jupyter/lab/settings
	@cp jupyter/overrides.json $(LATEST)/share/jupyter/lab/settings/overrides.json
	$(LATEST)/bin/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) $(LATEST) .pytest_cache .ruff_cache .hypothesis

# ---- Real-browser tests, the offline guarantee, the benchmark (tests/browser/, bench/) ----------
#   make test-browser  every notebook in JupyterLab and in Voilà, in Debian's Chromium (Playwright;
#                      no browser is downloaded): renders, every control responds, requests local
#   make test-offline  nbval on every notebook and the browser tests, inside a network namespace
#                      with loopback only, so any run-time download fails (skips where unavailable)
#   make bench         what a student feels against issue 15's budgets, in JupyterLab, median of 3
#                      runs (BENCH_ARGS="--runs 1 --lessons 05" for less): bench/results.json and
#                      bench/results.md; exits non-zero when a budget is missed (not in `make test`)
.PHONY: test-browser test-offline bench

# A network namespace with only loopback: plain `unshare -n` as root, inside a user namespace otherwise.
NETNS := $(if $(filter 0,$(shell id -u)),unshare -n,unshare -rn)
BROWSER_TESTS := PCD_BROWSER_TESTS=1 $(BIN)/python -m pytest -p no:xdist tests/browser

test-browser: $(STAMP)
	$(BROWSER_TESTS)

test-offline: $(STAMP)
	@if $(NETNS) true 2>/dev/null; then \
	  $(NETNS) sh -c 'PATH="$$PATH:/usr/sbin:/sbin"; ip link set lo up \
	    && echo "== offline: inside a network namespace with loopback only" \
	    && $(BIN)/python -m pytest -n 2 --dist loadfile notebooks \
	    && PCD_OFFLINE=1 $(BROWSER_TESTS)'; \
	else \
	  echo "test-offline: SKIPPED: network namespaces are not available here ('$(NETNS)' failed),"; \
	  echo "so the offline guarantee was NOT checked. Run it as root or enable user namespaces."; \
	fi

bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# ---- A class on one machine: JupyterHub (jupyter/jupyterhub_config.py, tools/hub*.py) -------------
#   make hub [NAMES="ada bo"] [HUB_IP=... HUB_CERT=... HUB_KEY=...] [HUB_PORT=8000] [STOP_AFTER=240]
#            the class password: PCD_HUB_PASSWORD, or asked for at the terminal (>= 8 characters)
#   make hub-load [STUDENTS=3] [LESSON=05]   N students at once on 127.0.0.1, stops by itself
#   make test-hub  tests/test_hub.py (live, 1-2 min) and tests/test_hub_config.py
.PHONY: hub hub-load test-hub

HUB_IP   ?= 127.0.0.1
HUB_PORT ?= 8000
STUDENTS ?= 3
LESSON   ?= 05
PROXY    := node_modules/.bin/configurable-http-proxy

# configurable-http-proxy, the hub's proxy, from npm into node_modules/ (package-lock.json)
$(PROXY): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# exec: the hub replaces the shell (and tools/hub.py execs jupyterhub), so stopping make stops it
hub: $(STAMP) $(PROXY)
	exec $(BIN)/python tools/hub.py run --ip $(HUB_IP) --port $(HUB_PORT) \
	  $(if $(NAMES),--students "$(NAMES)") $(if $(HUB_CERT),--cert "$(HUB_CERT)") \
	  $(if $(HUB_KEY),--key "$(HUB_KEY)") $(if $(STOP_AFTER),--stop-after $(STOP_AFTER)) \
	  $(if $(ISOLATION),--isolation $(ISOLATION)) $(HUB_ARGS)

hub-load: $(STAMP) $(PROXY)
	$(BIN)/python tools/hub_load.py --students $(STUDENTS) --lesson "$(LESSON)"

test-hub: $(STAMP) $(PROXY)
	PCD_HUB_TESTS=1 $(BIN)/python -m pytest -p no:xdist tests/test_hub_config.py tests/test_hub.py
