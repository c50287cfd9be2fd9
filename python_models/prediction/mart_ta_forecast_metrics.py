"""mart_ta_forecast_metrics: one row per (model, metric) of the TA forecast's backtest.

Rolling-origin backtest of the borough series: MASE and MAE of the model and of the
seasonal-naive baseline, the model's improvement over it, interval coverage, MASE per horizon.
Logic: insight_hub.prediction.forecast.backtest.
"""

from insight_hub.prediction import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    as_of_date = dbt.config.get("as_of_date")
    placements = pipeline.read(dbt.ref("mart_ta_placements_monthly"))
    return pipeline.ta_forecast_metrics(placements, as_of_date)
