"""The prediction marts as dbt models, on a small fixture warehouse (no borough build).

The fixture holds only what the prediction models read (mart_household_needs from the
synthetic frame, dim_household, dim_resident, dim_resident_protected and the TA placements
intermediate); ``dbt build --select`` the prediction models and their data tests into it, then
checks that every table has exactly the declared columns and types and that the marts agree
with each other.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from insight_hub.prediction.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEST_KEY = "insight-hub-prediction-test-key-" + "7c" * 24
SELECT = ["path:python_models/prediction", "path:models/marts/prediction"]

pytestmark = pytest.mark.slow


def _fixture(path: Path, needs: pd.DataFrame) -> None:
    rng = np.random.default_rng(3)
    keys = needs["household_key"].drop_duplicates().to_numpy()
    people = pd.DataFrame(
        {
            "person_key": [f"p{i:07d}" for i in range(len(keys) * 2)],
            "household_key": np.repeat(keys, 2),
            "age_band": rng.choice(
                ["5-10", "18-24", "25-34", "35-49", "50-64", "75+"], len(keys) * 2
            ),
            "sex": rng.choice(["F", "M", None], len(keys) * 2, p=[0.49, 0.49, 0.02]),
        }
    )
    protected = pd.DataFrame(
        {
            "person_key": people["person_key"],
            "ethnicity_group": rng.choice(
                [
                    "White",
                    "Asian or Asian British",
                    "Black, Black British, Caribbean or African",
                    None,
                ],
                len(people),
                p=[0.4, 0.15, 0.1, 0.35],
            ),
            "disability": rng.choice([True, False, None], len(people), p=[0.05, 0.05, 0.9]),
        }
    )
    starts = needs.loc[needs["in_temporary_accommodation"], ["household_key", "month"]]
    placed = pd.DataFrame(
        {
            "record_key": [f"r{i}" for i in range(len(starts))],
            "person_key": "p",
            "household_key": starts["household_key"].to_numpy(),
            "start_date": (
                pd.to_datetime(starts["month"])
                + pd.to_timedelta(rng.integers(0, 27, len(starts)), unit="D")
            ).dt.date,
            "predictive_objection": False,
        }
    ).drop_duplicates("household_key")
    con = duckdb.connect(str(path))
    for schema in ("marts", "intermediate"):
        con.execute(f"create schema {schema}")
    tables = {
        "marts.mart_household_needs": needs.drop(columns=["p_true"]).assign(
            month=pd.to_datetime(needs["month"]).dt.date
        ),
        "marts.dim_household": needs[
            ["household_key", "ward_code", "predictive_objection"]
        ].drop_duplicates("household_key"),
        "marts.dim_resident": people,
        "marts.dim_resident_protected": protected,
        "intermediate.int_temporary_accommodation__placed": placed,
    }
    for name, frame in tables.items():
        con.register("t", frame)
        con.execute(f"create table {name} as select * from t")
        con.unregister("t")
    con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory, needs):
    base = tmp_path_factory.mktemp("prediction_dbt")
    warehouse = base / "warehouse.duckdb"
    _fixture(warehouse, needs)
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "INSIGHT_HUB_WAREHOUSE": str(warehouse),
        "OMP_NUM_THREADS": "1",
    }
    env.setdefault("INSIGHT_HUB_KEY", TEST_KEY)
    env.pop("INSIGHT_HUB_KEY_FILE", None)
    cmd = [
        str(BIN / "dbt"),
        "build",
        "--select",
        *SELECT,
        "--target-path",
        str(base / "target"),
        "--log-path",
        str(base / "logs"),
        "--vars",
        '{"prevention_capacity": 50}',
    ]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-40:])
        pytest.fail(f"dbt build of the prediction models failed:\n{tail}", pytrace=False)
    return warehouse


def test_built_tables_have_the_declared_columns_and_types(built):
    con = duckdb.connect(str(built), read_only=True)
    try:
        for name, spec in SCHEMAS.items():
            cols = con.execute(f"describe marts.{name}").fetchall()
            got = [(c[0], c[1].lower()) for c in cols]
            assert got == list(spec.items()), name
            assert con.execute(f"select count(*) from marts.{name}").fetchone()[0] > 0, name
    finally:
        con.close()


def test_marts_agree(built, needs):
    con = duckdb.connect(str(built), read_only=True)
    try:
        risk = con.sql("select * from marts.mart_homelessness_risk").df()
        hold = con.sql("select * from marts.mart_risk_holdout").df()
        metrics = con.sql("select * from marts.mart_risk_model_metrics").df()
        fair = con.sql("select * from marts.mart_risk_fairness").df()
    finally:
        con.close()
    objectors = set(needs.loc[needs["predictive_objection"], "household_key"])
    assert not objectors & set(risk["household_key"])
    assert (risk["band"] == "High").sum() == 50  # the var reached the Python model
    assert metrics.loc[metrics["metric"] == "capacity", "value"].iloc[0] == 50
    scored = metrics.loc[metrics["metric"] == "scored_households", "value"].iloc[0]
    assert scored == len(risk)
    # backtest and production share the specification hash, differ in the cut-off
    spec = lambda v: v.rsplit("-cut", 1)[0]  # noqa: E731
    assert spec(risk["model_version"].iloc[0]) == spec(hold["model_version"].iloc[0])
    assert risk["model_version"].iloc[0] != hold["model_version"].iloc[0]
    assert set(fair["model_version"]) == set(hold["model_version"])
    assert (fair.loc[fair["suppressed"], "selection_rate"].isna()).all()
