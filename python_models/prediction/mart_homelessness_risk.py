"""mart_homelessness_risk: one row per current household (the last month of the needs window).

Each household's calibrated probability of a homelessness approach in the next 6 months, its
rank, its band (High = within the prevention team's monthly capacity) and the top contributing
factors in plain words. Households with a member who objected to predictive analytics are
neither trained on nor scored. Published only when the scoring model has the specification
mart_risk_holdout evaluated. Logic: insight_hub.prediction.pipeline.homelessness_risk.
"""

from insight_hub.prediction import features, pipeline


def model(dbt, session):
    dbt.config(materialized="table")
    # a plain call: dbt finds config keys only in dbt.config.get(...) calls it can see
    capacity = dbt.config.get("prevention_capacity", 200)
    # the evaluated specification (and the order: the backtest runs first, not alongside)
    evaluated = pipeline.read(dbt.ref("mart_risk_holdout"), ["model_version"])
    versions = sorted(set(evaluated["model_version"]))
    del evaluated
    needs = pipeline.read(dbt.ref("mart_household_needs"), features.INPUT_COLUMNS)
    return pipeline.homelessness_risk(needs, int(capacity), evaluated_versions=versions)
