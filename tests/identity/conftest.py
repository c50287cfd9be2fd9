"""A small synthetic borough built through staging and the identity layer, several times.

The session fixture `identity_builds` generates a ~1,500-resident borough in a temporary
folder, then runs dbt (seeds, staging, identity) into one temporary warehouse file, as a
council would build after build, so that the key registry carries over:

  subset   the borough with ~5% of the person records held back
  full     the whole borough (about 5% more records than `subset`)
  again    the whole borough once more (same data)
  merged   the whole borough with the match threshold lowered (var identity_match_threshold),
           so that clusters merge and the registry must retire keys

After each build it snapshots what the tests compare. Nothing here touches data/raw or the
project's warehouse or target folders.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(os.environ.get("IDN_TEST_PROJECT_DIR", Path(__file__).resolve().parents[2]))
RESIDENTS = int(os.environ.get("IDN_TEST_RESIDENTS", "1500"))
SEED = 11
TEST_KEY = "identity-tests-" + "0123456789abcdef" * 3
HELD_BACK_EVERY = 20  # hold back 1 in 20 person records (5%) for the `subset` build


@dataclass
class Build:
    name: str
    record_keys: dict[str, str] = field(default_factory=dict)  # record_key -> person_key
    registry: dict[str, str] = field(default_factory=dict)
    successors: list[tuple] = field(default_factory=list)
    objections: set[tuple] = field(default_factory=set)
    households: dict[str, str | None] = field(default_factory=dict)  # person_key -> household


@dataclass
class IdentityBuilds:
    root: Path
    borough: Path
    warehouse: Path
    target: Path
    builds: dict[str, Build]
    truth: Path

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.warehouse), read_only=True)


def _dbt(args: list[str], env: dict, root: Path) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    cmd = [str(dbt), *args, "--target-path", str(root / "target"), "--log-path", str(root / "logs")]
    result = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}")


def _person_files(truth: Path) -> set[str]:
    """source_file names of the person-bearing extracts (those the truth lists records of)."""
    with (truth / "records.csv").open(newline="", encoding="utf-8") as fh:
        return {row["source_file"] for row in csv.DictReader(fh)}


def _hold_back(raw: Path, subset: Path, person_files: set[str]) -> None:
    """Copy raw to subset, dropping every HELD_BACK_EVERY-th person record (by a hash of the
    row, so the choice is stable)."""
    for src in raw.rglob("*.csv"):
        dst = subset / src.relative_to(raw)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.stem not in person_files:
            dst.write_bytes(src.read_bytes())
            continue
        with (
            src.open(newline="", encoding="utf-8") as fin,
            dst.open("w", newline="", encoding="utf-8") as fout,
        ):
            reader = csv.reader(fin)
            writer = csv.writer(fout, quoting=csv.QUOTE_MINIMAL)
            writer.writerow(next(reader))
            for row in reader:
                if zlib.crc32(",".join(row).encode()) % HELD_BACK_EVERY != 0:
                    writer.writerow(row)


def _snapshot(name: str, warehouse: Path) -> Build:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        build = Build(name)
        build.record_keys = dict(
            con.execute("select record_key, person_key from identity.idn_record_keys").fetchall()
        )
        build.registry = dict(
            con.execute(
                "select record_key, person_key from identity.idn_person_key_registry"
            ).fetchall()
        )
        build.successors = con.execute(
            "select retired_key, successor_key, reason from identity.idn_person_key_successors"
        ).fetchall()
        build.households = dict(
            con.execute(
                "select person_key, household_key from identity.idn_person_households"
            ).fetchall()
        )
        build.objections = set(
            con.execute(
                "select person_key, processing from identity.idn_person_objections"
            ).fetchall()
        )
    finally:
        con.close()
    return build


@pytest.fixture(scope="session")
def identity_builds(tmp_path_factory) -> IdentityBuilds:
    root = tmp_path_factory.mktemp("identity_borough")
    borough = root / "borough"
    env = dict(
        os.environ,
        INSIGHT_HUB_KEY=TEST_KEY,
        INSIGHT_HUB_WAREHOUSE=str(root / "warehouse.duckdb"),
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
    )
    env.pop("INSIGHT_HUB_KEY_FILE", None)
    subprocess.run(
        [sys.executable, "-m", "insight_hub.cli", "synth", "--residents", str(RESIDENTS),
         "--seed", str(SEED), "--out", str(borough), "--quiet"],
        cwd=PROJECT_DIR, env=env, check=True,
    )  # fmt: skip
    _hold_back(borough / "raw", root / "subset_raw", _person_files(borough / "truth"))

    select = ["--select", "+path:models/identity", "+path:python_models/identity"]
    _dbt(["seed", "--quiet"], env, root)
    builds: dict[str, Build] = {}
    plan = [
        ("subset", {"raw_path": str(root / "subset_raw")}),
        ("full", {"raw_path": str(borough / "raw")}),
        ("again", {"raw_path": str(borough / "raw")}),
        ("merged", {"raw_path": str(borough / "raw"), "identity_match_threshold": 0.2}),
    ]
    for name, dbt_vars in plan:
        _dbt(["run", "--quiet", *select, "--vars", json.dumps(dbt_vars)], env, root)
        builds[name] = _snapshot(name, Path(env["INSIGHT_HUB_WAREHOUSE"]))
        if name == "full":
            # keep a copy of the warehouse as built from the full borough, for the
            # evaluation and objection tests (later builds change its keys)
            full_copy = root / "warehouse_full.duckdb"
            full_copy.write_bytes(Path(env["INSIGHT_HUB_WAREHOUSE"]).read_bytes())
    return IdentityBuilds(
        root=root,
        borough=borough,
        warehouse=root / "warehouse_full.duckdb",
        target=root / "target",
        builds=builds,
        truth=borough / "truth",
    )
