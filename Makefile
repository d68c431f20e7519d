# Mentor Portal: `make run` to try it, `make test` to check it.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app portal
STAMP := $(VENV)/.installed
export PORT ?= 5000

.PHONY: run test setup assets migrate bench clean stop

run: setup migrate ## Set everything up and serve the portal with its worker
	@$(PY) scripts/run_dev.py

test: setup ## Set everything up and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

setup: $(STAMP) assets

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

assets: portal/static/vendor/.built

portal/static/vendor/.built: package.json package-lock.json scripts/copy-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@touch $@

migrate: setup
	$(FLASK) db upgrade

stop: ## Stop the embedded Redis server left by an interrupted run
	$(PY) -m portal.embedded_redis stop instance

clean: stop
	rm -rf $(VENV) node_modules portal/static/vendor
