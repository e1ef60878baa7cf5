# Two commands matter: `make demo` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test install system-deps lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@echo "Menyusun kernel seleksi (numba, sekali per instalasi) ..."
	$(BIN)/python -c "from selaras.engines.selection import prepare; prepare()"
	touch $(STAMP)

install: $(STAMP)

## Browser tests need Debian's chromium, PDF documents pango (WeasyPrint), DejaVu fonts and pdftotext;
## install them when missing and we may.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Memasang chromium (apt-get) ..."; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; \
	  else echo "chromium tidak ada dan bukan root: jalankan 'sudo apt-get install chromium'"; exit 1; fi; }
	@command -v pdftotext >/dev/null 2>&1 && fc-list | grep -qi dejavu && fc-list | grep -qi "liberation sans narrow" && ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libharfbuzz-subset || { \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Memasang pustaka PDF (pango, harfbuzz-subset, poppler-utils, fonts-dejavu-core, fonts-liberation) ..."; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils fonts-dejavu-core fonts-liberation >/dev/null; \
	  else echo "pustaka PDF tidak ada dan bukan root: jalankan 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils fonts-dejavu-core fonts-liberation'"; exit 1; fi; }

demo: install
	$(BIN)/selaras demo up

test: install system-deps
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var
