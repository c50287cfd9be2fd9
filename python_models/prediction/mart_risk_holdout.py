"""mart_risk_holdout: one row per household per held-out month (the backtest's predictions).

The risk model is fitted on months before the held-out months only (training, then a later
calibration slice), and predicts the six most recent months whose 6-month outcome is known.
Every reported metric (mart_risk_model_metrics, mart_risk_fairness) comes from these rows.
Logic: insight_hub.prediction.risk.backtest.
"""

from insight_hub.prediction import features, pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    # a plain call: dbt finds config keys only in dbt.config.get(...) calls it can see
    capacity = dbt.config.get("prevention_capacity", 200)
    needs = pipeline.read(dbt.ref("mart_household_needs"), features.INPUT_COLUMNS)
    return pipeline.risk_holdout(needs, int(capacity))
