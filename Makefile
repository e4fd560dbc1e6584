# Two commands for a fresh machine: `make run` and `make test` (see README.md).
VENV ?= .venv
BIN := $(VENV)/bin
# Python 3.12 where the machine has it (pyenv's or on the PATH), else python3: CPython 3.11.7 crashes in its
# garbage collector after some dozens of requests to the large catalogue (SIGSEGV in a gunicorn worker, seen on
# SQLite and PostgreSQL, with and without the C extensions); 3.12 does not
# (a python3.12 on the PATH counts only if it runs: a pyenv shim for a version not selected does not)
PYTHON ?= $(shell p=$$(PYENV_VERSION=$$(pyenv latest 3.12 2>/dev/null) pyenv which python3.12 2>/dev/null); \
	[ -n "$$p" ] || { python3.12 -c '' 2>/dev/null && p=$$(command -v python3.12); }; echo "$${p:-python3}")
HOST ?= 127.0.0.1
PORT ?= 5000
export FORUM_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: install migrate demo run test test-e2e test-delivery bench bench-load translations lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

CATALOGS := $(wildcard forum/translations/*/LC_MESSAGES/messages.po)

$(VENV)/.installed: requirements.lock pyproject.toml $(CATALOGS) | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pybabel compile --use-fuzzy -d forum/translations -f
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/alembic upgrade head

demo: migrate
	$(BIN)/flask --app wsgi forum demo

run: demo
	@$(BIN)/flask --app wsgi forum welcome
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start -f Procfile

# pytest exits 5 when a selection holds no test; that is not a failure of the suite
test: install
	$(BIN)/pytest -n 2 --dist loadfile -m "not e2e and not delivery" || [ $$? -eq 5 ]

test-e2e: install
	$(BIN)/pytest -m e2e -p no:xdist || [ $$? -eq 5 ]

# a reminder through a real Celery worker, a redis-server and an SMTP sink the test starts itself; it must run
test-delivery: install
	$(BIN)/pytest -m delivery -p no:xdist tests/notifications

bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-load: install
	$(BIN)/python -m bench.load $(BENCH_ARGS)

# after changing user-visible strings: refresh the French and Spanish catalogues, then translate what is new
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".venv tests bench migrations" -o messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i messages.pot -d forum/translations -w 120
	rm messages.pot

lint: install
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r forum workers config wsgi.py -ll

clean:
	rm -rf $(VENV) instance .pytest_cache
