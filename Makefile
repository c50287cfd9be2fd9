# Two commands set everything up on a fresh machine: `make build` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RESIDENTS ?= 20000
SEED ?= 42
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

.PHONY: build test venv key data lint bench docs clean pg-server serve serve-stop governance screenshots

# The virtual environment, installed from the pinned constraints.
$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# A demo pseudonymisation key, git-ignored, created only if none exists.
key: venv
	$(BIN)/insight-hub key init

# The demo borough, generated only when data/raw is empty.
data: venv
	@if [ -z "$$(ls -A data/raw 2>/dev/null)" ]; then \
	  $(BIN)/insight-hub synth --residents $(RESIDENTS) --seed $(SEED) --out data; \
	else echo "data/raw is not empty: keeping the borough already there"; fi

# The whole pipeline: dbt build, the gate, publishing.
build: venv key data
	$(BIN)/insight-hub build

# PostgreSQL server binaries (Debian's packages) for role tests and `make serve`.
pg-server:
	@scripts/postgres.sh install

test: venv key pg-server
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check insight_hub tests python_models
	$(BIN)/ruff format --check insight_hub tests python_models
	$(BIN)/sqlfluff lint models macros

bench: venv key
	$(BIN)/insight-hub bench all

docs: venv
	$(BIN)/dbt docs generate

governance: venv
	$(BIN)/insight-hub governance check-purposes --parse
	$(BIN)/insight-hub governance site --out site/governance

# PNGs of the governance pack (written by build or governance) for docs/governance.md;
# installs Chromium (Debian's package) if it is missing.
screenshots:
	@scripts/screenshot.sh take site/governance docs/img

# A local PostgreSQL on loopback serving the published marts with the declared roles.
PGDIR ?= warehouse/postgres
PGPORT ?= 55432
serve: venv pg-server
	@test -f warehouse/serving.duckdb || { echo "no warehouse/serving.duckdb: run make build first" >&2; exit 1; }
	@DSN="$$(scripts/postgres.sh start $(PGDIR) $(PGPORT))" && \
	  INSIGHT_HUB_PG_DSN="$$DSN" $(BIN)/insight-hub publish --target postgres && \
	  echo "PostgreSQL serving Insight Hub on 127.0.0.1:$(PGPORT)" && \
	  echo "DSN (superuser): $$DSN" && \
	  echo "demo users <role>_demo; passwords in secrets/postgres-demo-users.env"

serve-stop:
	@scripts/postgres.sh stop $(PGDIR)

clean:
	-scripts/postgres.sh stop $(PGDIR)
	rm -rf target logs warehouse
