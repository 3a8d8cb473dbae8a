# Wegwijzer: anonymous study and career guidance assistant on Rasa Open Source.
# Quick start: `make run` and `make test`. Every path is passed explicitly.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
SPACY_DIR   := build/spacy_nl
MODELS_DIR  := models

# Python 3.10 from PATH, else the newest 3.10 of pyenv.
PYTHON_310 := $(shell for p in python3.10 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V | tail -n 1); do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then command -v $$p; break; fi; done)

# The model is named after a hash of everything training reads, so it is trained only
# when the training data or configuration changed.
TRAIN_INPUTS := $(sort bot/config.yml $(wildcard bot/nlu/*component*.py) bot/nlu/spacy_model.py bot/nlu/ngram_model.py bot/nlu/chat_text.py bot/nlu/language.py bot/nlu/user_groups.py bot/nlu/user_groups.yml $(wildcard bot/domain/*.yml bot/rules/*.yml bot/stories/*.yml) \
	$(shell find data/nlu data/user_groups data/risk -name '*.yml' 2>/dev/null))
TRAIN_HASH   := $(shell cat $(TRAIN_INPUTS) requirements.lock 2>/dev/null | sha256sum | cut -c1-12)
MODEL        := $(MODELS_DIR)/assistant-$(TRAIN_HASH).tar.gz
SPACY_INPUTS := $(wildcard knowledge/data/*.* knowledge/data/*/*.csv knowledge/content/*) knowledge/occupation_names.py knowledge/spacy_pipeline.py

export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export RASA_TELEMETRY_ENABLED := false
export ASSISTANT_MODEL := $(CURDIR)/$(MODEL)

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
CHROMIUM    := /usr/bin/chromium
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup run train knowledge test test-fast eval lint format bench bench-soak clean browser telegram-webhook purge audit run-scaled screenshots

help:
	@echo "make run    start the assistant (Rasa, action server, web chat and console); Ctrl-C or SIGTERM stops all"
	@echo "make test   set up what is missing and run the whole test suite, test stories included"
	@echo "make train  train the model if the training data changed"
	@echo "make eval   NLU cross-validation, conversation tests, then the held-out sets end to end (docs/quality.md)"
	@echo "make knowledge  rebuild the knowledge store after editing knowledge/content/"
	@echo "make bench  lookup benchmark, then stock Rasa vs this assistant side by side (docs/performance.md)"
	@echo "make bench-soak  10 minutes at a steady rate: errors and memory growth"
	@echo "make lint   ruff lint and format check, rasa data validate"
	@echo "make screenshots  run the browser tests and copy their screenshots into docs/screenshots/"

$(VENV)/.installed: pyproject.toml requirements.lock
	@if [ -z "$(PYTHON_310)" ]; then \
		echo "Python 3.10 is needed (Rasa 3.6 runs on 3.8-3.10) and none was found on PATH or in pyenv."; \
		echo "Install it, for example: pyenv install 3.10.13"; exit 1; fi
	@echo "Creating the virtual environment with $(PYTHON_310)"
	$(PYTHON_310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip<25" setuptools wheel
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

$(SPACY_DIR)/meta.json: $(VENV)/.installed $(SPACY_INPUTS)
	$(PY) -m knowledge spacy-pipeline --out $(SPACY_DIR)

$(MODEL): $(VENV)/.installed $(SPACY_DIR)/meta.json $(TRAIN_INPUTS)
	@mkdir -p $(MODELS_DIR)
	$(BIN)/rasa train --config bot/config.yml --domain bot/domain \
		--data data/nlu bot/rules bot/stories --out $(MODELS_DIR) \
		--fixed-model-name assistant-$(TRAIN_HASH)
	@ls -t $(MODELS_DIR)/assistant-*.tar.gz | tail -n +4 | xargs -r rm -f

setup: $(MODEL)

train: $(MODEL)

knowledge: $(VENV)/.installed
	$(PY) -m knowledge build

run: setup
	$(PY) -m ops.launcher

test: setup $(CHROMIUM)
	$(BIN)/pytest

browser: $(CHROMIUM)

$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	$(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver; }

test-fast: $(VENV)/.installed $(SPACY_DIR)/meta.json
	$(BIN)/pytest -m "not e2e and not model"

# The browser tests write their screenshots to results/screenshots/ (ignored); this copies
# a fresh set over the tracked ones in docs/screenshots/.
screenshots: setup $(CHROMIUM)
	rm -rf results/screenshots
	$(BIN)/pytest tests/e2e/test_widget_and_console.py tests/console/test_team_in_browser.py \
		tests/console/test_alerts_in_browser.py tests/console/test_statistics_in_browser.py
	cp results/screenshots/*.png docs/screenshots/

# Cross-validation and the test stories first; then the held-out sets played end to end
# against the real servers, which write their own section of the same report.
eval: setup
	$(PY) -m tools.quality --model $(MODEL) --out docs/quality.md
	$(PY) -m tools.evaluation --model $(MODEL) --out docs/quality.md

# The side-by-side benchmark needs this machine's PostgreSQL and Redis for the scaled
# set-up (BENCH_POSTGRES, default postgresql://postgres@127.0.0.1:5432); about 15 minutes.
bench: setup knowledge
	$(PY) -m knowledge bench
	$(PY) -m tools.benchmark
	$(PY) -m tools.bench_statistics --broker sqlite
	$(PY) -m tools.bench_statistics --broker rabbitmq
	$(PY) -m tools.bench_dashboard --database sqlite
	$(PY) -m tools.bench_dashboard --database postgresql

bench-soak: setup
	$(PY) -m tools.soak

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/rasa data validate --domain bot/domain --data data/nlu bot/rules bot/stories --config bot/config.yml
	@$(MAKE) --no-print-directory audit

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The scaled set-up: Rasa's tracker on PostgreSQL, Rasa's Redis lock store, RASA_WORKERS
# Sanic workers per server sharing conversations, widget delivery over Redis pub/sub, events
# for the statistics through RabbitMQ.
SCALED_DATABASE ?= postgresql://postgres@127.0.0.1:5432/wegwijzer
SCALED_REDIS    ?= redis://127.0.0.1:6379/0
SCALED_RABBITMQ ?= amqp://guest:guest@127.0.0.1:5672/
run-scaled: setup
	$(PY) -m ops.scaled_setup $${DATABASE_URL:-$(SCALED_DATABASE)}
	DATABASE_URL=$${DATABASE_URL:-$(SCALED_DATABASE)} REDIS_URL=$${REDIS_URL:-$(SCALED_REDIS)} \
		RABBITMQ_URL=$${RABBITMQ_URL:-$(SCALED_RABBITMQ)} $(PY) -m ops.launcher

# Known vulnerabilities in the pinned packages (pip-audit against OSV). Advisories triaged in
# docs/security.md are ignored; any other finding fails. Without a reachable vulnerability
# database (as on the build machines) it says so and does not fail.
AUDIT_TRIAGED := GHSA-8495-4g3g-x7pr GHSA-9548-qrrj-x5pj
audit:
	@test -x .venv-audit/bin/pip-audit || { $(PYTHON_310) -m venv .venv-audit && .venv-audit/bin/pip install --quiet pip-audit==2.10.1; }
	@.venv-audit/bin/pip-audit -r requirements.lock --no-deps --disable-pip -s osv \
		$(addprefix --ignore-vuln ,$(AUDIT_TRIAGED)) > .audit.log 2>&1; code=$$?; \
	if [ $$code -eq 0 ]; then echo "pip-audit: no known vulnerabilities beyond the triaged ones"; \
	elif grep -q -E "ConnectionError|NameResolution|Failed to resolve|Max retries" .audit.log; then \
		echo "pip-audit: no vulnerability database reachable here; audit skipped (see docs/security.md)"; \
	else cat .audit.log; exit 1; fi

# Delete conversations idle for longer than RETENTION_DAYS (default 30); cron-friendly.
purge: $(VENV)/.installed
	$(PY) -m privacy.retention

# Register the Telegram webhook (once, after deploying): make telegram-webhook URL=https://...
telegram-webhook: $(VENV)/.installed
	$(PY) -m channels.telegram_webhook $(URL)

clean:
	rm -rf build $(MODELS_DIR) results var
