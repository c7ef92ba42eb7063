SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10: take python3.10 from PATH, else pyenv's 3.10.x.
PYTHON_310 ?= $(shell command -v python3.10 2>/dev/null || ls -d $$HOME/.pyenv/versions/3.10.*/bin/python3.10 2>/dev/null | tail -n 1)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
WEB_INSTALLED := web/node_modules/.installed
MODEL_DIR := models
MODEL_STAMP := $(MODEL_DIR)/.trained
RASA_DATA := data/nlu data/rules data/stories
TRAINING_INPUTS := config.yml $(shell find domain $(RASA_DATA) -type f -name "*.yml" 2>/dev/null)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install train run run-scaled bench-load test test-unit test-nlu test-stories lint audit bench kb clean

help: ## List the targets with what they do
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-13s\033[0m %s\n", $$1, $$2}'

install: $(INSTALLED) $(WEB_INSTALLED) ## Create .venv (Python 3.10), install the locked Python and web dependencies; a no-op when nothing changed
	@command -v tesseract >/dev/null || echo "tesseract not found: photos and scanned PDFs of a notice cannot be read; install Debian's tesseract-ocr (sudo apt-get install -y --no-install-recommends tesseract-ocr; .ci/run does it)" >&2

$(INSTALLED): pyproject.toml requirements.lock
	@test -n "$(PYTHON_310)" && test -x "$(PYTHON_310)" || { echo "Python 3.10 not found: install it (pyenv install 3.10.13) or set PYTHON_310=/path/to/python3.10" >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON_310) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock pip setuptools wheel
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

$(WEB_INSTALLED): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 18+ (it fetches the widget's socket.io-client from the npm registry)" >&2; exit 1; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@touch $@

train: $(MODEL_STAMP) ## Train the Rasa model when it is missing or older than its data

$(MODEL_STAMP): $(INSTALLED) $(TRAINING_INPUTS)
	$(BIN)/rasa train --config config.yml --domain domain --data $(RASA_DATA) --out $(MODEL_DIR) --fixed-model-name notice-assistant
	@touch $@

run: install train ## Start the action server, the Rasa server and the chat page (127.0.0.1:5055, :5005, :8080); Ctrl-C stops all
	@PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run.sh

run-scaled: install train ## Two Rasa + two action servers behind nginx, PostgreSQL tracker store, Redis lock store (docs/scaled.md)
	@PATH="$(CURDIR)/$(BIN):$$PATH" scripts/run_scaled.sh

test: install ## Every test: lint, unit, data validation, held-out NLU (>= 95%), test stories, end to end
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -m "not e2e"
	$(BIN)/python scripts/validate_data.py --config config.yml --domain domain --data $(RASA_DATA) --fail-on-warnings
	$(MAKE) --no-print-directory train
	$(MAKE) --no-print-directory test-nlu test-stories
	$(BIN)/python -m pytest -m e2e

test-nlu: install train ## Held-out NLU set: intent accuracy, macro-F1, entity F1; fails under 95% accuracy or over 2% fallback
	$(BIN)/rasa test nlu --model $(MODEL_DIR)/notice-assistant.tar.gz --domain domain --nlu tests/nlu/test_nlu.yml --out results/nlu
	$(BIN)/python scripts/nlu_report.py results/nlu --min-intent-accuracy 0.95 --max-fallback 0.02

test-stories: install train ## Conversation test stories; fails on any prediction error
	$(BIN)/rasa test core --model $(MODEL_DIR)/notice-assistant.tar.gz --stories tests/stories --out results/stories --e2e --fail-on-prediction-errors

test-unit: install ## Run the fast tests only (no Rasa servers)
	$(BIN)/python -m pytest -m "not e2e"

lint: install ## ruff and mypy
	$(BIN)/ruff check noticebot actions nlu_components rasa_ext rasa_sdk_plugins tests bench
	$(BIN)/mypy

AUDIT_VENV := var/audit-venv
audit: ## Known vulnerabilities of the locked dependencies (pip-audit; needs the network, so not in `make test` or CI; docs/security.md)
	@test -n "$(PYTHON_310)" || { echo "Python 3.10 not found (see make install)" >&2; exit 1; }
	@test -x $(AUDIT_VENV)/bin/pip-audit || { $(PYTHON_310) -m venv $(AUDIT_VENV) && $(AUDIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check pip-audit; }
	$(AUDIT_VENV)/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict --desc on --progress-spinner off

bench: install train ## Print where a turn's time goes, then this bot against a bare Rasa bot (latency, parse, throughput, memory, training); fails over 2x its webhook p95 (docs/performance.md)
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/profile_turn.py
	$(BIN)/python bench/conversation.py
	$(BIN)/python bench/ocr.py

bench-load: install ## With `make run-scaled` running: 200 x 10 conversations through nginx vs one Rasa server
	DATABASE_URL="$${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/noticebot}" $(BIN)/python bench/load.py \
	  --url http://127.0.0.1:$${RASA_PORT:-5005} --compare-url http://127.0.0.1:$$(( $${RASA_PORT:-5005} + 1 )) \
	  --conversations $${CONVERSATIONS:-200} --turns $${TURNS:-10}

kb: install ## Build the knowledge index (catalog plus DOCS=folder of articles, if given)
	$(BIN)/noticebot kb build $(if $(DOCS),$(DOCS),)

clean: ## Remove trained models and generated indexes (keeps .venv)
	rm -rf $(MODEL_DIR) var results .pytest_cache .mypy_cache .ruff_cache
