# One-command entry points (see README.md).
#   make demo   set up .venv and audit the bundled example reports (terminal + HTML scorecards in out/)
#   make test   set up .venv and the test system packages, then run the whole test suite and checks
#   make serve  set up .venv and start the workbench on http://127.0.0.1:8765 (data in ./auditor-data)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint bench serve

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: $(BIN)/.installed
	@# byte-compile the package now: an editable install never does, and with
	@# PYTHONDONTWRITEBYTECODE set every start would compile it again (~0.15 s)
	$(BIN)/python -m compileall -q auditor
	@# validate the bundled checklists once now, so the first `auditor check` starts from the cache
	$(BIN)/python -c "from auditor.loader import load_bundled; load_bundled()"

demo: setup
	$(BIN)/auditor check examples/ --no-progress || [ $$? -eq 1 ]
	$(BIN)/auditor check examples/ --format html --format json --format csv --output out/ --no-progress || [ $$? -eq 1 ]
	@echo "Scorecards written to out/index.html (one page per report), JSON to out/report.json"

serve: setup
	$(BIN)/auditor serve

test: setup
	bash scripts/install-test-deps.sh
	$(BIN)/pytest
	$(BIN)/auditor rules test
	$(MAKE) lint

lint: setup
	$(BIN)/ruff check auditor tests benchmarks
	$(BIN)/ruff format --check auditor tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/run.py
