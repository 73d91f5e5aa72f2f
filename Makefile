# Everything installs into .venv from pinned requirements; `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# all-MiniLM-L6-v2 exported to ONNX once from the pinned package's weights (newsaudit/models/minilm/build.py)
MINILM_ONNX := $(VENV)/share/newsaudit/all-MiniLM-L6-v2.onnx
OUT ?= out
# processes for the test suite (pytest-xdist) and the evaluation gate's checks: the 2-core CI machine's cores
JOBS ?= 2

.PHONY: install demo test check docs bench eval eval-gate clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(MINILM_ONNX): $(STAMP)
	$(PY) -m newsaudit.models.minilm.build $(MINILM_ONNX)

install: $(STAMP) $(MINILM_ONNX)

demo: install
	@mkdir -p $(OUT)
	$(VENV)/bin/newsaudit analyze examples/article.txt --format json --out $(OUT)/demo-report.json
	$(VENV)/bin/newsaudit render report $(OUT)/demo-report.json --format text
	$(VENV)/bin/newsaudit render report $(OUT)/demo-report.json --format html --out $(OUT)/demo-report.html
	@echo "HTML report written to $(abspath $(OUT))/demo-report.html"

test: install check docs
	$(PY) -m pytest -q -rs -n $(JOBS)

# The project's static checks (configured in pyproject.toml): style and bugs, types, layers.
check: install
	$(VENV)/bin/ruff check newsaudit benchmarks tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The documentation site (MkDocs, offline) into build/site; --strict fails on a broken link or include.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir build/site
	@echo "documentation site written to $(abspath build/site)/index.html"

bench: install
	$(PY) -m benchmarks

eval: install
	$(VENV)/bin/newsaudit eval attribution ../shared/data/polnear/dev

# Every evaluation whose data is in ../shared/data, against the floors pinned in eval-floors.json.
eval-gate: install
	$(VENV)/bin/newsaudit eval gate --data ../shared/data --floors eval-floors.json --cache-dir build/eval-gate --jobs $(JOBS)

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
