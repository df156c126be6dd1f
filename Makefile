# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# test: pytest, hypothesis, ruff; neo: neo and elephant (Recording.to_neo); docs: mkdocs and mkdocstrings
EXTRAS := test,neo,docs
FAST := not slow and not brian2 and not browser

.PHONY: demo test test-fast lint docs bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/scrutable tasks
	$(VENV)/bin/scrutable compare --task digits --out runs/demo

# Tests run on every core (pytest-xdist); a file's tests, and its module fixtures, stay on one worker;
# the files go out longest first (times of the last run, tests/conftest.py), not by number of tests.
PARALLEL := -n auto --dist loadfile --no-loadscope-reorder

# numba's cache filled once, one process per core (test workers started together would each
# compile the same kernels: about 3 minutes per worker on a fresh clone); skipped while the stamp
# of the last fill matches the sources, numba, Python and the machine (snn/jitcache.py).
JIT := $(PY) -W ignore -m snn.jitcache

# Everything: lint, format check, every test (slow, Brian2 and browser ones included).
test: $(STAMP) lint
	$(JIT)
	$(PY) -m pytest -q $(PARALLEL) $(PYTEST_ARGS)

# The edit-test loop: no slow, Brian2 or browser tests.
test-fast: $(STAMP)
	$(JIT)
	$(PY) -m pytest -q -m "$(FAST)" $(PARALLEL) $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# A browsable site in site/ with the API reference generated from the docstrings.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

bench: $(STAMP)
	$(VENV)/bin/scrutable bench --out benchmarks/results.json

clean:
	rm -rf $(VENV) build site *.egg-info .pytest_cache
