# kamanalysis — two commands from a fresh clone: `make report` and `make test`.
# Both create .venv on first use and install the pinned set from requirements.lock
# (the dev tools and the optional Dask extra included, so `make test` covers --scheduler).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data/sample
# the fast tests on every core, four at most (each worker loads the sample once)
XDIST  ?= -n auto --maxprocesses 4
OUT    ?= reports

LOWEST := .venv-lowest

# Python keeps the package's and the tests' compiled bytecode (__pycache__/, ignored by git):
# the kernels, pool workers and test processes after the first load kamanalysis compiled. A
# shell that sets PYTHONDONTWRITEBYTECODE (this workplace's do) would have every one of them
# compile it anew.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install report test test-lowest check lint format lock sample notebooks bench clean

help:
	@echo "make report   run the diagnosis on $(DATA), writing HTML reports to $(OUT)/"
	@echo "make test     lint, then the whole suite (pytest, doctests, notebook tests)"
	@echo "make check    lint, then the fast tests: none that starts a kernel, runs a batch or a notebook"
	@echo "make test-lowest  the fast tests and the report batch with the lowest versions pyproject allows"
	@echo "make lock     re-resolve the dependencies and rewrite requirements.lock"
	@echo "make sample   regenerate data/sample with the seeded generator"
	@echo "make notebooks  re-execute the tour and the teaching notebooks, storing their new outputs"
	@echo "make bench    run the benchmarks under bench/"

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml scripts/system-deps.sh
	sh scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/kam report $(DATA) --out $(OUT)

# the fast tests spread over the cores (pytest-xdist), then the slow ones too, by groups
# (tests/conftest.py, BatchScheduling): the tests on the shared batch runs of the sample in one
# worker, so the sample is run once; each notebook's cells in one worker (they share its kernel)
test: $(STAMP) lint
	MPLBACKEND=Agg $(BIN)/python -m pytest -m "not slow" $(XDIST)
	MPLBACKEND=Agg $(BIN)/python -m pytest -m slow $(XDIST) --dist loadgroup

# the direct dependencies at the lowest versions pyproject.toml allows (constraints-lowest.txt,
# checked against pyproject by tests/test_lowest.py), the rest resolved by pip, in .venv-lowest
$(LOWEST)/.installed: constraints-lowest.txt pyproject.toml
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -c constraints-lowest.txt -e '.[dev,dask]'
	@touch $@

# the fast tests, then the report batch (tests/test_batch.py renders real reports: what the
# old bounds let through was nbconvert 7.16.0-7.16.4, with which every report failed)
test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -m pip check --disable-pip-version-check
	MPLBACKEND=Agg $(LOWEST)/bin/python -m pytest -m "not slow" $(XDIST)
	MPLBACKEND=Agg $(LOWEST)/bin/python -m pytest tests/test_batch.py

# the tests marked slow (tests/conftest.py: kernels, batches, the wheel, the notebooks) left out
check: $(STAMP) lint
	MPLBACKEND=Agg $(BIN)/python -m pytest -m "not slow" $(XDIST)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip setuptools
	.lock-venv/bin/python -m pip install --quiet -e '.[dev,dask]'
	.lock-venv/bin/python -m pip freeze --all --exclude-editable \
	  | grep -v -e '^pip==' -e '^kamanalysis' > requirements.lock
	rm -rf .lock-venv

sample: $(STAMP)
	$(BIN)/kam sample data/sample --force

# notebooks/nbconvert.json keeps what a run changes out of the files (cell timings, the
# kernel's version; split stream outputs are merged): an unchanged notebook leaves git diff empty.
notebooks: $(STAMP)
	for nb in notebooks/00_tour.ipynb notebooks/teaching/*.ipynb; do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --config notebooks/nbconvert.json "$$nb" || exit 1; \
	done

bench: $(STAMP)
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/accounts.py
	$(BIN)/python bench/report_batch.py

clean:
	rm -rf $(VENV) $(LOWEST) .lock-venv build
	find $(OUT) -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
