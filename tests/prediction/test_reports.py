"""`insight-hub model-card` and `insight-hub evaluate risk` on a small fake warehouse.

The warehouse holds the prediction marts computed from the synthetic frame, plus minimal
identity / intermediate tables and a truth folder, so that both commands run end to end.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from insight_hub.prediction import pipeline
from insight_hub.prediction.evaluate import evaluate_risk
from insight_hub.prediction.model_card import model_card


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, needs, fast_config):
    base = tmp_path_factory.mktemp("pred_wh")
    path = base / "wh.duckdb"
    hold = pipeline.risk_holdout(needs, 50, fast_config)
    tables = {
        "mart_risk_holdout": hold,
        "mart_homelessness_risk": pipeline.homelessness_risk(needs, 50, fast_config),
        "mart_risk_model_metrics": pipeline.model_metrics(hold.to_pandas(), needs, 50, fast_config),
        "mart_household_needs": needs.drop(columns=["p_true"]),
    }
    con = duckdb.connect(str(path))
    for schema in ("marts", "identity", "intermediate"):
        con.execute(f"create schema {schema}")
    for name, t in tables.items():
        con.register("t", t)
        con.execute(f"create table marts.{name} as select * from t")
        con.unregister("t")
    # one record per household; true household id = "T" + key; truth from the synthetic frame
    keys = needs["household_key"].drop_duplicates().reset_index(drop=True)
    recs = pd.DataFrame(
        {
            "record_key": "r" + keys,
            "service": "housing",
            "source_file": "tenancies",
            "record_id": "T" + keys.str[-8:],
            "household_key": keys,
        }
    )
    con.register("recs", recs)
    con.execute(
        "create table identity.idn_match_records as "
        "select record_key, service, source_file, record_id from recs"
    )
    con.execute(
        "create table intermediate.int_records__keyed as "
        "select record_key, service, source_file, household_key from recs"
    )
    con.close()
    truth = base / "truth"
    truth.mkdir()
    pd.DataFrame(
        {
            "service": recs["service"],
            "source_file": recs["source_file"],
            "source_record_id": recs["record_id"],
            "person_id": "P" + keys,
            "household_id": "T" + keys,
        }
    ).to_csv(truth / "records.csv", index=False)
    pd.DataFrame(
        {
            "household_id": "T" + needs["household_key"],
            "month": pd.to_datetime(needs["month"]).dt.strftime("%Y-%m"),
            "p_approach": needs["p_true"],
            "approached": needs["approached"].astype(int),
        }
    ).to_csv(truth / "homelessness_monthly.csv", index=False)
    return base, path, truth


def test_model_card_writes_markdown_and_offline_html(warehouse):
    base, path, _ = warehouse
    out = base / "card"
    result = CliRunner().invoke(model_card, ["--warehouse", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    md = (out / "model_card.md").read_text()
    for section in (
        "Tier 1",
        "Owner and responsibility",
        "Description and rationale",
        "Decision-making process",
        "Data",
        "Technical specification",
        "Fairness",
        "Risks and mitigations",
    ):
        assert section in md, section
    assert "ward_code" in md and "calibration.png" in md
    html = (out / "model_card.html").read_text()
    assert html.count("data:image/png;base64,") == 2
    assert "http://" not in html and "https://" not in html  # nothing fetched: works offline
    assert (out / "roc.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_risk_prints_model_best_and_baseline(warehouse):
    _, path, truth = warehouse
    run = CliRunner().invoke(
        evaluate_risk, ["--warehouse", str(path), "--truth", str(truth), "--json"]
    )
    assert run.exit_code == 0, run.output
    r = json.loads(run.output)
    assert r["rows"]["unmapped"] == 0
    for view in (
        "all_keys",
        "one_key_per_true_household",
        "warehouse_label",
        "unsplit_households",
    ):
        v = r[view]
        for k in ("model", "best_achievable", "baseline_arrears"):
            assert 0.5 < v[k]["roc_auc"] <= 1
        # the generative probability is the best score there is
        assert v["best_achievable"]["roc_auc"] >= v["model"]["roc_auc"] - 0.02
        assert np.isfinite(v["model"]["ece"])
        assert set(v["targets"]) >= {"auc_at_least_95pct_of_best", "ece_below_0_02"}
    # one key per true household here: the views agree
    assert r["all_keys"]["rows"] == r["one_key_per_true_household"]["rows"]
    assert r["all_keys"]["rows"] == r["unsplit_households"]["rows"]
    table = CliRunner().invoke(evaluate_risk, ["--warehouse", str(path), "--truth", str(truth)])
    assert "best achievable" in table.output and "baseline" in table.output


def test_evaluate_risk_fails_clearly_without_a_warehouse(tmp_path):
    run = CliRunner().invoke(evaluate_risk, ["--warehouse", str(tmp_path / "none.duckdb")])
    assert run.exit_code == 1
    assert "no warehouse" in run.output
