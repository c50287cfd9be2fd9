"""A small synthetic borough staged once per test session, and a dbt runner for it.

`staged` generates a borough (1,000 residents, seed 7) into a temporary folder, copies its
extracts to a raw folder the tests may break, and runs ``dbt build`` on staging and the
audit models (every model upstream of models/audit, their unit and data tests) into a
temporary warehouse with a test pseudonymisation key. A copy of that warehouse is kept for
the read-only tests, so tests that break extracts and rebuild do not disturb them.

dbt runs in-process (dbt.cli.main.dbtRunner). Every invocation uses the same vars, profile
and target path, so dbt's partial parsing keeps the later invocations quick; the DuckDB
environment dbt-duckdb caches per process is closed after each one (it holds the warehouse
file open and the key it was created with).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
# The dbt project to run (the work tree; a copy may be named while developing).
PROJECT_DIR = Path(os.environ.get("INSIGHT_HUB_STAGING_TEST_PROJECT", ROOT))
RESIDENTS = 1000
SEED = 7
TEST_KEY = "insight-hub-staging-test-key-" + "c3" * 24
OTHER_KEY = "insight-hub-staging-other-key-" + "7e" * 24
SELECT_STAGING = "+path:models/audit"


@dataclass
class Run:
    success: bool
    messages: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


def reset_duckdb_environment() -> None:
    """Close the DuckDB environment dbt-duckdb keeps per process (file lock, plugin key)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    env = DuckDBConnectionManager._ENV
    if env is not None:
        with contextlib.suppress(Exception):  # closing is best effort
            env.close()
    DuckDBConnectionManager._ENV = None


@dataclass
class Project:
    """Where the test borough lives and how dbt is run against it."""

    base: Path
    borough: Path  # the generated borough (pristine): raw/ and truth/
    raw: Path  # the raw folder dbt reads (tests may break files here)
    warehouse: Path
    target: Path
    logs: Path

    @property
    def truth(self) -> Path:
        return self.borough / "truth"

    def dbt(self, *args: str, key: str | None = TEST_KEY) -> Run:
        """Run one dbt command in-process from the project root; collect its messages."""
        from dbt.cli.main import dbtRunner

        messages: list[str] = []

        def collect(event) -> None:
            if event.info.level in ("error", "warn") or event.info.name in ("RunResultError",):
                messages.append(event.info.msg)

        saved = {
            k: os.environ.get(k)
            for k in ("INSIGHT_HUB_KEY", "INSIGHT_HUB_KEY_FILE", "INSIGHT_HUB_WAREHOUSE")
        }
        os.environ["INSIGHT_HUB_WAREHOUSE"] = str(self.warehouse)
        os.environ["DO_NOT_TRACK"] = "1"
        if key is None:
            os.environ.pop("INSIGHT_HUB_KEY", None)
            os.environ["INSIGHT_HUB_KEY_FILE"] = str(self.base / "no-such.key")
        else:
            os.environ["INSIGHT_HUB_KEY"] = key
            os.environ.pop("INSIGHT_HUB_KEY_FILE", None)
        cwd = Path.cwd()
        try:
            os.chdir(PROJECT_DIR)
            result = dbtRunner(callbacks=[collect]).invoke(
                [
                    *args,
                    "--vars",
                    json.dumps({"raw_path": str(self.raw)}),
                    "--target-path",
                    str(self.target),
                    "--log-path",
                    str(self.logs),
                    "--profiles-dir",
                    str(PROJECT_DIR),
                    "--project-dir",
                    str(PROJECT_DIR),
                ]
            )
        finally:
            os.chdir(cwd)
            reset_duckdb_environment()
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        if result.exception is not None:
            messages.append(str(result.exception))
        for r in getattr(result.result, "results", None) or []:
            if r.message:
                messages.append(f"{r.node.name}: {r.message}")
        return Run(bool(result.success), messages)

    def restore_raw(self) -> None:
        shutil.rmtree(self.raw, ignore_errors=True)
        shutil.copytree(self.borough / "raw", self.raw)

    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text())


@contextmanager
def connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> Project:
    from insight_hub.synth import SynthConfig, generate

    base = tmp_path_factory.mktemp("staging")
    borough = base / "borough"
    generate(SynthConfig(residents=RESIDENTS, seed=SEED, out=borough))
    p = Project(
        base=base,
        borough=borough,
        raw=base / "raw",
        warehouse=base / "warehouse.duckdb",
        target=base / "target",
        logs=base / "logs",
    )
    p.restore_raw()
    return p


@pytest.fixture(scope="session")
def staged(project: Project) -> Path:
    """Build staging + audit once; return a read-only copy of the built warehouse."""
    run = project.dbt("build", "--select", SELECT_STAGING)
    if not run.success:
        pytest.fail("dbt build of staging failed:\n" + run.text[-4000:], pytrace=False)
    copy = project.base / "staged.duckdb"
    shutil.copy(project.warehouse, copy)
    return copy
