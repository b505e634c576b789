# The two commands: `make run` (site with demo content on http://127.0.0.1:8000) and
# `make test` (the whole suite). Both set up what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint check demo messages clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

demo: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo_content

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (an initiative is also on http://zonnedak.localhost:$(PORT)/)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

messages: setup
	for app in blocks catalogue governance search site/initiatives site/ctylab; do \
		mkdir -p $$app/locale && (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py \
			makemessages -l nl --no-obsolete --ignore 'migrations/*'); done
	$(MANAGE) compilemessages -l nl --ignore .venv --ignore node_modules

clean:
	rm -rf $(VENV) node_modules var static_collected
