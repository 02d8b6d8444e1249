# The two commands: `make run` (the whole stack on this machine) and `make test` (the suite).
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint browser fonts bench clean-state install

# SONGDA_ENV=development: the demo's keys and secrets, and the Temporal UI reads payloads at the
# codec endpoint without a token from this machine (docs/temporal-ui-codec.md).
run: $(STAMP) fonts
	SONGDA_ENV=$${SONGDA_ENV:-development} $(BIN)/python launcher.py

# The archive's PDFs embed WenQuanYi Zen Hei (SONGDA_PDF_FONT); without it no archive is filed.
fonts:
	@test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || test -n "$$SONGDA_PDF_FONT" || \
		(apt-get update && apt-get install -y fonts-wqy-zenhei) || \
		echo "could not install fonts-wqy-zenhei: the launcher says what to do"

test: $(STAMP)
	$(MAKE) lint
	$(MAKE) browser
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The portal's browser tests drive Debian's chromium through Playwright; a CJK font lets its
# screenshot (docs/portal-documents.png) show the Chinese text.
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	fc-list :lang=zh | grep -q . || (apt-get update && apt-get install -y fonts-noto-cjk)
	# The archive's PDFs embed WenQuanYi Zen Hei; its tests read them back with poppler.
	test -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc && command -v pdftoppm >/dev/null || (apt-get update && apt-get install -y fonts-wqy-zenhei poppler-utils)

# Each benchmark starts its own stack on a fresh PostgreSQL database and prints a table and a
# JSON line; docs/benchmarks.md records the figures. BENCH=intake runs one. waiting_parties
# runs the workflows alone on the time-skipping server (no stack of its own).
BENCH ?= intake end_to_end burst stats_query open_tasks waiting_parties
bench: $(STAMP)
	@set -e; for name in $(BENCH); do \
		echo "== bench/$$name.py"; $(BIN)/python -m bench.$$name; \
	done

clean-state:
	rm -rf .songda

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(STAMP)
