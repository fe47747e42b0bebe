# desk: `make run` opens the console, `make test` runs the whole suite. Both install first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

# A demo database on first use, then the console as the demo's first-line agent. Every demo
# operator's PIN is 0000 (README); it is passed only on the default demo database (neither
# DESK_DATABASE_URL nor DESK_CONFIG set), never to a database of your own.
run: install
	$(BIN)/desk demo --if-missing
	@if [ -z "$$DESK_DATABASE_URL$$DESK_CONFIG" ]; then export DESK_PIN="$${DESK_PIN:-0000}"; fi; \
	$(BIN)/desk --operator $${DESK_OPERATOR:-agent}

lint: install
	$(BIN)/ruff check desk_tui tests bench

# PostgreSQL: the server on 127.0.0.1:5432, else a throw-away cluster, else skipped visibly.
# Three workers, a test file each at a time: the UI tests mostly wait on Textual, so three
# keep a 2-core machine busy (9:37 against 10:23 with two). desk is compiled first, as
# installing it does: the tests start desk processes, which would otherwise compile it each
# time where PYTHONDONTWRITEBYTECODE is set. TEST_WORKERS=1 runs one after the other.
TEST_WORKERS ?= 3
test: install lint
	$(BIN)/python -m compileall -q desk_tui
	tests/support/with-postgres $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: install
	@for script in bench/*.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
