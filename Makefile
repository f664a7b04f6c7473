# Two entry points for people (see README.md): `make demo` and `make test`.
# Everything else here is a step they depend on, or a convenience (dag, bench, lint).

VENV ?= .venv
PYTHON ?= python3
CORES ?= 8
# Extra pip options for torch, e.g. TORCH_PIP_OPTS="--index-url https://download.pytorch.org/whl/cpu"
# on a machine where PyPI's default torch would be a multi-GB CUDA build you do not want.
TORCH_PIP_OPTS ?=
# Debian packages the demo reads (WordNet, Tux Paint stamps), renders with (cairo, graphviz).
APT_PACKAGES := wordnet-base wordnet-sense-index tuxpaint-stamps-default graphviz libcairo2
SNAKEMAKE := $(VENV)/bin/snakemake
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages demo test lint dag bench clean

setup: system-packages $(VENV)/.installed

# Installs the Debian packages that are missing, when apt-get exists; elsewhere it says what to install.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	else \
		echo "apt-get not found: install the equivalents of:$$missing" >&2; \
	fi

# torch goes in first, pinned, so that nothing later pulls an unpinned (CUDA) build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q $(TORCH_PIP_OPTS) torch==2.13.0
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(SNAKEMAKE) --cores $(CORES) results/tables/table1.csv

# Style gates first (ruff, snakefmt, snakemake --lint), then the test suite.
test: lint
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests workflow/scripts benchmarks
	$(VENV)/bin/ruff format --check src tests workflow/scripts benchmarks
	$(VENV)/bin/snakefmt --check Snakefile workflow/rules
	$(SNAKEMAKE) --lint

# Rule graph and job DAG of the demo and full configs, as SVG under dag/.
dag: setup
	mkdir -p dag
	$(SNAKEMAKE) --rulegraph results/tables/table1.csv | dot -Tsvg > dag/rulegraph-demo.svg
	$(SNAKEMAKE) --dag results/tables/table1.csv | dot -Tsvg > dag/dag-demo.svg
	$(SNAKEMAKE) --configfile config/full.yaml --rulegraph results/tables/table1.csv | dot -Tsvg > dag/rulegraph-full.svg
	$(SNAKEMAKE) --configfile config/full.yaml --dag results/tables/table1.csv | dot -Tsvg > dag/dag-full.svg

bench: setup
	for script in benchmarks/bench_*.py; do $(VENV)/bin/python $$script || exit 1; done

clean:
	rm -rf results logs .snakemake dag
