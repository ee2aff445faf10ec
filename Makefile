# govhall — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the project uses: browser tests, PDF tools and fonts for licenses, NSS tools.
DEB_PACKAGES := chromium fonts-noto-cjk libmagic1 poppler-utils libnss3-tools wrk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext

# A production-like SMS gateway for the deployment check (no message is sent by `check`).
PRODUCTION_SMS ?= SMS_GATEWAYS=primary SMS_GATEWAY_PRIMARY_URL=https://sms.example.gov.cn/send SMS_GATEWAY_PRIMARY_SECRET=$$(openssl rand -hex 32)

.PHONY: help install deb python node migrate demo run worker test test-fast test-e2e lint fmt bench check-deploy clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: deb python node ## Install everything (Debian packages when root, Python and npm locks)

deb:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
		echo "Some Debian packages are missing. Run as root:"; \
		echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
	fi

$(UV):
	$(PYTHON) -m pip install --quiet --user "uv==$(UV_VERSION)" || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)"

python: $(UV)
	$(UV) sync --frozen --quiet

node:
	npm ci --no-audit --no-fund --silent

migrate: python
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable

demo: migrate ## Load the Changchun demo data (idempotent)
	$(MANAGE) load_demo

run: install demo ## Install, migrate, load the demo, serve on http://127.0.0.1:8000 with a worker
	@$(MANAGE) setup_schedules
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops the server and the worker)"
	@$(MANAGE) qcluster & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(MANAGE) runserver $(HOST):$(PORT) --noreload

worker: python ## Run the background worker (django-q2 cluster) alone
	$(MANAGE) setup_schedules
	$(MANAGE) qcluster

test: python node ## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
	$(VENV)/bin/pytest -n 2 -q

test-fast: ## Run the suite without installing first
	$(VENV)/bin/pytest -n 2 -q -m "not e2e"

lint: python ## ruff check, ruff format --check, makemigrations --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

fmt: python ## Format and fix what ruff can fix
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: python ## manage.py check --deploy with production settings
	@keys=$$(mktemp -d) && openssl genpkey -algorithm ed25519 -out $$keys/audit.pem && \
	GOVHALL_ENV=production SECRET_KEY=$$(openssl rand -hex 40) ALLOWED_HOSTS=hall.example.gov.cn \
	FIELD_ENCRYPTION_KEYS=k1:$$(openssl rand -base64 32) FIELD_HASH_KEY=$$(openssl rand -hex 32) \
	LICENSES_KEY_ENCRYPTION_KEY=$$(openssl rand -base64 32) \
	AUDIT_CHECKPOINT_KEY_FILE=$$keys/audit.pem $(PRODUCTION_SMS) \
	$(MANAGE) check --deploy --fail-level WARNING; status=$$?; rm -rf $$keys; exit $$status

bench: install ## Benchmarks against a real server on PostgreSQL (see bench/README.md)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
