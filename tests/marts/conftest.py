"""One small synthetic borough, built once per test session through the single-view marts.

The fixture generates a borough (``insight-hub synth``, 3,000 residents by default) into a
temporary folder, then runs ``dbt build`` on everything upstream of the single-view marts and
the marts themselves (data tests excluded: tests/marts/test_dbt_tests.py runs the marts' own)
into a temporary warehouse with a test pseudonymisation key. Nothing in the work tree's
``warehouse/`` or ``target/`` is touched.

To reuse an already built borough (e.g. while developing), point
``INSIGHT_HUB_MARTS_TEST_DIR`` at a folder holding ``warehouse.duckdb``, ``data/raw``,
``data/truth`` and ``target/manifest.json`` built with the key in ``INSIGHT_HUB_KEY``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RESIDENTS = int(os.environ.get("INSIGHT_HUB_MARTS_TEST_RESIDENTS", "3000"))
SEED = 7
TEST_KEY = "insight-hub-marts-test-key-" + "5a" * 24
MARTS_SELECTOR = "path:models/marts/single_view"


@dataclass(frozen=True)
class Borough:
    """A built borough: where its warehouse, extracts, truth and dbt artifacts are."""

    base: Path
    warehouse: Path
    raw: Path
    truth: Path
    target: Path
    env: dict[str, str]

    def dbt(self, *args: str) -> subprocess.CompletedProcess:
        """Run dbt against this borough's warehouse (from the project root)."""
        cmd = [
            str(BIN / "dbt"),
            *args,
            "--vars",
            json.dumps({"raw_path": str(self.raw)}),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.base / "logs"),
        ]
        return subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True)

    @property
    def manifest(self) -> dict:
        return json.loads((self.target / "manifest.json").read_text())


def _env(warehouse: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        INSIGHT_HUB_WAREHOUSE=str(warehouse),
    )
    env.setdefault("INSIGHT_HUB_KEY", TEST_KEY)
    env.pop("INSIGHT_HUB_KEY_FILE", None)
    return env


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
        pytest.fail(f"{what} failed (exit {result.returncode}):\n{tail}", pytrace=False)


@pytest.fixture(scope="session")
def borough(tmp_path_factory) -> Borough:
    prebuilt = os.environ.get("INSIGHT_HUB_MARTS_TEST_DIR")
    if prebuilt:
        base = Path(prebuilt).resolve()
        return Borough(
            base=base,
            warehouse=base / "warehouse.duckdb",
            raw=base / "data" / "raw",
            truth=base / "data" / "truth",
            target=base / "target",
            env=_env(base / "warehouse.duckdb"),
        )
    base = tmp_path_factory.mktemp("marts_borough")
    b = Borough(
        base=base,
        warehouse=base / "warehouse.duckdb",
        raw=base / "data" / "raw",
        truth=base / "data" / "truth",
        target=base / "target",
        env=_env(base / "warehouse.duckdb"),
    )
    synth = subprocess.run(
        [
            str(BIN / "insight-hub"),
            "synth",
            "--residents",
            str(RESIDENTS),
            "--seed",
            str(SEED),
            "--out",
            str(base / "data"),
        ],
        cwd=ROOT,
        env=b.env,
        capture_output=True,
        text=True,
    )
    _check(synth, "insight-hub synth")
    build = b.dbt(
        "build",
        "--select",
        f"+{MARTS_SELECTOR}",
        # every intermediate model too (the purpose-specific ones no single-view mart reads),
        # since test_dbt_tests runs the tests of path:models/intermediate
        "+path:models/intermediate",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
    )
    _check(build, "dbt build of the single-view marts and their upstream")
    return b


@pytest.fixture(scope="session")
def con(borough):
    """A read-only connection to the borough's warehouse (what BI tools get)."""
    connection = duckdb.connect(str(borough.warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def mart_tables(con) -> list[str]:
    """Every table (and view) in the marts schema."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "order by table_name"
    ).fetchall()
    return [r[0] for r in rows]
