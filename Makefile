# One command to build, one to test. Both set up what they need on a fresh Debian machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CODE := build_pdf.py macros tests benchmarks
NU_CHECKER := .cache/tools/node_modules/vnu-jar/build/dist/vnu.jar
PDFJS := .cache/tools/node_modules/pdfjs-dist/package.json
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test check serve bench clean

## build: set up, then build the site and every PDF into site/
build: $(VENV)/.installed
	bash scripts/system-deps.sh build
	$(PY) build_pdf.py --site

## test: set up (Python packages, Chromium, poppler, the Nu HTML Checker, pdf.js), then lint,
## type-check and run the suite
test: $(VENV)/.installed $(NU_CHECKER) $(PDFJS)
	bash scripts/system-deps.sh test
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $$(( $$(nproc) + 1 )) --dist loadfile

## check: validate the rubric only
check: $(VENV)/.installed
	$(PY) build_pdf.py --check

## serve: preview the site while editing; its PDFs follow the edits (restart after editing .py)
serve: $(VENV)/.installed
	$(VENV)/bin/mkdocs serve

## bench: measure build costs (see benchmarks/README.md)
bench: $(VENV)/.installed
	$(PY) benchmarks/run.py

$(VENV)/.installed: pyproject.toml
	bash scripts/system-deps.sh build
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(NU_CHECKER):
	bash scripts/system-deps.sh test
	npm install --silent --no-audit --no-fund --prefix .cache/tools vnu-jar@26.9.27

# pdf.js, which a test renders the fillable action plan with (as a browser's viewer draws it);
# after the checker, as npm keeps in .cache/tools only what its package.json lists
$(PDFJS): $(NU_CHECKER)
	npm install --silent --no-audit --no-fund --prefix .cache/tools pdfjs-dist@5.6.205

clean:
	rm -rf site .cache .pytest_cache
