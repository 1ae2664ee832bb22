# colonykit — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP_RUN  := $(VENV)/.stamp-run
STAMP_TEST := $(VENV)/.stamp-test
STAMP_BROWSER := $(VENV)/.stamp-browser
STAMP_DOCS := $(VENV)/.stamp-docs
DOCS_OUT ?= build/docs
OUT    ?= out
SCENARIO ?= data/examples/bitbrains_colony.yaml

.PHONY: docs test-minima run test test-fast test-notebooks test-browser bench lint clean install workshop

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml $(STAMP_RUN)
	$(PIP) install --quiet -e '.[test,scale]'
	@# the provisioning targets' own validators (docs/render.md); Feilong/Ansible come from the test
	@# extra.  Present: nothing to do; missing: apt-get as root, otherwise named (their tests skip)
	@.ci/validators.sh $(PY)
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

$(STAMP_BROWSER): pyproject.toml $(STAMP_TEST)
	$(PIP) install --quiet -e '.[test,scale,browser]'
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	touch $@

install: $(STAMP_RUN)

## make run: sizing -> white space -> plan -> provisioning YAML + HTML report in out/
run: $(STAMP_RUN)
	$(VENV)/bin/colonykit run $(SCENARIO) --out $(OUT)

## make lab: JupyterLab (installs the notebook extra) on the quickstart notebook
.PHONY: lab
lab: $(STAMP_RUN)
	$(PIP) install --quiet -e '.[notebook]'
	$(VENV)/bin/jupyter lab notebooks/00_quickstart.ipynb

## make workshop: the dashboard (Voila) for SCENARIO on http://127.0.0.1:8866 until Ctrl-C
workshop: $(STAMP_RUN)
	$(PIP) install --quiet -e '.[workshop]'
	$(VENV)/bin/colonykit workshop $(SCENARIO)

## make test: the default suite (unit, property, doctests, CLI, notebooks); the slow robustness
## tests are in make test-robust, the browser tests in make test-browser (.ci/run runs all three)
test: $(STAMP_TEST)
	$(PY) -m ruff check colonykit tests benchmarks
	$(PY) -m ruff format --check colonykit tests benchmarks docs
	$(PY) -m mypy
	$(PY) -m pytest -n 2 --dist loadfile tests -p no:cacheprovider -m "not robust" \
	  --ignore=tests/test_scale.py; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 1; fi; exit $$rc
	@# the Dask tests in a process of their own: inside the xdist worker, after the rest of the
	@# suite, a Dask computation hung twice with the newest dask/distributed/pyarrow (not alone)
	$(PY) -m pytest -p no:cacheprovider tests/test_scale.py -q
	@# the notebooks run inside the suite: tests/test_notebooks_outputs.py executes each once (one file,
	@# so one xdist worker: kernels never start in parallel) and checks its key numbers against the library

## make test-robust: the slowest robustness tests (kill -9 at every stage of a write, concurrent
## runs, every scenario and plan field mutated): marker robust
.PHONY: test-robust
test-robust: $(STAMP_TEST)
	$(PY) -m pytest -n 2 --dist load tests -p no:cacheprovider -m robust; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no robustness tests collected"; exit 1; fi; exit $$rc

## make test-notebooks: execute every notebook (outside the tree) and check its key numbers
test-notebooks: $(STAMP_TEST)
	$(PY) -m pytest -m notebook tests -p no:cacheprovider; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no notebooks collected"; exit 1; fi; exit $$rc

test-fast: $(STAMP_TEST)
	$(PY) -m pytest -q -x tests -p no:cacheprovider

## make test-browser: real JupyterLab in headless Debian chromium (pytest-playwright)
test-browser: $(STAMP_BROWSER)
	$(PY) -m pytest -p no:cacheprovider -m ui tests/browser --browser chromium; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no browser tests collected"; exit 1; fi; exit $$rc
	$(PY) -m pytest -p no:cacheprovider -q tests/test_report.py -k static_images

## make test-wheel: build the wheel once, install it core-only in a fresh venv outside the tree and
## run --help, init, size, run and report --xlsx there (.ci/wheel_smoke.sh); then the unit suite
## against the same wheel installed with the test-unit extra, run outside the tree
## (.ci/wheel_tests.sh: tests reading the repository's own files skip, saying why; issue 27 §7)
WHEEL_DIR ?= build/wheel
.PHONY: test-wheel
test-wheel: | $(PY)
	rm -rf $(WHEEL_DIR)
	$(PIP) wheel --quiet --no-deps --wheel-dir $(WHEEL_DIR) .
	.ci/wheel_smoke.sh $(WHEEL_DIR) $(PYTHON)
	.ci/wheel_tests.sh $(WHEEL_DIR) $(PYTHON)

## make mutation: mutation testing (mutmut) of the numeric modules, one at a time with their own
## tests; report in build/mutation/report.md; fails when a score falls below .ci/mutation-baseline.json
MUTATION_MODULES ?= sizing measured paging channels memory packing packing.solve packing.fill packing.milp packing.construct packing.search packing.pool packing.anneal packing._anneal_kernel whitespace forecast costs
MUTATION_CHILDREN ?= 2
.PHONY: mutation
mutation: $(STAMP_TEST)
	$(PIP) install --quiet -e '.[mutation]'
	$(PY) .ci/mutation.py --modules $(MUTATION_MODULES) --max-children $(MUTATION_CHILDREN)

## make test-minima: the unit suite at the declared minimum versions (.ci/constraints-min.txt)
MINIMA_VENV ?= .venv-minima
test-minima:
	@test -x $(MINIMA_VENV)/bin/python || $(PYTHON) -m venv $(MINIMA_VENV)
	$(MINIMA_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MINIMA_VENV)/bin/python -m pip install --quiet -e '.[test-unit]' -c .ci/constraints-min.txt
	@# the notebook tests need a Jupyter kernel (nbclient), which the test-unit extra leaves out
	$(MINIMA_VENV)/bin/python -m pytest -n 2 --dist loadfile tests -p no:cacheprovider -m 'not notebook' \
	  --ignore=tests/test_notebooks_outputs.py; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 1; fi; exit $$rc

## make docs: API reference + method notes (Sphinx, numpydoc checks; any warning fails) in DOCS_OUT
$(STAMP_DOCS): pyproject.toml $(STAMP_RUN)
	$(PIP) install --quiet -e '.[docs]'
	touch $@

docs: $(STAMP_DOCS)
	rm -rf $(DOCS_OUT)
	$(PY) -m sphinx -W --keep-going -q -b html docs $(DOCS_OUT)
	@echo "docs: $(DOCS_OUT)/index.html"

## make bench: benchmarks, JSON on stdout
bench: $(STAMP_TEST)
	@$(PY) benchmarks/run.py

## make bench-readme: make bench into benchmarks/results/bench.json, then README's performance table from it
.PHONY: bench-readme
BENCH_JSON ?= benchmarks/results/bench.json
bench-readme: $(STAMP_TEST)
	$(PY) benchmarks/run.py --out $(BENCH_JSON) >/dev/null
	$(PY) benchmarks/readme_table.py $(BENCH_JSON) README.md

## make readme-figures: recompute README's figures of bundled data from the library, rewrite them in place
.PHONY: readme-figures
readme-figures: $(STAMP_TEST)
	$(PY) benchmarks/readme_figures.py README.md

lint: $(STAMP_TEST)
	$(PY) -m ruff check colonykit tests benchmarks
	$(PY) -m ruff format --check colonykit tests benchmarks docs
	$(PY) -m mypy

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build *.egg-info
