"""mart_risk_model_metrics: one row per metric (per score decile for the calibration rows).

Discrimination, calibration and capacity metrics of the held-out predictions
(mart_risk_holdout), the arrears-only baseline, and the sizes of the training and calibration
slices (replayed from mart_household_needs without training).
Logic: insight_hub.prediction.pipeline.model_metrics.
"""

from insight_hub.prediction import features, pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    capacity = int(dbt.config.get("prevention_capacity") or pipeline.DEFAULT_CAPACITY)
    holdout = pipeline.read(dbt.ref("mart_risk_holdout"))
    needs = pipeline.read(dbt.ref("mart_household_needs"), features.INPUT_COLUMNS)
    return pipeline.model_metrics(holdout, needs, capacity)
