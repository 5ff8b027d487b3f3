# Two commands do all set-up on a fresh Debian machine with Python 3.11:
#   make run   - creates .venv, installs, builds the store if missing, starts Streamlit on
#                127.0.0.1:8501 (only this machine; `make run ADDRESS=0.0.0.0` serves the network)
#   make test  - installs the dev requirements, runs lint and the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# There is no log-in yet: serve only this machine unless asked otherwise.
ADDRESS ?= 127.0.0.1

.PHONY: run test lint format store demo bench clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

store: $(VENV)/.runtime
	$(PY) -m monitoring init
	$(PY) -m monitoring demo --if-empty

run: store
	$(PY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

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

bench: $(VENV)/.dev
	for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) data/monitor.db data/monitor.db-wal data/monitor.db-shm
