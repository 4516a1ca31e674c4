# socklock: every target sets itself up on a fresh machine (python3, pip and apt only).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NCA_VENV := .venv-nca
NCA_STAMP := $(NCA_VENV)/.installed
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
APT_PACKAGES := nftables iproute2 openssl chromium chromium-driver kubernetes-client
CYTOSCAPE_VERSION := 3.35.0
ASSETS := src/socklock/report/assets
PYTEST_ARGS ?=

.PHONY: demo test lint bench lock clean debs debs-lab fmt docs nca checkov schemas assets

$(STAMP): requirements-dev.txt requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Debian packages the lab and the tests need (chromium: the HTML report's browser test;
# kubernetes-client: kubectl, whose `kubectl kustomize` renders kustomizations); installed
# only when missing.
debs:
	@missing=""; \
	command -v nft >/dev/null || missing="$$missing nftables"; \
	command -v ip >/dev/null || missing="$$missing iproute2"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	command -v kubectl >/dev/null || missing="$$missing kubernetes-client"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The two the lab needs (make demo as root), installed only when missing.
debs-lab:
	@missing=""; \
	command -v nft >/dev/null || missing="$$missing nftables"; \
	command -v ip >/dev/null || missing="$$missing iproute2"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# network-config-analyzer pins old PyYAML/networkx: it lives in its own venv.
$(NCA_STAMP): requirements-nca.txt
	$(PYTHON) -m venv $(NCA_VENV)
	$(NCA_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-nca.txt
	touch $@

nca: $(NCA_STAMP)

# checkov (the reference of the harden benchmarks, and the independent restricted-profile
# check of benchmarks/fixer_proof.py) pins its own dependencies: its own venv too.
$(CHECKOV_STAMP): requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-checkov.txt
	touch $@

checkov: $(CHECKOV_STAMP)

# As root, the demo also runs the shop for real in the lab (socklock demo --lab).
demo: $(STAMP)
	@if [ "$$(id -u)" = 0 ]; then \
	  $(MAKE) --no-print-directory debs-lab && $(VENV)/bin/socklock demo --lab; \
	else \
	  $(VENV)/bin/socklock demo; status=$$?; \
	  echo "(as root, make demo also runs the shop for real in the lab: sudo make demo)"; \
	  exit $$status; \
	fi

test: $(STAMP) debs nca
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

schemas: $(STAMP)
	$(PY) -m socklock.schemas.publish schemas

# docs/rules/ is generated from the rule registry (a test checks it is current).
docs: $(STAMP)
	$(PY) -m socklock.harden.docs

bench: $(STAMP) debs nca checkov
	$(PY) -m benchmarks
	SOCKLOCK_NCA_EXAMPLES=200 $(PY) -m pytest -m nca tests/policy
	SOCKLOCK_FUZZ_EXAMPLES=5000 $(PY) -m pytest tests/hostile/test_loader_fuzz.py

# Regenerate the hash-pinned requirements files (no registry host is written into them).
lock:
	$(PYTHON) -m pip install --quiet uv
	cd requirements && UV_PYTHON_DOWNLOADS=never $(PYTHON) -m uv pip compile --python-version 3.11 --generate-hashes --no-header --quiet runtime.in -o ../requirements.txt
	cd requirements && UV_PYTHON_DOWNLOADS=never $(PYTHON) -m uv pip compile --python-version 3.11 --generate-hashes --no-header --quiet dev.in -o ../requirements-dev.txt
	cd requirements && UV_PYTHON_DOWNLOADS=never $(PYTHON) -m uv pip compile --python-version 3.11 --generate-hashes --no-header --quiet checkov.in -o ../requirements-checkov.txt

# The HTML report's graph library, vendored from npm (npm pack checks the registry's
# integrity); NOTICE records its version and sha256, which a test compares.
assets:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	(cd "$$tmp" && npm pack --silent cytoscape@$(CYTOSCAPE_VERSION) >/dev/null \
	  && tar xzf cytoscape-$(CYTOSCAPE_VERSION).tgz) \
	&& cp "$$tmp/package/dist/cytoscape.min.js" $(ASSETS)/cytoscape.min.js \
	&& cp "$$tmp/package/LICENSE" $(ASSETS)/cytoscape.LICENSE \
	&& sha256sum $(ASSETS)/cytoscape.min.js

clean:
	rm -rf $(VENV) $(NCA_VENV) $(CHECKOV_VENV) out .pytest_cache .mypy_cache .ruff_cache
