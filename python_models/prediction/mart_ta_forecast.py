"""mart_ta_forecast: one row per area (the borough, each ward) per forecast month.

Temporary accommodation placements starting per month, 12 months ahead of the last observed
month, with 80% and 95% prediction intervals. Reads mart_ta_placements_monthly.
Logic: insight_hub.prediction.forecast.
"""

from insight_hub.prediction import pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    as_of_date = dbt.config.get("as_of_date")
    placements = pipeline.read(dbt.ref("mart_ta_placements_monthly"))
    return pipeline.ta_forecast(placements, as_of_date)
