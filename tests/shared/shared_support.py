"""What the tests of the partner aggregates share: the tables, as their gate suites declare them,
and how to run dbt on a test warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SUITES = ROOT / "expectations" / "suites" / "shared"
MODELS = ROOT / "models" / "marts" / "shared"
TEST_KEY = "insight-hub-shared-test-key-" + "6b" * 24


@dataclass(frozen=True)
class SharedTable:
    """One partner aggregate, as its gate suite declares it."""

    name: str  # table name in schema shared (= the dbt model)
    dimensions: list[str]
    count: str
    total: object
    threshold: int
    rounding: int | None
    suite: dict

    @property
    def table(self) -> str:
        return f"shared.{self.name}"

    @property
    def counted(self) -> str:
        """The private model of its true counts (schema intermediate)."""
        return f"int_{self.name.removeprefix('shared_')}__counted"

    @property
    def status(self) -> str:
        return self.count + "_status"


def load_shared_tables() -> list[SharedTable]:
    out = []
    for path in sorted(SUITES.glob("*.yml")):
        suite = yaml.safe_load(path.read_text())
        d = suite["disclosure"]
        (count,) = d["counts"]
        out.append(
            SharedTable(
                name=suite["table"].split(".", 1)[1],
                dimensions=list(d["dimensions"]),
                count=count,
                total=d.get("total"),
                threshold=int(d.get("threshold") or 10),
                rounding=d.get("rounding"),
                suite=suite,
            )
        )
    return out


SHARED_TABLES = load_shared_tables()


@dataclass(frozen=True)
class Built:
    warehouse: Path
    target: Path
    seconds: float

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


def run_dbt(warehouse: Path, target: Path, *args: str) -> subprocess.CompletedProcess:
    cmd = [
        str(BIN / "dbt"),
        *args,
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]
    return subprocess.run(cmd, cwd=ROOT, env=_env(warehouse), capture_output=True, text=True)


def read(con, relation: str):
    """A table or view as pandas, dates as datetime.date (None where NULL)."""
    return con.sql(f"select * from {relation}").to_arrow_table().to_pandas(date_as_object=True)
