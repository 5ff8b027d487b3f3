# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make run   - creates .venv, installs, builds or upgrades the store, starts Streamlit on
#                127.0.0.1:8501 (only this machine; `make run ADDRESS=0.0.0.0` serves the network)
#   make test  - installs the dev requirements, runs lint and the whole test suite
# Every install is constrained by constraints.txt: a fresh machine gets exactly the tested versions.
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALL := $(PY) -m pip install -q -c constraints.txt
PORT ?= 8501
# Serve only this machine unless asked: a fresh store has no users (open mode, see README Drift).
ADDRESS ?= 127.0.0.1

.PHONY: run test lint format store demo bench lock clean

$(VENV)/.runtime: requirements.txt constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(INSTALL) -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(INSTALL) -r requirements-dev.txt
	touch $@

store: $(VENV)/.runtime
	$(PY) -m monitoring init
	$(PY) -m monitoring demo --if-empty

run: store
	$(PY) -m streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: lint
	@if [ -z "$$PG_TEST_URL" ]; then \
	  echo "*** PG_TEST_URL is not set: the PostgreSQL integration tests will be SKIPPED."; \
	  echo "*** Start a server with: export PG_TEST_URL=\$$(bash .ci/start-postgres)"; \
	fi
	$(PY) -m pytest -q

# Every figure beside its floor or baseline, into bench/results.json (DB=postgresql+psycopg://... adds PostgreSQL).
bench: $(VENV)/.dev
	$(PY) -m bench $(if $(DB),--db $(DB))

# After changing requirements*.txt and installing them: pin the whole tested tree again.
lock: $(VENV)/.dev
	$(PY) -m tests.lockfile > constraints.txt

clean:
	rm -rf $(VENV) data/monitor.db data/monitor.db-wal data/monitor.db-shm
