"""mart_risk_model_metrics: one row per metric (per score decile for the calibration rows).

Discrimination, calibration and capacity metrics of the held-out predictions
(mart_risk_holdout), the arrears-only baseline, and the sizes of the training and calibration
slices (replayed from mart_household_needs without training), and what the production model
scored (mart_homelessness_risk).
Logic: insight_hub.prediction.pipeline.model_metrics.
"""

from insight_hub.prediction import features, pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    # a plain call: dbt finds config keys only in dbt.config.get(...) calls it can see
    capacity = dbt.config.get("prevention_capacity", 200)
    holdout = pipeline.read(dbt.ref("mart_risk_holdout"))
    scored = pipeline.read(
        dbt.ref("mart_homelessness_risk"), ["model_version", "scored_month", "band", "score"]
    )
    needs = pipeline.read(dbt.ref("mart_household_needs"), features.INPUT_COLUMNS)
    return pipeline.model_metrics(holdout, needs, int(capacity), scored=scored)
