"""mart_homelessness_risk: one row per current household (the last month of the needs window).

Each household's calibrated probability of a homelessness approach in the next 6 months, its
rank, its band (High = within the prevention team's monthly capacity) and the top contributing
factors in plain words. Households with a member who objected to predictive analytics are
neither trained on nor scored. Logic: insight_hub.prediction.pipeline.homelessness_risk.
"""

from insight_hub.prediction import features, pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    capacity = int(dbt.config.get("prevention_capacity") or pipeline.DEFAULT_CAPACITY)
    needs = pipeline.read(dbt.ref("mart_household_needs"), features.INPUT_COLUMNS)
    return pipeline.homelessness_risk(needs, capacity)
