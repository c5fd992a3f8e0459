# Pintu: `make run` serves the API on embedded defaults; `make test` runs every test.
# Both install what a fresh Debian 12 machine lacks, and are fast when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SYSTEM_STAMP := $(VENV)/.system-stamp

.PHONY: run test lint format bench demo worker system clean

run: $(STAMP)
	$(BIN)/pintu db upgrade
	$(BIN)/uvicorn --factory api.app:create_app --host 127.0.0.1 --port 8000

test: lint
	$(BIN)/pytest  # in a random order (pytest-randomly); the seed is printed first

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/pintu demo --out out/demo  # it prepares its DATA_DIR as `pintu db upgrade` does

worker: $(STAMP)
	$(BIN)/pintu db upgrade
	OMP_THREAD_LIMIT=1 $(BIN)/celery -A workflow.worker worker -c 2 -P prefork \
		--without-gossip --without-mingle --without-heartbeat -l info

system: $(SYSTEM_STAMP)

$(SYSTEM_STAMP): scripts/system-packages.txt scripts/install-system-packages.sh
	./scripts/install-system-packages.sh
	$(PYTHON) -m venv $(VENV)
	touch $@

$(STAMP): $(SYSTEM_STAMP) pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
