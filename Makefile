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

# Debian packages of the single-node SLURM the cluster test brings up (tests/cluster/).
CLUSTER_PACKAGES := slurm-wlm munge

.PHONY: setup system-packages cluster-packages demo test lint dag bench clean

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

# For the SLURM test only (CI runs it); without them that test is skipped and says why.
cluster-packages:
	@missing=""; for p in $(CLUSTER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
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

# Style gates first (ruff, snakefmt, snakemake --lint, the import contract, mypy), then the tests.
test: lint
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check src tests workflow/scripts benchmarks
	$(VENV)/bin/ruff format --check src tests workflow/scripts benchmarks
	$(VENV)/bin/snakefmt --check Snakefile workflow/rules
	$(SNAKEMAKE) --lint
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

# Rule graph and job DAG of the demo and full configs up to DAG_TARGET, as SVG under dag/ (the
# .dot beside them), and the demo rule graph shown in the README as docs/rulegraph.svg.
# `--rulegraph dot` and `--configfile=...` spelled out: both options take values and would
# otherwise swallow the next word. Graphs go to a file before dot, so a failing snakemake
# stops make instead of leaving an empty SVG. Other targets: e.g.
# `make dag DAG_TARGET="run_report extract_features"` adds every dataset's features.
DAG_TARGET ?= run_report
dag: setup
	mkdir -p dag docs
	for config in demo:config/config.yaml full:config/full.yaml; do \
		name=$${config%%:*}; file=$${config#*:}; \
		for graph in rulegraph dag; do \
			$(SNAKEMAKE) --configfile=$$file --$$graph dot $(DAG_TARGET) > dag/$$graph-$$name.dot \
			&& dot -Tsvg dag/$$graph-$$name.dot -o dag/$$graph-$$name.svg || exit 1; \
		done; \
	done
	cp dag/rulegraph-demo.svg docs/rulegraph.svg

# The performance suite: one table of every hot path against its peer (benchmarks/README.md).
bench: setup
	$(VENV)/bin/python benchmarks/run.py

clean:
	rm -rf results logs .snakemake dag
