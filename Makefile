# The two commands the README promises: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run serve test bench lint format messages clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(STAMP)

# Prism, the local mock of Twilio's REST API the tests check the twilio backend against.
PRISM_STAMP := tools/prism/node_modules/.installed-stamp
$(PRISM_STAMP): tools/prism/package.json tools/prism/package-lock.json
	npm ci --prefix tools/prism --no-audit --no-fund --loglevel=error
	touch $(PRISM_STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The production topology on this machine (Procfile: gunicorn, two Celery workers, beat) on
# PostgreSQL and Redis with DEBUG off; docs/DEPLOY.md. PORT=8000 by default.
serve: $(STAMP)
	./deploy/serve

# The suite runs in parallel (pytest-xdist): a worker per CPU core, each with a test database of
# its own; tests that must share a worker are grouped in tests/conftest.py (--dist loadgroup).
# `make test PYTEST_WORKERS=0` runs it in one process; PYTEST_ARGS passes more options.
PYTEST_WORKERS ?= auto
test: $(STAMP) $(PRISM_STAMP)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# `make bench BENCH_ARGS="--only evening --seed 3"` passes options to `python -m benchmarks`.
bench: $(STAMP)
	$(PY) -m benchmarks $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages --locale fr --locale de --locale es --locale it --locale pt \
		--locale nl --locale zh_Hans --locale ja --ignore ".venv/*" --ignore "staticfiles/*" \
		--ignore "tools/*" --ignore "tests/*" --ignore "benchmarks/*"
	DEBUG=1 $(PY) manage.py compilemessages --ignore ".venv/*" --ignore "tools/*"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
