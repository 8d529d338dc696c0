# One entry point for newcomers and CI: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := workshops:create_app

.PHONY: run test install lint bench bench-cluster bench-report clean translations messages wheel cluster

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip setuptools wheel

# The stamp re-runs the install when the dependency lists change.
$(VENV)/.installed: $(BIN)/python pyproject.toml package.json package-lock.json
	$(BIN)/pip install -e '.[test]'
	npm ci --no-audit --no-fund
	touch $@

# Third-party browser code is copied from node_modules, never committed: the ES module
# builds of the Socket.IO client, imported by static/js/live.js, and of SortableJS,
# imported by static/js/affinity-board.js.
static/vendor/socket.io.esm.min.js: $(VENV)/.installed
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js $@

static/vendor/sortable.esm.js: $(VENV)/.installed
	mkdir -p static/vendor
	cp node_modules/sortablejs/modular/sortable.esm.js $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations --statistics

install: $(VENV)/.installed translations static/vendor/socket.io.esm.min.js \
	static/vendor/sortable.esm.js

# After changing interface strings: refresh the catalog, then translate the new entries.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# diagnostic-server (gevent): the server that holds a room of 500 (docs/PERFORMANCE.md,
# "Production default"); `diagnostic serve` (threads) stays for debugging.
run: install
	$(BIN)/diagnostic init-db
	$(BIN)/diagnostic bootstrap
	HOST=$(HOST) PORT=$(PORT) $(BIN)/diagnostic-server

# The production setup on this machine, to try it (README, "Production"): nginx
# (deploy/nginx.conf, self-signed HTTPS on 8443) in front of 2 diagnostic-server workers on
# the local PostgreSQL and Redis. `make cluster CLUSTER_ARGS="--workers 3"`;
# `diagnostic cluster --help` lists the options.
CLUSTER_ARGS ?=
cluster: install
	$(BIN)/diagnostic cluster $(CLUSTER_ARGS)

# A wheel for `pip install` elsewhere (README: Install as a package); a fresh build/ so
# that nothing deleted from the checkout lingers in it.
wheel: install
	rm -rf build
	$(BIN)/pip wheel --no-deps --no-build-isolation -w dist .

# Security lint of the application code: fails on a High-severity finding (config and
# exclusions in pyproject.toml, [tool.bandit]). Justify an accepted finding on its line:
# `# nosec BXXX: why`.
BANDIT := $(BIN)/bandit -c pyproject.toml -r diagnostic workshops exports --severity-level high -q

lint: install
	$(BIN)/ruff check .
	$(BANDIT)

# The browser modules' pure parts under Node's test runner, then the Python suite on
# SQLite, then on PostgreSQL when DIAGNOSTIC_TEST_DATABASE_URL is set.
test: install
	$(BIN)/ruff check .
	$(BANDIT)
	node --test tests/js/
	DIAGNOSTIC_TEST_DATABASE_URL= $(BIN)/pytest -q
	@if [ -n "$$DIAGNOSTIC_TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL run: $$DIAGNOSTIC_TEST_DATABASE_URL"; \
		$(BIN)/pytest -q -m "not e2e" && \
		$(BIN)/pytest -q tests/e2e/test_cluster.py; \
	fi

# The Node peer the live benchmark compares with (bench/peer/, docs/PERFORMANCE.md), for the
# bench only. better-sqlite3 builds from source when its prebuilt binary cannot be
# downloaded (g++, make, python3), with the system's Node headers when it has them.
bench/peer/node_modules/.installed: bench/peer/package.json bench/peer/package-lock.json
	$(if $(wildcard /usr/include/node/node.h),npm_config_nodedir=/usr) \
		npm ci --prefix bench/peer --no-audit --no-fund
	touch $@

# Live load benchmark (docs/PERFORMANCE.md): ~25 min on 2 cores; run it on a quiet machine.
# Each number of participants: the three modes, then the Node peer (--target both).
BENCH_ARGS ?= --participants 50,200,500 --modes threading,gevent,gevent-patched --target both
bench: install bench/peer/node_modules/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Issue 18's production figures (docs/PERFORMANCE.md): 2 diagnostic-server workers behind
# nginx on this machine's PostgreSQL and Redis, one room of 500, then 8 rooms of 125; a
# database of its own, dropped and created again before each run. ~10 min on 2 cores.
BENCH_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/bench_cluster
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/3
BENCH_CLUSTER = $(BIN)/python -m bench.run --workers 2 --rates 10,50 --fresh-database \
	--database-url $(BENCH_DATABASE_URL) --message-queue $(BENCH_REDIS_URL)
bench-cluster: install
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BENCH_CLUSTER) --participants 500 --out bench/results-cluster/one-room
	$(BENCH_CLUSTER) --participants 1000 --rooms 8 --out bench/results-cluster/eight-rooms

# Report benchmark (docs/PERFORMANCE.md): 50 workshops, 10,000 contributions, each step
# (compose, duplicate suggestions, every export format) in its own process.
BENCH_REPORT_ARGS ?= --workshops 50 --contributions 10000
bench-report: install
	$(BIN)/python -m bench.report_run $(BENCH_REPORT_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor instance test-artifacts build dist
