# The two commands: `make run` (site with demo content on http://127.0.0.1:8000) and
# `make test` (the whole suite). Both set up what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
ANVIL := node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
ANVIL_PORT ?= 8545
# anvil's first development account: a published key that only ever holds test ether.
ANVIL_DEV_KEY := 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
CHAIN_ENV := CHAIN_RPC_URL=http://127.0.0.1:$(ANVIL_PORT) CHAIN_PRIVATE_KEY=$(ANVIL_DEV_KEY)
# Every link the demo prints and the site makes uses the host and port it is served on.
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),localhost,$(HOST))
export CTYLAB_DOMAIN_PORT := $(PORT)
export CTYLAB_DEMO_HOST := $(LINK_HOST)
export CTYLAB_PLATFORM_HOSTS := localhost,127.0.0.1,[::1],$(LINK_HOST)

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
	$(MANAGE) load_catalogue_presets
	$(MANAGE) load_demo_content

# The site, a task worker (search indexing, anchoring decisions) and a local anvil chain whose
# state survives restarts (var/anvil-state.json); Ctrl-C stops all three.
run: demo
	@echo "Serving on http://$(LINK_HOST):$(PORT)/ (an initiative is also on http://zonnedak.localhost:$(PORT)/)"
	@mkdir -p var
	$(ANVIL) --silent --port $(ANVIL_PORT) --state var/anvil-state.json --state-interval 5 & anvil=$$!; \
	$(CHAIN_ENV) $(MANAGE) db_worker --no-reload & worker=$$!; \
	$(MANAGE) run_schedule & clock=$$!; \
	$(MANAGE) ingest_mqtt --skip-without-broker & mqtt=$$!; \
	trap 'kill $$anvil $$worker $$clock $$mqtt 2>/dev/null' EXIT INT TERM; \
	$(CHAIN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

messages: setup
	for app in blocks catalogue governance search site/accounts site/initiatives site/ctylab site/opendata site/tenders; do \
		mkdir -p $$app/locale && (cd $$app && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py \
			makemessages -l nl --no-obsolete --ignore 'migrations/*'); done
	$(MANAGE) compilemessages -l nl --ignore .venv --ignore node_modules

clean:
	rm -rf $(VENV) node_modules var static_collected
