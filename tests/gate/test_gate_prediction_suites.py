"""The committed prediction suites (expectations/suites/prediction) on a small fake warehouse.

The prediction marts are made by the project's own code (insight_hub.prediction: metric rows,
fairness table with its suppression, TA forecast and backtest, the schemas' conform) from
random but well-formed inputs, so a good build must pass every suite; then one mart at a time
is broken the way a bug would break it, and the gate must refuse to publish.
Also: the k of dim_resident's model and of the gate agree, and so do the fairness minimums.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import yaml

from insight_hub.gate.run import gate_and_publish
from insight_hub.prediction import fairness, forecast, pipeline
from insight_hub.prediction.schemas import conform

REPO = Path(__file__).resolve().parents[2]
SUITES = REPO / "expectations" / "suites"
GATE_YML = REPO / "expectations" / "gate.yml"
PREDICTION_MARTS = {
    "mart_homelessness_risk",
    "mart_risk_holdout",
    "mart_risk_model_metrics",
    "mart_risk_fairness",
    "mart_ta_forecast",
    "mart_ta_forecast_metrics",
    "mart_ta_placements_monthly",
}
HOUSEHOLDS = 400
CAPACITY = 20
MONTHS = pd.date_range("2025-10-01", periods=6, freq="MS")
WARDS = [f"E0509900{i}" for i in range(1, 5)]


def _key(i: int) -> str:
    return hashlib.sha256(f"household-{i}".encode()).hexdigest()


def _marts(rng: np.random.Generator) -> dict[str, pa.Table | pd.DataFrame]:
    keys = [_key(i) for i in range(HOUSEHOLDS)]
    households = pd.DataFrame({"household_key": keys, "ward_code": rng.choice(WARDS, HOUSEHOLDS)})
    # held-out predictions: a score that carries the label, ranks and capacity per month
    holdout = pd.DataFrame(
        [(k, m) for m in MONTHS for k in keys], columns=["household_key", "month"]
    )
    risk = rng.beta(1, 12, len(holdout))
    holdout["label"] = rng.random(len(holdout)) < risk * 3
    holdout["score"] = np.clip(risk + rng.normal(0, 0.02, len(holdout)), 0, 1)
    holdout["baseline_score"] = rng.gamma(1, 300, len(holdout)).round(2)
    holdout["rank_in_month"] = (
        holdout.groupby("month")["score"].rank(ascending=False, method="first").astype(int)
    )
    holdout["selected"] = holdout["rank_in_month"] <= CAPACITY
    holdout["model_version"] = "hhr-test"
    # current scores
    scored = pd.DataFrame({"household_key": keys, "score": rng.beta(1, 12, HOUSEHOLDS)})
    scored["risk_rank"] = scored["score"].rank(ascending=False, method="first").astype(int)
    scored["band"] = np.where(
        scored["risk_rank"] <= CAPACITY,
        "High",
        np.where(scored["risk_rank"] <= 4 * CAPACITY, "Medium", "Low"),
    )
    scored["reasons"] = "council tax arrears rising for 3 months (now £640)"
    scored["scored_month"] = pd.Timestamp("2026-09-01")
    scored["model_version"] = "hhr-test"
    # fairness: the project's own grouping and suppression (10 households, 10 outcomes)
    people = pd.DataFrame(
        {
            "household_key": keys,
            "person_key": keys,
            "age": rng.integers(18, 90, HOUSEHOLDS),
            "sex": rng.choice(["F", "M"], HOUSEHOLDS),
            "ethnicity_group": rng.choice(
                ["White", "Asian or Asian British", "Other ethnic group"],
                HOUSEHOLDS,
                p=[0.8, 0.18, 0.02],
            ),
            "disability": rng.choice(["Y", "N", None], HOUSEHOLDS),
        }
    )
    fair = pipeline.risk_fairness(holdout, people, 10, 10)
    # TA placements: 36 months of small counts in four wards
    series = pd.DataFrame(
        [
            (w, m, int(rng.poisson(1.5)))
            for w in WARDS
            for m in pd.date_range("2023-10-01", periods=36, freq="MS")
        ],
        columns=["ward_code", "month", "placements"],
    )
    series = series.loc[series["placements"] > 0].reset_index(drop=True)
    series["placements"] = series["placements"].astype("int32")
    series["month"] = series["month"].dt.date
    return {
        "dim_household": households,
        "mart_risk_holdout": conform(holdout, "mart_risk_holdout"),
        "mart_homelessness_risk": conform(scored, "mart_homelessness_risk"),
        "mart_risk_model_metrics": pipeline.model_metrics(holdout, None, CAPACITY, scored=scored),
        "mart_risk_fairness": fair,
        "mart_ta_placements_monthly": series,
        "mart_ta_forecast": pipeline.ta_forecast(series, "2026-10-01"),
        "mart_ta_forecast_metrics": pipeline.ta_forecast_metrics(series, "2026-10-01"),
    }


def _write(path: Path, marts: dict) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        for name, table in marts.items():
            con.register("frame", table)
            con.execute(f"create table marts.{name} as select * from frame")
            con.unregister("frame")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def suites(tmp_path_factory) -> Path:
    """The committed prediction suites only (dim_household gets the privacy checks)."""
    root = tmp_path_factory.mktemp("suites") / "suites"
    shutil.copytree(SUITES / "prediction", root / "prediction")
    return root


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory) -> Path:
    marts = _marts(np.random.default_rng(7))
    return _write(tmp_path_factory.mktemp("wh") / "build.duckdb", marts)


def _gate(warehouse, suites, serving, **kw):
    return gate_and_publish(
        warehouse, serving, suites, config_path=GATE_YML, reports_dir=None, names=[], **kw
    )


def test_every_prediction_mart_has_a_required_suite():
    found = {}
    for path in (SUITES / "prediction").glob("*.yml"):
        spec = yaml.safe_load(path.read_text())
        found[spec["table"]] = spec
    assert set(found) == {f"marts.{m}" for m in PREDICTION_MARTS}
    assert all(spec["required"] is True for spec in found.values())
    # every committed suite is required: the gate refuses a build that lacks a mart
    for path in SUITES.rglob("*.yml"):
        if path.name == "shared_school_attendance_concerns_by_ward.yml":
            continue  # the lead's file
        assert yaml.safe_load(path.read_text())["required"] is True, path


def test_a_good_prediction_build_passes(good_warehouse, suites, tmp_path):
    result = _gate(good_warehouse, suites, tmp_path / "serving.duckdb")
    assert result.passed, [f.line() for f in result.failures]
    assert result.published
    by_table = {m.table: m for m in result.marts}
    assert {f"marts.{m}" for m in PREDICTION_MARTS} <= set(by_table)
    fair = by_table["marts.mart_risk_fairness"]
    (check,) = [o for o in fair.outcomes if o.expectation == "expect_small_groups_to_be_suppressed"]
    # the fixture does have small groups (a 2% ethnic group): they were suppressed, and checked
    assert check.success and not check.observed.startswith("0 of")
    # freshness against the clock is reported, not blocking (the demo's extract date is fixed)
    (fresh,) = [
        o for o in by_table["marts.mart_homelessness_risk"].outcomes if o.category == "freshness"
    ]
    assert fresh.severity == "warning" and not fresh.blocking


def _break(warehouse: Path, sql: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql)
    finally:
        con.close()


BREAKS = {
    "score_above_one": (
        "update marts.mart_homelessness_risk set score = 1.5 where risk_rank = 3",
        "marts.mart_homelessness_risk",
        "expect_column_values_to_be_between(column='score'",
    ),
    "duplicated_household": (
        "insert into marts.mart_homelessness_risk "
        "select household_key, scored_month, score, risk_rank + 100000, band, reasons, "
        "model_version from marts.mart_homelessness_risk where risk_rank = 1",
        "marts.mart_homelessness_risk",
        "expect_column_values_to_be_unique(column='household_key'",
    ),
    "unknown_household": (
        f"update marts.mart_homelessness_risk set household_key = '{'f' * 64}' where risk_rank = 5",
        "marts.mart_homelessness_risk",
        "expect_column_values_to_be_in_reference_set",
    ),
    "two_model_versions": (
        "update marts.mart_homelessness_risk set model_version = 'hhr-other' where risk_rank = 7",
        "marts.mart_homelessness_risk",
        "expect_column_unique_value_count_to_be_between(column='model_version'",
    ),
    "unsuppressed_small_group": (
        # a suppressed group published with its small counts and rates
        "update marts.mart_risk_fairness set suppressed = false, households = 4, "
        "household_months = 24, outcomes = 1, selection_rate = 0.5 where suppressed",
        "marts.mart_risk_fairness",
        "expect_small_groups_to_be_suppressed",
    ),
    "suppressed_but_shown": (
        "update marts.mart_risk_fairness set selection_rate = 0.5 where suppressed",
        "marts.mart_risk_fairness",
        "expect_small_groups_to_be_suppressed",
    ),
    "auc_out_of_range": (
        "update marts.mart_risk_model_metrics set value = 1.2 where metric = 'roc_auc'",
        "marts.mart_risk_model_metrics",
        "expect_column_values_to_be_between(column='value'",
    ),
    "unknown_metric": (
        "update marts.mart_risk_model_metrics set metric = 'accuracy' where metric = 'ece'",
        "marts.mart_risk_model_metrics",
        "expect_column_values_to_be_in_set(column='metric'",
    ),
    "interval_inverted": (
        "update marts.mart_ta_forecast set lower_80 = upper_80 + 1 "
        "where area_type = 'borough' and horizon = 2",
        "marts.mart_ta_forecast",
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    "holdout_score_negative": (
        "update marts.mart_risk_holdout set score = -0.1 where rank_in_month = 2",
        "marts.mart_risk_holdout",
        "expect_column_values_to_be_between(column='score'",
    ),
    "holdout_leaks_nhs_number": (
        # a record-level mart gets the automatic direct-identifier checks
        "alter table marts.mart_risk_holdout add column note varchar; "
        "update marts.mart_risk_holdout set note = '943 476 5919' where rank_in_month = 1",
        "marts.mart_risk_holdout",
        "expect_column_values_to_not_match_direct_identifier_patterns(column='note'",
    ),
    "placements_zero": (
        "update marts.mart_ta_placements_monthly set placements = 0 "
        "where month = (select min(month) from marts.mart_ta_placements_monthly)",
        "marts.mart_ta_placements_monthly",
        "expect_column_values_to_be_between(column='placements'",
    ),
    "forecast_metrics_missing": (
        "drop table marts.mart_ta_forecast_metrics",
        "marts.mart_ta_forecast_metrics",
        "missing",
    ),
}


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_a_broken_prediction_mart_is_refused(how, good_warehouse, tmp_path):
    sql, mart, expectation = BREAKS[how]
    broken = tmp_path / "broken.duckdb"
    shutil.copy(good_warehouse, broken)
    _break(broken, sql)
    # the broken mart's committed suite alone, other tables left out (faster: the good build
    # above shows that the other suites pass)
    suites = tmp_path / "suites"
    suites.mkdir()
    name = mart.split(".")[1]
    shutil.copy(SUITES / "prediction" / f"{name}.yml", suites / f"{name}.yml")
    config = yaml.safe_load(GATE_YML.read_text())
    config["unsuited_tables"] = "skip"
    (tmp_path / "gate.yml").write_text(yaml.safe_dump(config))
    serving = tmp_path / "serving.duckdb"
    result = gate_and_publish(
        broken, serving, suites, config_path=tmp_path / "gate.yml", reports_dir=None, names=[]
    )
    assert not result.passed and not result.published
    assert not serving.exists()
    hits = [f for f in result.failures if f.mart == mart and f.expectation.startswith(expectation)]
    assert hits, [f.line() for f in result.failures]


def test_fairness_suite_minimums_follow_the_model_config():
    """The gate checks the rule the model applies: fairness_min_* in the model's YAML."""
    models = yaml.safe_load((REPO / "models/marts/prediction/_prediction__models.yml").read_text())
    (node,) = [m for m in models["models"] if m["name"] == "mart_risk_fairness"]
    suite = yaml.safe_load((SUITES / "prediction" / "mart_risk_fairness.yml").read_text())
    (rule,) = [
        e["expect_small_groups_to_be_suppressed"]
        for e in suite["expectations"]
        if "expect_small_groups_to_be_suppressed" in e
    ]
    cfg = node["config"]
    assert rule["minimums"]["households"] == int(cfg["fairness_min_households"])
    assert rule["minimums"]["outcomes"] == int(cfg["fairness_min_outcomes"])
    assert rule["complements"][0]["min"] == int(cfg["fairness_min_outcomes"])
    # the model's code applies the same columns
    assert {"households", "outcomes", "household_months", "suppressed"} <= set(fairness.COLUMNS)


def test_dim_resident_k_is_the_gates_k():
    """dim_resident enforces k-anonymity with var min_group_size; its default is the gate's."""
    sql = (REPO / "models/marts/single_view/dim_resident.sql").read_text()
    (default,) = re.findall(r"var\('min_group_size',\s*(\d+)\)", sql)
    gate = yaml.safe_load(GATE_YML.read_text())
    suite = yaml.safe_load((SUITES / "single_view" / "dim_resident.yml").read_text())
    k = int(suite.get("min_group_size") or gate["min_group_size"])
    assert int(default) == k
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    assert int(project["vars"]["min_group_size"]) == k
    assert suite["quasi_identifiers"] == ["age_band", "sex", "ward_code"]
    # the coarse bands the model may publish are accepted by the suite
    (bands,) = [
        e["expect_column_values_to_be_in_set"]["value_set"]
        for e in suite["expectations"]
        if e.get("expect_column_values_to_be_in_set", {}).get("column") == "age_band"
    ]
    coarse = set(re.findall(r"'[^']+': '([^']+)'", sql))
    assert coarse and coarse <= set(bands)


def test_small_group_expectation_on_frames():
    """expect_small_groups_to_be_suppressed reads counts, not values, and catches both ways."""
    from insight_hub.gate import expectations as custom  # noqa: F401  (registers the class)
    from insight_hub.gate.checkpoint import make_context

    ctx = make_context()
    batch = (
        ctx.data_sources.get("warehouse")
        .add_dataframe_asset("groups")
        .add_batch_definition_whole_dataframe("all")
    )
    rule = dict(
        flag_column="suppressed",
        minimums={"households": 10},
        complements=[{"total": "months", "part": "outcomes", "min": 10}],
        masked_columns=["households", "rate"],
    )
    good = pd.DataFrame(
        {
            "households": [50, None],
            "months": [300, None],
            "outcomes": [20, None],
            "rate": [0.1, None],
            "suppressed": [False, True],
        }
    )
    expectation = custom.ExpectSmallGroupsToBeSuppressed(**rule)
    ok = batch.get_batch(batch_parameters={"dataframe": good}).validate(expectation)
    assert ok.success
    for change in (
        {"households": [50, 3], "suppressed": [False, False]},  # small group published
        {"months": [25, None]},  # only 5 non-outcomes
        {"rate": [0.1, 0.4]},  # suppressed row shows a rate
        {"suppressed": [False, None]},  # flag missing
    ):
        bad = good.assign(**change)
        res = batch.get_batch(batch_parameters={"dataframe": bad}).validate(expectation)
        assert not res.success, change


def test_real_forecast_intervals_pass_the_ordering_checks():
    """The forecast's integer quantile intervals satisfy the suite's ordering on small wards."""
    rng = np.random.default_rng(3)
    months = pd.date_range("2023-10-01", periods=36, freq="MS")
    borough = pd.DataFrame({"month": months, "placements": rng.poisson(4, 36)})
    wards = pd.DataFrame(
        {"area_code": "E05099001", "month": months, "placements": rng.poisson(0.05, 36)}
    )
    out = forecast.forecast(borough, wards)
    assert (out["lower_95"] <= out["lower_80"]).all() and (out["lower_80"] <= out["forecast"]).all()
    assert (out["upper_80"] <= out["upper_95"]).all()
    big = out["forecast"] >= 1
    assert (out.loc[big, "upper_80"] >= out.loc[big, "forecast"]).all()


def test_reasons_vocabulary_is_not_a_name_but_a_name_still_is():
    """The risk reasons' own words ("Homes and Money Hub", "more than a year") are left out of
    the identity names, as gate.yml declares; residents' other names stay in."""
    from insight_hub.gate.checkpoint import load_identity_names
    from insight_hub.gate.suites import GateConfig
    from insight_hub.prediction.explain import vocabulary

    con = duckdb.connect()
    con.execute("create schema identity")
    con.execute(
        "create table identity.idn_match_records as select * from (values "
        "('HOMES', 'MORE'), ('MORE', 'SMITH'), ('JOHN', 'HOMES')) t(forename, surname)"
    )
    config = GateConfig.load(GATE_YML)
    names = load_identity_names(con, config)
    assert {"SMITH", "JOHN"} <= names
    assert not {"HOMES", "MORE"} & names
    assert {"HOMES", "MONEY", "HUB", "MORE", "YEAR"} <= vocabulary()
