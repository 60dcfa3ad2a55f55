# Two commands: `make run` (the app on SQLite with demo data) and `make test` (the whole suite).
# Set DATABASE_URL=postgres://… to run either on PostgreSQL.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The unit suite runs on this many processes (pytest-xdist): auto = one per core, 0 = in this process.
TEST_WORKERS ?= auto

.PHONY: run test test-unit test-e2e setup system-deps-app system-deps-test bench bench-city loadtest multinode clean

run: system-deps-app $(VENV)/.installed
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py check
	@echo "打开 http://$(HOST):$(PORT)/ 使用上面的演示账号登录（Ctrl+C 停止）"
	@# The task worker runs large imports and exports in the background, next to the web server.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: system-deps-test $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e tests/e2e

test-unit: $(VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS)

test-e2e: system-deps-test $(VENV)/.installed
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m e2e tests/e2e

# Benchmarks: run on demand, never in the test suite. Each prints its own table of figures.
bench: system-deps-app $(VENV)/.installed
	$(PY) manage.py bench_import --sizes 5000,50000,200000
	$(PY) manage.py bench_voter_pdf --sizes 5000 20000
	$(PY) manage.py bench_report --villages 300 --voters 300000
	$(PY) manage.py bench_fuzz --count 5000 --scale 4

# City-scale benchmark on demand (issue 15): 3,000 villages and 3,000,000 voters on PostgreSQL, the county and
# city reports at 300 and 3,000 villages, and the import through two db_worker processes. Drops and recreates
# BENCH_CITY_DATABASE_URL (its name must contain "bench"). More: BENCH_CITY_ARGS="--help".
BENCH_CITY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/election_bench_city
BENCH_CITY_ARGS ?=
bench-city: system-deps-app $(VENV)/.installed
	@case "$(BENCH_CITY_DATABASE_URL)" in *bench*) ;; *) echo "BENCH_CITY_DATABASE_URL 的库名须含 bench"; exit 1;; esac
	$(PY) -c "import sys,psycopg; from urllib.parse import urlsplit; u=urlsplit(sys.argv[1]); name=u.path.lstrip('/'); \
	c=psycopg.connect(sys.argv[1].replace('/'+name, '/postgres'), autocommit=True); \
	c.execute(f'DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)'); c.execute(f'CREATE DATABASE \"{name}\"')" $(BENCH_CITY_DATABASE_URL)
	DATABASE_URL=$(BENCH_CITY_DATABASE_URL) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(BENCH_CITY_DATABASE_URL) $(PY) manage.py bench_city $(BENCH_CITY_ARGS)

# Load test on demand (never in the test suite): gunicorn + PostgreSQL on loopback, 50 users for 60 s.
# Drops and recreates LOAD_DATABASE_URL (its name must contain "load"). More: LOAD_ARGS="--help".
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/election_load
LOAD_ARGS ?=
loadtest: system-deps-app $(VENV)/.installed $(VENV)/.installed-load
	$(PY) -m loadtest.run --database-url $(LOAD_DATABASE_URL) $(LOAD_ARGS)

# Multi-node rehearsal on demand (never in the test suite): two gunicorn nodes and two workers over one
# PostgreSQL (MULTINODE_DATABASE_URL, recreated), Redis on 127.0.0.1:6379 (its own DB number and key prefix,
# removed after) and moto's S3 server; node B is killed mid-run. More: MULTINODE_ARGS="--help".
MULTINODE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/election_multinode_load
MULTINODE_ARGS ?= --users 20 --duration 60 --kill-at 25
multinode: system-deps-app $(VENV)/.installed $(VENV)/.installed-load
	$(PY) -m loadtest.multinode --database-url $(MULTINODE_DATABASE_URL) $(MULTINODE_ARGS)

$(VENV)/.installed-load: $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test,load]"
	touch $@

setup: system-deps-app $(VENV)/.installed

system-deps-app:
	@scripts/system-deps.sh app

system-deps-test:
	@scripts/system-deps.sh test

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

clean:
	rm -rf $(VENV) staticfiles *.egg-info
