"""The partner aggregates (models/marts/shared), built once per session on a fixture.

The fixture warehouse (tests/shared/fixture_borough.py) holds mart-shaped tables; the session
runs ``dbt run --select path:models/marts/shared`` on it (the true-count views in schema
intermediate and the suppressed tables in schema shared) into a temporary target. Nothing in
the work tree's ``warehouse/`` or ``target/`` is touched.

To test a warehouse that is already built (the 20,000-resident borough, say), point
``INSIGHT_HUB_SHARED_TEST_DIR`` at a folder holding ``warehouse.duckdb`` (with the shared
tables and the int_*__counted views) and ``target/manifest.json``; the suites and the checks
are the same. The warehouse is copied first: the tests never write to it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb
import fixture_borough  # tests/shared is on sys.path (pytest's rootdir-less conftest import)
import pytest
from shared_support import SHARED_TABLES, Built, read, run_dbt


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    base = tmp_path_factory.mktemp("shared")
    prebuilt = os.environ.get("INSIGHT_HUB_SHARED_TEST_DIR")
    if prebuilt:
        src = Path(prebuilt).resolve()
        shutil.copy(src / "warehouse.duckdb", base / "warehouse.duckdb")
        return Built(base / "warehouse.duckdb", src / "target", 0.0)
    warehouse = fixture_borough.build(base / "warehouse.duckdb")
    t0 = time.perf_counter()
    result = run_dbt(warehouse, base / "target", "run", "--select", "path:models/marts/shared")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        pytest.fail(f"dbt run of models/marts/shared failed:\n{tail}", pytrace=False)
    return Built(warehouse, base / "target", time.perf_counter() - t0)


@pytest.fixture(scope="session")
def con(built):
    connection = duckdb.connect(str(built.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def published(con) -> dict[str, object]:
    """Each shared table as published."""
    return {t.name: read(con, t.table) for t in SHARED_TABLES}


@pytest.fixture(scope="session")
def true_counts(con) -> dict[str, object]:
    """Each shared table's true counts (its private int_*__counted view)."""
    return {t.name: read(con, f"intermediate.{t.counted}") for t in SHARED_TABLES}
